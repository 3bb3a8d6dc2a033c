// The evaluation end to end on a real (tiny) trained checkpoint: the parse-rate probe's lines in the
// training log of a short run of its own, and `charrnn eval`'s library call writing a complete report
// folder for the shared tiny model (SharedTinyModel: validated at steps 500, 1000 and 1500).
using System.Text.Json.Nodes;
using CharRnnCode.Cli;
using CharRnnCode.Corpus;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Training;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Evaluation.Tests;

public sealed class PipelineTests
{
    [Fact]
    public void The_training_probe_adds_free_running_metrics_to_every_validation_line()
    {
        // The probe is the run's own: the shared model trained without one. 20 steps, validated at 10 and 20.
        var probe = new FreeRunningOptions { SamplesPerTemperature = 3, SampleLength = 120, Temperatures = [0.8] };
        var run = Trainer.Run(new TrainRequest
        {
            Config = RunConfig.LoadPreset("tiny", ["maxSteps=20", "evalInterval=10"]),
            Corpus = CorpusInputs.ForTraining(SharedTinyModel.Files.Corpus),
            RunDirectory = Path.Combine(TemporaryFolders.Create("probe"), "run"),
            Device = "cpu",
            Threads = 1,
            ValidationProbe = TrainingProbe.ParseRate(probe),
        });
        var lines = File.ReadAllLines(Path.Combine(run.RunDirectory, "metrics.jsonl"))
            .Select(line => JsonNode.Parse(line)!.AsObject()).Where(line => (string?)line["kind"] == "val").ToList();
        Assert.Equal([10L, 20L], lines.Select(line => (long)line["step"]!));
        Assert.All(lines, line => Assert.Equal(
            ["bpc", "bracketsBalanced", "elapsedSeconds", "epoch", "kind", "loss", "parseRate", "parseToEndRate", "step", "syntaxErrorsPer1k", "undefinedPer1k"],
            line.Select(p => p.Key).Order(StringComparer.Ordinal)));

        // The last validation probed the weights that last.ckpt holds: the same probe on it gives the same numbers.
        var again = TrainingProbe.ParseRate(probe)(Checkpoint.Load(run.LastCheckpoint));
        Assert.Equal(again.OrderBy(p => p.Key).Select(p => (p.Key, p.Value)),
            lines[^1].Where(p => again.ContainsKey(p.Key)).OrderBy(p => p.Key).Select(p => (p.Key, (double)p.Value!)));
    }

    [Fact]
    public void An_evaluation_writes_a_complete_report_folder()
    {
        var options = new EvaluationOptions
        {
            SamplesPerTemperature = 2, SampleLength = 80, Temperatures = [0.5, 1.0], Positions = 4, K = 2, MaxLineChars = 40,
            MaxLossChars = 2000, NGramOrder = 6, CellTextChars = 400, GuessTextChars = 60, ChosenCell = (0, 3),
        };
        var shared = SharedTinyModel.Files;
        var report = Evaluator.Run(new EvaluationRequest(shared.BestCheckpoint, CorpusInputs.ForEvaluation(shared.Corpus), options) { Device = "cpu" }, new NoProgress());
        var output = Path.Combine(TemporaryFolders.Create("pipeline"), "report");
        ReportWriter.Write(report, output);

        Assert.Equal(["invented.png", "loss.png", "model-vs-ngram.png", "parse-rate.png", "report.html", "report.json", "report.md", "reranking.png", "typing.png", "undefined.png"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(Path.GetDirectoryName(output)!, ".report.*"));
        Assert.All(ReportWriter.PlotFiles, png => Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(Path.Combine(output, png))[..4]));

        Assert.Equal([1, 2, 3, 4, 6], report.NGramLosses.Select(l => l.Order));
        Assert.Equal([0.5, 1.0], report.FreeRunning!.Temperatures.Select(t => t.Temperature));
        Assert.Equal(4, report.FreeRunning.Samples.Count);
        Assert.Equal(4, report.LineCompletion!.Positions.Count);
        Assert.Equal(Strategies.All, report.LineCompletion.Summary.Select(s => s.Strategy));
        Assert.Equal(Strategies.All, report.NGramLineCompletion!.Summary.Select(s => s.Strategy));
        // The typing replay: IntelliSense alone, then the model's (alone and with the workspace cache) and the n-gram's ghost text on the same lines.
        var typing = report.Typing!;
        Assert.InRange(typing.Lines, 1, options.TypingLines);
        Assert.Equal(3, typing.Contenders.Count);
        Assert.Equal(report.Model, typing.Contenders[0].Name);
        Assert.Equal($"{report.Model} + workspace cache", typing.Contenders[1].Name);
        Assert.StartsWith($"n-gram order {report.NGramBestOrder} ", typing.Contenders[2].Name);
        // The workspace cache's loss rows: the model, and the model with dynamic evaluation.
        Assert.Equal([report.Model, $"{report.Model} + dynamic evaluation"], report.WorkspaceCacheLosses.Select(row => row.Contender));
        Assert.All(report.WorkspaceCacheLosses, row => Assert.True(double.IsFinite(row.MixedBitsPerCharacter) && row.MixedBitsPerCharacter > 0));
        Assert.Contains("Workspace cache", File.ReadAllText(Path.Combine(output, "report.md")));
        Assert.All(typing.Contenders, c => Assert.Equal(typing.Characters, c.GhostText.Characters));
        Assert.All(typing.Contenders, c => Assert.InRange(c.GhostText.KeystrokesSaved, 0, 1));
        Assert.Contains("Typing replay", File.ReadAllText(Path.Combine(output, "report.md")));
        Assert.Equal(options.GuessTextChars, report.Guesses.Count);
        Assert.All(report.Guesses, g => Assert.Equal(5, g.Guesses.Count));
        Assert.Equal("chosen cell: layer 0, cell 3", report.CellTraces[0].Caption);
        Assert.Equal([500L, 1000L, 1500L], report.ValidationCurve.Select(p => p.Step));
        Assert.True(report.ModelLoss.BitsPerCharacter is > 0 and < 8);
        Assert.Equal(1.0, report.VocabularyCoverage, 2);
        // One loss: the training log's validation figure for best.ckpt, recomputed by eval, within 0.01 bpc.
        Assert.True(report.TrainingLoss.Agrees, report.TrainingLoss.Explanation);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!;
        Assert.Equal(report.ModelLoss.NatsPerCharacter, (double)json["modelLoss"]!["natsPerCharacter"]!);
        Assert.Equal(CorpusFolder.Open(shared.Corpus).Manifest.CorpusId, (string?)json["corpusId"]);
        // Readers of report.json from before the intervals (the editor extension) still find plain shares.
        var greedy = json["lineCompletion"]!["summary"]![0]!;
        Assert.Equal((report.LineCompletion.Summary[0].ParseOk.Value, report.LineCompletion.Summary[0].ParseOk.High),
            ((double)greedy["parseOk"]!, (double)greedy["parseOkInterval"]!["high"]!));
        var html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Contains("<img src=\"reranking.png\"", html);
        Assert.Contains("best of K re-ranked by Roslyn", File.ReadAllText(Path.Combine(output, "report.md")));

        // Writing again replaces the folder as a whole.
        ReportWriter.Write(report with { Model = "second" }, output);
        Assert.Contains("# Evaluation of second", File.ReadAllText(Path.Combine(output, "report.md")));
    }

    [Fact]
    public void A_corpus_whose_characters_the_checkpoint_mostly_does_not_know_is_refused_unless_allowed()
    {
        // C# whose comments and strings are Greek: the tiny model never saw these letters.
        var files = Enumerable.Range(0, 30).Select(i => ($"src/Logos{i}.cs", $$"""
            // Ένα αρχείο με ελληνικά σχόλια, αριθμός {{i}}: αβγδεζηθικλμνξοπρστυφχψω ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ
            class Λόγος{{i}}
            {
                string Κείμενο()
                {
                    return "καλημέρα κόσμε, τι κάνεις σήμερα; όλα καλά εδώ, ευχαριστώ πολύ";
                }
            }

            """));
        var corpus = TinyModelCorpus.HarvestedCorpus(TemporaryFolders.Create("greek"), files);
        var options = new EvaluationOptions
        {
            SamplesPerTemperature = 1, SampleLength = 40, Temperatures = [1.0], Positions = 2, K = 2, MaxLineChars = 20,
            NGramOrder = 3, CellTextChars = 200, GuessTextChars = 20
        };

        var refused = Assert.Throws<Common.InvalidInputError>(() =>
            Evaluator.Run(new EvaluationRequest(SharedTinyModel.Files.BestCheckpoint, CorpusInputs.ForEvaluation(corpus), options) { Device = "cpu" }, new NoProgress()));
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal("allowUnknownChars", refused.Input);
        Assert.Contains("knows only", refused.Message);

        var allowed = Evaluator.Run(
            new EvaluationRequest(SharedTinyModel.Files.BestCheckpoint, CorpusInputs.ForEvaluation(corpus), options) { Device = "cpu", AllowUnknownCharacters = true },
            new NoProgress());
        Assert.InRange(allowed.VocabularyCoverage, 0.0, Evaluator.MinimumCoverage);
        Assert.NotNull(allowed.TrainingLoss.TrainedOnAnotherCorpus);
    }

    private sealed class NoProgress : IStageProgress
    {
        public IProgress<double> Stage(string name, double total) => new Progress<double>();
    }
}
