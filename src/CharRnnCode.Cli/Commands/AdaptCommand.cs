// charrnn adapt: dynamic evaluation for a workspace. A copy of a checkpoint's weights takes gradient steps on a
// folder's C# files (and any extra text, such as the editor's open documents) for a time budget, and is written
// as an inference-only checkpoint. The language server runs it in the background when dynamicEvaluation is on
// and serves the file it writes; it works alone as well. Files are read as the server reads a workspace:
// regular files only, no links, bin/obj/node_modules/packages and hidden folders skipped, at most 1 MiB each
// and 64 MiB in all. It harvests nothing and keeps no optimizer state: an adapted checkpoint cannot be resumed.
using System.Text;
using CharRnnCode.Common;
using CharRnnCode.Completion.Documents;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class AdaptCommand : Command<AdaptCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>
        /// Checkpoint whose weights are adapted (e.g. RUN_DIR/best.ckpt, or the shipped default model).
        /// </summary>
        [CommandOption("--checkpoint <PATH>")] public string Checkpoint { get; init; } = "";

        /// <summary>Folder whose C# files the weights step on.</summary>
        [CommandOption("--workspace <DIR>")] public string Workspace { get; init; } = "";

        /// <summary>
        /// A file of the workspace to leave out (an open document whose editor text comes with --text instead);
        /// repeatable.
        /// </summary>
        [CommandOption("--skip <PATH>")] public string[] Skip { get; init; } = [];

        /// <summary>A file of further text to step on after the workspace's (e.g. the open documents).</summary>
        [CommandOption("--text <FILE>")] public string? Text { get; init; }

        /// <summary>Adapted checkpoint to write (atomically).</summary>
        [CommandOption("--out <FILE>")] public string Out { get; init; } = "";

        /// <summary>Overwrite --out even when it is a file that is not a checkpoint.</summary>
        [CommandOption("--force")] public bool Force { get; init; }

        /// <summary>Time budget for the steps (one pass over the text at most). Default 120.</summary>
        [CommandOption("--max-seconds <N>")] public int MaxSeconds { get; init; } = 120;

        /// <summary>Intra-op threads for TorchSharp. Default 1: it runs beside an editor.</summary>
        [CommandOption("--threads <N>")] public int Threads { get; init; } = 1;

        public override ValidationResult Validate()
        {
            if (string.IsNullOrEmpty(Checkpoint)) return ValidationResult.Error("--checkpoint PATH is required.");
            if (string.IsNullOrEmpty(Workspace)) return ValidationResult.Error("--workspace DIR is required.");
            if (string.IsNullOrEmpty(Out)) return ValidationResult.Error("--out FILE is required.");
            if (MaxSeconds <= 0) return ValidationResult.Error($"--max-seconds must be positive (got {MaxSeconds}).");
            if (Threads <= 0) return ValidationResult.Error($"--threads must be positive (got {Threads}).");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(settings.Workspace)) throw new UserError($"--workspace {settings.Workspace}: no such folder.");
        if (settings.Text is { } extra && !File.Exists(extra)) throw new UserError($"--text {extra}: no such file.");
        OutputTarget.EnsureFile(settings.Out, "a checkpoint", CheckpointFile.StartsAsCheckpoint, settings.Force);
        var checkpoint = Checkpoint.Load(settings.Checkpoint);
        var skipped = settings.Skip.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var (text, files) = WorkspaceText(settings.Workspace, skipped);
        if (settings.Text is { } more) text.Append(File.ReadAllText(more)).Append('\n');
        if (text.Length < 2) throw new UserError($"--workspace {settings.Workspace} holds no C# text to adapt to.");

        using var adapting = new DynamicEvaluation(checkpoint, threads: settings.Threads);
        var loss = double.NaN;
        Terminal.Progress.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .Start(progress =>
            {
                var task = progress.AddTask($"adapting to {files} files ({text.Length:N0} characters)", maxValue: 1);
                loss = adapting.Adapt(text.ToString(), TimeSpan.FromSeconds(settings.MaxSeconds), fraction => task.Value = Math.Min(1, fraction), cancellationToken);
                task.Value = 1;
            });
        adapting.ToCheckpoint().Save(settings.Out);
        AnsiConsole.WriteLine(FormattableString.Invariant(
            $"adapted {Path.GetFullPath(settings.Checkpoint)} to {files} files of {Path.GetFullPath(settings.Workspace)}: {adapting.Steps} steps, mean loss while adapting ") +
                FormattableString.Invariant($"{loss / Math.Log(2):0.000} bpc; wrote {Path.GetFullPath(settings.Out)}"));
        return 0;
    }

    /// <summary>The workspace's C# files joined, each after a line break (as a corpus joins them), listed and read as the
    /// language server reads a workspace (WorkspaceFiles).</summary>
    private static (StringBuilder Text, int Files) WorkspaceText(string root, HashSet<string> skipped)
    {
        var text = new StringBuilder();
        var files = 0;
        var listed = WorkspaceFiles.CSharpFiles([Path.GetFullPath(root)]).Where(path => !skipped.Contains(path)).ToList();
        foreach (var batch in WorkspaceFiles.ReadInBatches(listed, WorkspaceFiles.MaxBytes, batchSize: 64))
            foreach (var (_, fileText) in batch.Files)
            {
                text.Append('\n').Append(fileText);
                files++;
            }
        return (text, files);
    }
}
