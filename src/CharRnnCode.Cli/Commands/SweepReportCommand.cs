// charrnn sweep report: measures every finished point of a sweep on the same test split (loss, parse rate of a few
// samples with the corpus's scorer), the n-gram baseline on that split, and writes one report (SWEEP/report/) with
// a progress bar. The measuring reuses the trainer's loss, the evaluation's free-running samples and the n-gram
// table; the writing is CharRnnCode.Evaluation.SweepReport. It trains nothing and leaves unfinished points out.
using CharRnnCode.Common;
using CharRnnCode.Corpus;
using CharRnnCode.Evaluation;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Sweeps;
using CharRnnCode.Scoring;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class SweepReportCommand : Command<SweepReportCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>Sweep folder written by `charrnn sweep plan` and trained by `charrnn sweep run`.</summary>
        [CommandArgument(0, "<SWEEP>")] public string Sweep { get; init; } = "";

        /// <summary>Report folder (report.md, report.json, loss-by-parameters.png). Default SWEEP/report.</summary>
        [CommandOption("--out <DIR>")] public string? Out { get; init; }

        /// <summary>
        /// Write into --out even when it is a folder that holds something other than a sweep report (never the
        /// current folder, one above it, the home folder or a repository's root).
        /// </summary>
        [CommandOption("--force")] public bool Force { get; init; }

        /// <summary>
        /// Measure every point and the n-gram on the first N characters of the test split (0: all of it). Default
        /// 0.
        /// </summary>
        [CommandOption("--test-chars <N>")] public int TestChars { get; init; }

        /// <summary>Samples of 400 characters per point for the parse rate (0: none). Default 8.</summary>
        [CommandOption("--samples <N>")] public int Samples { get; init; } = 8;

        /// <summary>Temperature of those samples. Default 0.8.</summary>
        [CommandOption("--temperature <T>")] public double Temperature { get; init; } = 0.8;

        /// <summary>Intra-op threads of the measurements (default: one per CPU).</summary>
        [CommandOption("--threads <N>")] public int? Threads { get; init; }

        public override ValidationResult Validate() =>
            FiniteNumbers.Problem(this) is { } notFinite ? ValidationResult.Error(notFinite)
            : TestChars < 0 ? ValidationResult.Error("--test-chars must not be negative.")
            : Samples is < 0 or > 1000 ? ValidationResult.Error("--samples must be between 0 and 1000.")
            : Temperature is <= 0 or > 10 ? ValidationResult.Error("--temperature must be above 0 and at most 10.")
            : Threads is < 1 ? ValidationResult.Error("--threads must be at least 1.")
            : ValidationResult.Success();
    }

    private const int SampleLength = 400;

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var plan = SweepPlan.Load(settings.Sweep);
        // Checked before minutes of measuring, and again when the report is written.
        SweepReport.EnsureWritable(settings.Out ?? Path.Combine(plan.Directory, "report"), settings.Force);
        var finished = plan.Points.Where(p => plan.StateOf(p).Status == SweepPointStatus.Finished).ToList();
        if (finished.Count == 0)
            throw new UserError($"no point of {plan.Directory} has finished yet; run it first (`charrnn sweep run {plan.Directory} --local`, or --slurm).");
        var testPath = Path.Combine(plan.Corpus, "test.txt");
        if (!File.Exists(testPath)) throw new UserError($"corpus {plan.Corpus} has no test.txt, so the points cannot be compared on a test split.");
        var test = File.ReadAllText(testPath);
        if (settings.TestChars > 0 && test.Length > settings.TestChars) test = test[..settings.TestChars];
        if (test.Length < 2) throw new UserError($"{testPath} is empty: harvest the corpus with a test split (--test).");
        var (scorer, scoring) = File.Exists(Path.Combine(plan.Corpus, "manifest.json"))
            ? CorpusLanguage.Choose(CorpusFolder.Open(plan.Corpus).Languages())
            : (null, new CodeScoring([], null, null, false) { NotMeasured = "not measured: the corpus has no manifest.json to name its language" });
        using var _ = scorer as IDisposable;

        var results = new List<SweepPointResult>();
        NGramOrderTable? ngram = null;
        Terminal.Progress.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var points = progress.AddTask($"{finished.Count} finished points", maxValue: finished.Count);
                foreach (var point in finished)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var task = progress.AddTask(Markup.Escape($"{point.Index}: {point.Config.Model.Shape}"), maxValue: 1);
                    results.Add(Measure(plan, point, test, scorer, settings, task));
                    task.StopTask();
                    points.Increment(1);
                }
                var train = File.ReadAllText(Path.Combine(plan.Corpus, "train.txt"));
                ngram = NGramOrderTable.Measure(Path.GetFileName(plan.Corpus), "test", train, test,
                    new NGramOrderTableOptions([.. Enumerable.Range(1, NGramModel.MaxOrder)], [NGramSmoothing.KneserNey]),
                    stage =>
                    {
                        var bar = progress.AddTask(Markup.Escape($"n-gram: {stage}"), maxValue: 1);
                        return new Progress<double>(share => bar.Value = share);
                    }, cancellationToken);
            });

        var outDirectory = Path.GetFullPath(settings.Out ?? Path.Combine(plan.Directory, "report"));
        var reportContext = new SweepReportContext(plan.Directory, plan.Corpus, plan.Description, test.Length,
            scoring.Scorer ?? scoring.NotMeasured ?? "no scorer", settings.Samples, settings.Temperature, plan.Points.Count - finished.Count);
        var path = SweepReport.Write(outDirectory, reportContext, results, ngram, settings.Force);

        Console.Out.Write(ConsoleRenderer.Table(SweepReport.ConsoleTable(results, ngram)));
        Console.Out.Flush();
        AnsiConsole.MarkupLineInterpolated($"[green]report[/]: {path} (and {SweepReport.JsonName}, {SweepReport.PlotName}); {finished.Count} of {plan.Points.Count} points finished");
        return 0;
    }

    private static SweepPointResult Measure(SweepPlan plan, SweepPoint point, string test, ICodeScorer? scorer, Settings settings, ProgressTask task)
    {
        var folder = plan.PointDirectory(point);
        var checkpointPath = Path.Combine(folder, RunFolder.BestCheckpoint);
        var checkpoint = Checkpoint.Load(checkpointPath);
        var nats = ExportCommand.TestLoss(checkpoint, test, settings.Threads, task);
        double? parseRate = null;
        if (scorer is not null && settings.Samples > 0)
        {
            using var model = CheckpointModel.Load(checkpointPath, "cpu", settings.Threads);
            var samples = FreeRunning.Evaluate(FreeRunning.From(model), new FreeRunningOptions
            {
                SamplesPerTemperature = settings.Samples, SampleLength = SampleLength, Temperatures = [settings.Temperature],
            }, scorer);
            parseRate = samples.Temperatures[0].ParseRate;
        }
        var (_, minutes, _, _) = SeedExperimentReport.ReadRun(folder, Terminal.Warn);
        var shape = checkpoint.Info.Config.Model;
        var parameters = checkpoint.Entries.Where(e => e.Key.StartsWith(Checkpoint.ParameterPrefix, StringComparison.Ordinal))
            .Sum(e => e.Value.Shape.Aggregate(1L, (product, size) => product * size));
        return new SweepPointResult(point.Index, point.Folder, point.Values, shape.Cell, shape.Layers, shape.Hidden, parameters,
            checkpoint.Info.Progress.Step, minutes, nats, parseRate);
    }
}
