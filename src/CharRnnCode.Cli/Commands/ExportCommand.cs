// charrnn export: writes a checkpoint for shipping rather than for training: --weights-only leaves out the
// optimizer, RNG and carried state (the run's facts stay: configuration, vocabulary, step, validation loss,
// corpus id), --fp16 stores the weights as float16. float16 is refused unless the loss on --corpus's test
// split moves by less than MaxRelativeLossChange, measured here on both sets of weights. It does not change
// the model's shape or vocabulary, and an export cannot be resumed (train --init-from starts from one).
using CharRnnCode.Common;
using CharRnnCode.Corpus;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class ExportCommand : Command<ExportCommand.Settings>
{
    /// <summary>The largest relative change of the test-split loss that float16 weights may cause.</summary>
    public const double MaxRelativeLossChange = 0.005;

    public sealed class Settings : CommandSettings
    {
        /// <summary>Checkpoint to export (e.g. RUN_DIR/best.ckpt).</summary>
        [CommandOption("--checkpoint <PATH>")] public string Checkpoint { get; init; } = "";

        /// <summary>File to write (atomically; an existing file is replaced).</summary>
        [CommandOption("--out <FILE>")] public string Out { get; init; } = "";

        /// <summary>Overwrite --out even when it is a file that is not a checkpoint.</summary>
        [CommandOption("--force")] public bool Force { get; init; }

        /// <summary>
        /// Inference only: the configuration, vocabulary, weights and the run's step, validation loss and corpus
        /// id, without the optimizer state (about a third of the size). Loads everywhere a checkpoint does except
        /// train --resume.
        /// </summary>
        [CommandOption("--weights-only")] public bool WeightsOnly { get; init; }

        /// <summary>
        /// Store the weights as float16 (read back as float32): half their size. Needs --corpus: refused unless the
        /// test-split loss changes by less than 0.5 % relative.
        /// </summary>
        [CommandOption("--fp16")] public bool Fp16 { get; init; }

        /// <summary>
        /// Corpus folder whose test split measures what --fp16 costs (e.g. the corpus the model was trained on).
        /// </summary>
        [CommandOption("--corpus <DIR>")] public string? Corpus { get; init; }

        /// <summary>Intra-op threads for the loss measurement (default: one per CPU).</summary>
        [CommandOption("--threads <N>")] public int? Threads { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrEmpty(Checkpoint)) return ValidationResult.Error("--checkpoint PATH is required.");
            if (string.IsNullOrEmpty(Out)) return ValidationResult.Error("--out FILE is required.");
            if (!WeightsOnly && !Fp16) return ValidationResult.Error("nothing to export: pass --weights-only (no optimizer state), --fp16 (float16 weights) or both.");
            if (Fp16 && string.IsNullOrEmpty(Corpus)) return ValidationResult.Error("--fp16 needs --corpus DIR: its test split measures what float16 weights cost.");
            if (!Fp16 && Corpus is not null) return ValidationResult.Error("--corpus is read only with --fp16; leave it out, or add --fp16.");
            if (Threads is <= 0) return ValidationResult.Error($"--threads must be positive (got {Threads}).");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        OutputTarget.EnsureFile(settings.Out, "a checkpoint", CheckpointFile.StartsAsCheckpoint, settings.Force);
        var source = Checkpoint.Load(settings.Checkpoint);
        var test = settings.Fp16 ? TestSplit(settings.Corpus!) : null;
        var exported = settings.WeightsOnly ? CheckpointExport.WeightsOnly(source) : source;
        if (settings.Fp16)
        {
            exported = CheckpointExport.WithHalfWeights(exported);
            CheckFloat16Loss(source, exported, test!, settings);
        }

        var sourceBytes = new FileInfo(settings.Checkpoint).Length;
        exported.Save(settings.Out);
        var exportedBytes = new FileInfo(settings.Out).Length;
        var p = exported.Info.Progress;
        var validation = double.IsFinite(p.BestValLoss) ? FormattableString.Invariant($", val {p.BestValLoss / Math.Log(2):0.000} bpc") : "";
        var parts = string.Join(", ", new[] { settings.WeightsOnly ? "weights only" : null, settings.Fp16 ? "float16 weights" : "float32 weights" }.OfType<string>());
        AnsiConsole.MarkupLineInterpolated($"exported {exported.Info.Config.Model.Shape}, step {p.Step}{validation} ({parts}) to [bold]{Path.GetFullPath(settings.Out)}[/]");
        AnsiConsole.WriteLine(FormattableString.Invariant(
            $"size: {Megabytes(sourceBytes)} before ({sourceBytes:N0} bytes), {Megabytes(exportedBytes)} after ({exportedBytes:N0} bytes), {100.0 * exportedBytes / sourceBytes:0.0} %"));
        return 0;
    }

    /// <summary>The test-split loss of the float32 and the float16 weights, printed; refuses (throws) past the limit.</summary>
    private static void CheckFloat16Loss(Checkpoint float32, Checkpoint float16, string test, Settings settings)
    {
        double float32Nats = 0, float16Nats = 0;
        Terminal.Progress.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                float32Nats = TestLoss(float32, test, settings.Threads, progress.AddTask("test-split loss, float32 weights", maxValue: 1));
                float16Nats = TestLoss(float16, test, settings.Threads, progress.AddTask("test-split loss, float16 weights", maxValue: 1));
            });
        var change = (float16Nats - float32Nats) / float32Nats;
        AnsiConsole.WriteLine(FormattableString.Invariant(
            $"test-split loss ({test.Length:N0} characters of {Path.GetFullPath(settings.Corpus!)}): float32 {float32Nats / Math.Log(2):0.000000} bpc, float16 {float16Nats / Math.Log(2):0.000000} ") +
                FormattableString.Invariant($"bpc, relative change {Percent(change)} (limit ±{100 * MaxRelativeLossChange:0.0} %)"));
        if (!(Math.Abs(change) < MaxRelativeLossChange))
            throw new UserError(FormattableString.Invariant(
                $"float16 weights change the test-split loss by {Percent(change)}, more than the {100 * MaxRelativeLossChange:0.0} % allowed; ") +
                $"nothing was written to {settings.Out}. Export without --fp16 (float32 weights).");
    }

    /// <summary>Loss in nats per character over the whole test text, read as training reads validation (batchSize streams, seqLength windows).</summary>
    internal static double TestLoss(Checkpoint checkpoint, string test, int? threads, ProgressTask task)
    {
        var config = checkpoint.Info.Config;
        var whole = checkpoint with { Info = checkpoint.Info with { Config = config with { Train = config.Train with { EvalChars = 0 } } } };
        var (nats, _) = Trainer.ValidationLoss(whole, test, "cpu", threads, fraction => task.Value = fraction);
        task.Value = 1;
        return nats;
    }

    private static string TestSplit(string corpus)
    {
        var directory = Path.GetFullPath(corpus);
        var path = File.Exists(Path.Combine(directory, "manifest.json")) ? CorpusFolder.Open(directory).TestPath : Path.Combine(directory, "test.txt");
        if (!File.Exists(path))
            throw new UserError($"--corpus {directory} has no test.txt. Point it at a corpus folder written by `charrnn harvest` (train.txt, val.txt, test.txt).");
        var text = File.ReadAllText(path);
        if (text.Length < 2) throw new UserError($"{path} is empty, so it cannot measure what float16 weights cost; use a corpus with a test split.");
        return text;
    }

    // Signed, with digits enough for the tiny changes float16 usually makes (a custom format would print "-+0.000").
    private static string Percent(double share) => double.IsFinite(share)
        ? (share >= 0 ? "+" : "-") + Math.Abs(100 * share).ToString("0.0000", System.Globalization.CultureInfo.InvariantCulture) + " %"
        : "not measurable (the loss is not finite)";

    private static string Megabytes(long bytes) => FormattableString.Invariant($"{bytes / 1e6:0.00} MB");
}
