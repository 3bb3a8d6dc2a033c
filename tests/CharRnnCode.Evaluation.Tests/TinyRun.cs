// A real pipeline in miniature, shared by the tests that need one: a git repository of small C# files,
// harvested into a corpus folder, and a tiny LSTM trained on it by the real trainer, with the parse-rate probe
// switched on. Built once per test run, in a temporary folder.
using CharRnnCode.Corpus;
using CharRnnCode.Model;
using CharRnnCode.Model.Training;
using LibGit2Sharp;

namespace CharRnnCode.Evaluation.Tests;

internal static class TinyRun
{
    private static readonly string[] Nouns = ["Order", "Invoice", "Customer", "Parcel", "Route", "Ticket", "Shelf", "Meter"];
    private static readonly string[] Verbs = ["Count", "Total", "Check", "Find", "Sum", "Pick"];

    /// <summary>Small classes with methods, loops and if statements, varied by name so that they differ.</summary>
    public static string SourceFile(string noun, string verb) => $$"""
        using System;
        using System.Collections.Generic;

        namespace Demo
        {
            public class {{noun}}{{verb}}
            {
                private readonly List<int> _values = new List<int>();

                public void Add(int value)
                {
                    if (value < 0)
                    {
                        throw new ArgumentException("negative {{noun.ToLowerInvariant()}}");
                    }
                    _values.Add(value);
                }

                public int {{verb}}()
                {
                    int result = 0;
                    foreach (var value in _values)
                    {
                        if (value > 10) result += value;
                    }
                    return result;
                }
            }
        }

        """;

    public static readonly FreeRunningOptions ProbeOptions = new() { SamplesPerTemperature = 3, SampleLength = 120, Temperatures = [0.8] };

    private static readonly Lazy<(string Corpus, TrainResult Run)> Shared = new(() =>
    {
        var root = Path.Combine(Path.GetTempPath(), "charrnn-tests", $"eval-{Guid.NewGuid():N}");
        var corpus = HarvestedCorpus(root, Nouns.SelectMany(noun => Verbs.Select(verb => ($"src/{noun}{verb}.cs", SourceFile(noun, verb)))));
        var run = Trainer.Run(new TrainRequest
        {
            Config = RunConfig.LoadPreset("tiny", ["maxSteps=120", "evalInterval=60", "learningRate=0.02"]),
            CorpusDirectory = corpus,
            RunDirectory = Path.Combine(root, "run"),
            Device = "cpu",
            Threads = 1,
            ValidationProbe = TrainingProbe.ParseRate(ProbeOptions),
        });
        return (corpus, run);
    });

    /// <summary>A git repository of <paramref name="files"/> (path, text) under <paramref name="root"/>, harvested by the
    /// real harvester into root/corpus (a fifth of the files for validation, a fifth for test); returns the corpus folder.</summary>
    public static string HarvestedCorpus(string root, IEnumerable<(string Path, string Text)> files)
    {
        var repository = Path.Combine(root, "repo");
        Repository.Init(repository);
        using (var repo = new Repository(repository))
        {
            foreach (var (relative, text) in files)
            {
                var path = Path.Combine(repository, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }
            Commands.Stage(repo, "*");
            var author = new Signature("test", "test@example.com", DateTimeOffset.UnixEpoch);
            repo.Commit("files", author, author);
        }
        var corpus = Path.Combine(root, "corpus");
        new Harvester(new HarvestOptions { ValFraction = 0.2, TestFraction = 0.2 },
            new HarvestRuntime { CacheDirectory = Path.Combine(root, "cache"), Threads = 1, Progress = SilentProgress.Instance })
            .Run([RepositorySpec.Parse(repository, id: "demo")], corpus);
        return corpus;
    }

    public static string Corpus => Shared.Value.Corpus;
    public static TrainResult Run => Shared.Value.Run;
}
