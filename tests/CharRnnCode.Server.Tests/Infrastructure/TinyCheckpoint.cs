// A real checkpoint for the tests, trained once per test run with the model library's own trainer
// (preset "tiny": a 1x32 LSTM, seconds on a CPU) on a small C# corpus generated here, for 1,500 steps:
// long enough that it writes the corpus's lines back (Console.WriteLine(total);), which the completion
// tests expect of it. Nothing is committed: the corpus and the checkpoint live in a temporary folder
// removed after the run.
using System.Text;
using CharRnnCode.Model;
using CharRnnCode.Model.Inference;
using CharRnnCode.Model.Training;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed class TinyCheckpoint : IDisposable
{
    public TinyCheckpoint()
    {
        (Directory, Path) = Train("tiny", RunConfig.LoadPreset("tiny", ["maxSteps=1500"]), trainClasses: 60, seed: 1, threads: 1);
    }

    private static readonly object TrainingGate = new();

    /// <summary>Trains <paramref name="config"/> with the real trainer on a generated corpus in a new temporary folder; returns the folder and the best checkpoint.</summary>
    public static (string Directory, string Checkpoint) Train(string name, RunConfig config, int trainClasses, int seed, int? threads)
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"charrnn-server-tests-{name}-{Guid.NewGuid():N}");
        var corpus = System.IO.Path.Combine(directory, "corpus");
        System.IO.Directory.CreateDirectory(corpus);
        File.WriteAllText(System.IO.Path.Combine(corpus, "train.txt"), CSharpCorpus(seed, trainClasses));
        File.WriteAllText(System.IO.Path.Combine(corpus, "val.txt"), CSharpCorpus(seed + 1, classes: 6));
        File.WriteAllText(System.IO.Path.Combine(corpus, "test.txt"), CSharpCorpus(seed + 2, classes: 6));
        // One training at a time in this process: TorchSharp's global state (threads, default scalar type) is
        // shared, and two fixtures of parallel test collections training at once failed with "Unknown scalar type".
        TrainResult result;
        lock (TrainingGate)
            result = Trainer.Run(new TrainRequest
        {
            Config = config,
            CorpusDirectory = corpus,
            RunDirectory = System.IO.Path.Combine(directory, "run"),
            Device = "cpu",
            Threads = threads,
        });
        return (directory, result.BestCheckpoint);
    }

    public string Directory { get; }

    /// <summary>The trained checkpoint file.</summary>
    public string Path { get; }

    public CharLanguageModel Load() => CharLanguageModel.Load(Path, "cpu", 1);

    /// <summary>Small, regular C# classes: enough for a tiny model to learn indentation, braces and semicolons.</summary>
    public static string CSharpCorpus(int seed, int classes)
    {
        var random = new Random(seed);
        string[] nouns = ["Counter", "Buffer", "Parser", "Reader", "Writer", "Cache", "Queue", "Index"];
        string[] fields = ["count", "total", "size", "offset", "length", "limit"];
        var text = new StringBuilder();
        for (var i = 0; i < classes; i++)
        {
            var name = nouns[random.Next(nouns.Length)] + i;
            var field = fields[random.Next(fields.Length)];
            text.Append($$"""
                using System;

                namespace Demo
                {
                    public class {{name}}
                    {
                        private int {{field}};

                        public void Add(int value)
                        {
                            {{field}} = {{field}} + value;
                            Console.WriteLine({{field}});
                        }

                        public int Get()
                        {
                            return {{field}};
                        }
                    }
                }

                """);
        }
        return text.ToString().Replace("\r\n", "\n");
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}

// Not beside other collections: while the fixture trains, other tests' allocations trigger garbage collections,
// and TorchSharp's optimizer step passes implicitly converted Scalars to native code without keeping them alive, so a
// finalizer can free one mid-call ("Unknown scalar type" from AdamW's add_, seen about once in five suite runs).
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TinyCheckpointCollection : ICollectionFixture<TinyCheckpoint>
{
    public const string Name = "tiny checkpoint";
}
