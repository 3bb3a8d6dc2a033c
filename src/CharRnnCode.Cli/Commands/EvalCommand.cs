// charrnn eval: measures a checkpoint on a corpus (loss, free-running parse rate and undefined names, line
// completion with and without Roslyn re-ranking), beside a character n-gram baseline on the same splits, and
// writes report.md, report.html, report.json and PNG plots. Parses options and draws progress; the work is
// CharRnnCode.Evaluation.Evaluator, the report model EvaluationReportDocument (printed with the console renderer,
// or as JSON with --json), the files ReportWriter.
using System.Globalization;
using CharRnnCode.Common;
using CharRnnCode.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class EvalCommand : Command<EvalCommand.Settings>
{
    public sealed class Settings : InferenceSettings
    {
        /// <summary>
        /// Checkpoint to evaluate (e.g. RUN_DIR/best.ckpt); its run's metrics.jsonl gives the loss curves.
        /// </summary>
        [CommandOption("--checkpoint <PATH>")] public string Checkpoint { get; init; } = "";

        /// <summary>
        /// Corpus folder: test split for loss and line completion (bound against every split's files), validation
        /// split to choose the n-gram order, train split for the n-gram.
        /// </summary>
        [CommandOption("--corpus <DIR>")] public string Corpus { get; init; } = "";

        /// <summary>
        /// Report folder (report.md, report.html, report.json, *.png); replaced as a whole when done.
        /// </summary>
        [CommandOption("--out <DIR>")] public string Out { get; init; } = "";

        /// <summary>
        /// Replace --out even when it is a folder that holds something other than a report (never the current
        /// folder, one above it, the home folder or a repository's root).
        /// </summary>
        [CommandOption("--force")] public bool Force { get; init; }

        /// <summary>Free-running samples per temperature. Default 16.</summary>
        [CommandOption("--samples <N>")] public int Samples { get; init; } = 16;

        /// <summary>Characters per free-running sample. Default 600.</summary>
        [CommandOption("--length <N>")] public int Length { get; init; } = 600;

        /// <summary>Sampling temperatures, comma-separated. Default 0.2,0.5,0.8,1.0,1.2.</summary>
        [CommandOption("--temperatures <LIST>")] public string Temperatures { get; init; } = "0.2,0.5,0.8,1.0,1.2";

        /// <summary>Line-completion cursor positions drawn from the test split. Default 200.</summary>
        [CommandOption("--positions <N>")] public int Positions { get; init; } = 200;

        /// <summary>
        /// Lines of the test split the typing replay types keystroke by keystroke (ghost text, IntelliSense, both);
        /// 0 skips it. Default 30.
        /// </summary>
        [CommandOption("--typing-lines <N>")] public int TypingLines { get; init; } = 30;

        /// <summary>
        /// Settings the model's ghost text is also typed with, minConfidence:stopAgreement pairs, comma-separated,
        /// or none. Default 0:0,0.5:0.5,0.75:0.5,0.875:0.5.
        /// </summary>
        [CommandOption("--typing-sweep <LIST>")] public string TypingSweep { get; init; } = "0:0,0.5:0.5,0.75:0.5,0.875:0.5";

        /// <summary>
        /// Candidates per position for best-of-K (by likelihood, and re-ranked by Roslyn). Default 8.
        /// </summary>
        [CommandOption("-k|--candidates <K>")] public int K { get; init; } = 8;

        /// <summary>Temperature of the K line candidates. Default 0.8.</summary>
        [CommandOption("--line-temperature <T>")] public double LineTemperature { get; init; } = 0.8;

        /// <summary>Characters before the cursor the model reads. Default 1500.</summary>
        [CommandOption("--context <N>")] public int Context { get; init; } = 1500;

        /// <summary>
        /// Characters of the test split (loss) and validation split (n-gram order) to read; 0 reads each whole.
        /// Default 0.
        /// </summary>
        [CommandOption("--loss-chars <N>")] public int LossChars { get; init; }

        /// <summary>
        /// Evaluate even when the checkpoint's vocabulary knows less than 90 % of the corpus's characters.
        /// </summary>
        [CommandOption("--allow-unknown-chars")] public bool AllowUnknownChars { get; init; }

        /// <summary>
        /// Highest n-gram order (1 to 20); orders up to it are compared, the best is the baseline. Default 20.
        /// </summary>
        [CommandOption("--ngram-order <N>")] public int NGramOrder { get; init; } = NGramModel.MaxOrder;

        /// <summary>Further checkpoints to compare on the same splits (e.g. GRU and RNN runs); repeatable.</summary>
        [CommandOption("--compare <CKPT>")] public string[] Compare { get; init; } = [];

        /// <summary>
        /// A cell to draw the text coloured by, e.g. 1:37 (the best cell per syntactic fact is always drawn).
        /// </summary>
        [CommandOption("--cell <LAYER:CELL>")] public string? Cell { get; init; }

        /// <summary>Seed for positions and samples. Default 1.</summary>
        [CommandOption("--seed <S>")] public long Seed { get; init; } = 1;

        /// <summary>
        /// How the free-running samples are decoded: free (default, the model alone) or constrained (Roslyn steers
        /// every character, as in the server). Line completion always reports both.
        /// </summary>
        [CommandOption("--decode <MODE>")] public string Decode { get; init; } = "free";

        /// <summary>
        /// Print the summary table as JSON on stdout (progress goes to stderr); the report files are written as
        /// without it.
        /// </summary>
        [CommandOption("--json")] public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrEmpty(Checkpoint)) return ValidationResult.Error("--checkpoint PATH is required.");
            if (string.IsNullOrEmpty(Corpus)) return ValidationResult.Error("--corpus DIR is required.");
            if (string.IsNullOrEmpty(Out)) return ValidationResult.Error("--out DIR is required.");
            if (Decode is not ("free" or "constrained")) return ValidationResult.Error($"--decode must be free or constrained (got '{Decode}').");
            if (Samples < 1 || Length < 20) return ValidationResult.Error("--samples must be at least 1 and --length at least 20.");
            if (Positions < 1 || K < 1) return ValidationResult.Error("--positions and --k must be at least 1.");
            if (TypingLines < 0) return ValidationResult.Error("--typing-lines must be 0 (no typing replay) or more.");
            if (ParseGateSettings(TypingSweep) is null)
                return ValidationResult.Error($"--typing-sweep takes minConfidence:stopAgreement pairs of shares from 0 to 1, comma-separated (e.g. 0:0,0.75:0.5), or none (got '{TypingSweep}').");
            if (NGramOrder is < 1 or > NGramModel.MaxOrder) return ValidationResult.Error($"--ngram-order must be 1 to {NGramModel.MaxOrder}.");
            if (LossChars is < 0 or (> 0 and < 100) || Context < 1) return ValidationResult.Error("--loss-chars must be 0 (whole split) or at least 100, and --context at least 1.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var temperatures = ParseTemperatures(settings.Temperatures);
        // Checked before the evaluation's minutes of work, and again when the report is written.
        ReportWriter.EnsureReplaceable(settings.Out, settings.Force);
        foreach (var path in new[] { settings.Checkpoint }.Concat(settings.Compare))
            if (!File.Exists(path)) throw new UserError($"checkpoint '{path}' does not exist. Train one with `charrnn train --out RUN_DIR`, then pass RUN_DIR/best.ckpt.");
        var options = new EvaluationOptions
        {
            SamplesPerTemperature = settings.Samples, SampleLength = settings.Length, Temperatures = temperatures,
            Positions = settings.Positions, TypingLines = settings.TypingLines, TypingSweep = ParseGateSettings(settings.TypingSweep)!,
            K = settings.K, LineTemperature = settings.LineTemperature, MaxContextChars = settings.Context,
            MaxLossChars = settings.LossChars, NGramOrder = settings.NGramOrder, ChosenCell = ParseCell(settings.Cell), Seed = settings.Seed, Decode = settings.Decode,
        };
        var request = new EvaluationRequest(settings.Checkpoint, CorpusInputs.ForEvaluation(settings.Corpus), options)
        {
            Compare = settings.Compare, Device = settings.Device, Threads = settings.Threads, AllowUnknownCharacters = settings.AllowUnknownChars,
        };

        EvaluationReport? report = null;
        (settings.Json ? Terminal.Error : Terminal.Progress).Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress => report = Evaluator.Run(request, new SpectreStages(progress), cancellationToken));
        ReportWriter.Write(report!, settings.Out, settings.Force);
        // The console, --json and the report files render the same report model.
        var document = EvaluationReportDocument.Build(report!, []);
        if (settings.Json)
        {
            JsonOutput.Write(JsonSummary(report!, document, settings.Out));
            return 0;
        }

        var coverage = FormattableString.Invariant($"vocabulary coverage: the checkpoint knows {report!.VocabularyCoverage:P2} of the corpus's characters");
        if (report.VocabularyCoverage < Evaluator.WarningCoverage)
            Console.Error.WriteLine($"warning: {coverage} (below {Evaluator.WarningCoverage:P0}): unknown characters all score as one symbol, so the loss is not comparable with a model that knows " +
                $"them.");
        else AnsiConsole.WriteLine(coverage);
        Console.Out.Write(ConsoleRenderer.Render(document));
        Console.Out.Flush();
        AnsiConsole.MarkupLineInterpolated($"report: {Path.Combine(Path.GetFullPath(settings.Out), "report.html")} (and report.md, report.json, {ReportWriter.PlotFilesFor(report).Count} plots)");
        return 0;
    }

    /// <summary>`--typing-sweep`: "none", or minConfidence:stopAgreement pairs of shares; null when malformed.</summary>
    internal static List<CharRnnCode.Typing.GateSetting>? ParseGateSettings(string text)
    {
        if (text.Trim() is "none" or "") return [];
        var settings = new List<CharRnnCode.Typing.GateSetting>();
        foreach (var pair in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2 || !double.TryParse(parts[0], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var gate)
                || !double.TryParse(parts[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var stop)
                || gate is < 0 or > 1 || stop is < 0 or > 1) return null;
            settings.Add(new(gate, stop));
        }
        return settings;
    }

    /// <summary>The summary as data: the model beside the best n-gram per measure (the keys scripts read), every
    /// contender, and the console's tables as the report model's JSON.</summary>
    private static object JsonSummary(EvaluationReport report, ReportDocument document, string outDirectory) => new
    {
        report.Checkpoint,
        report.Model,
        NgramOrder = report.NGramBestOrder,
        TestBitsPerChar = new { Model = report.ModelLoss.BitsPerCharacter, Ngram = report.NGramBestBpc },
        Compared = report.Comparisons.Select(c => new { c.Checkpoint, c.Model, TestBitsPerChar = c.TestBpc }),
        WorkspaceCache = report.WorkspaceCacheLosses,
        Contenders = report.Contenders.Select(c => new { c.Name, c.Kind, c.Description, c.Checkpoint, TestBitsPerChar = c.Loss.BitsPerCharacter }),
        TrainingValidation = new { report.TrainingLoss.TrainingLogBpc, report.TrainingLoss.RecomputedBpc, report.TrainingLoss.Agrees },
        report.VocabularyCoverage,
        report.Scoring,
        FreeRunning = (report.FreeRunning?.Temperatures ?? []).Zip(report.NGramFreeRunning?.Temperatures ?? []).Select(pair => new
        {
            pair.First.Temperature,
            Model = new { pair.First.ParseRateInterval, pair.First.UndefinedPer1000, pair.First.InventedDistinctShare, pair.First.InventedOccurrenceShare },
            Ngram = new { pair.Second.ParseRateInterval, pair.Second.UndefinedPer1000, pair.Second.InventedDistinctShare, pair.Second.InventedOccurrenceShare },
        }),
        LineCompletion = (report.LineCompletion?.Summary ?? []).Zip(report.NGramLineCompletion?.Summary ?? []).Select(pair => new
        {
            pair.First.Strategy,
            Model = LineCells(pair.First),
            Ngram = LineCells(pair.Second),
        }),
        Ranking = report.LineCompletion?.Ranking,
        Paired = (report.LineCompletion?.Paired ?? []).Select(p => new { p.Strategy, p.Baseline, Differences = p.Differences.Select(d => new { d.Measure, d.Difference, d.Verdict }) }),
        Tables = JsonRenderer.Tables(document, ReportMedia.Console),
        Report = Path.Combine(Path.GetFullPath(outDirectory), "report.html"),
    };

    private static object LineCells(StrategySummary s) => new { s.NonEmpty, s.ExactMatch, s.EditSimilarity, s.ParseOk, s.UndefinedPerCompletion, s.UndefinedPerIdentifier, s.Clean };

    private static IReadOnlyList<double> ParseTemperatures(string list)
    {
        var values = new List<double>();
        foreach (var part in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) || !(t > 0 && t <= 5))
                throw new UserError($"--temperatures: '{part}' is not a finite temperature above 0 and at most 5; write e.g. 0.5,0.8,1.0.");
            values.Add(t);
        }
        if (values.Count == 0) throw new UserError("--temperatures is empty; write e.g. 0.5,0.8,1.0.");
        return values;
    }

    private static (int, int)? ParseCell(string? cell)
    {
        if (cell is null) return null;
        var parts = cell.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var layer) || !int.TryParse(parts[1], out var index) || layer < 0 || index < 0)
            throw new UserError($"--cell '{cell}' is not LAYER:CELL; write e.g. --cell 1:37 (layers and cells count from 0).");
        return (layer, index);
    }

    /// <summary>One Spectre progress bar per evaluation stage.</summary>
    private sealed class SpectreStages(ProgressContext context) : IStageProgress
    {
        public IProgress<double> Stage(string name, double total)
        {
            var task = context.AddTask(Markup.Escape(name), maxValue: Math.Max(total, 1));
            return new Bar(task, context);
        }

        private sealed class Bar(ProgressTask task, ProgressContext context) : IProgress<double>
        {
            public void Report(double value)
            {
                task.Value = Math.Min(value, task.MaxValue);
                context.Refresh();
            }
        }
    }
}
