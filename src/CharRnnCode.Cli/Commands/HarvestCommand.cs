// charrnn harvest: git repositories in, a corpus folder (train/val/test text, indexes, manifest) out.
using CharRnnCode.Corpus;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class HarvestCommand : Command<HarvestCommand.Settings>
{
    public sealed class Settings : HarvestFilterSettings
    {
        /// <summary>The corpus folder to write (replaced as a whole, atomically). Default: corpus.</summary>
        [CommandOption("-o|--out <DIR>")] public string Out { get; init; } = "corpus";

        /// <summary>
        /// Replace --out even when it is a folder that holds something other than a corpus (never the current
        /// folder, one above it, the home folder or a repository's root).
        /// </summary>
        [CommandOption("--force")] public bool Force { get; init; }

        /// <summary>
        /// Print the report as JSON on stdout (per repository: commit, license, files kept and dropped by reason;
        /// splits; corpus id).
        /// </summary>
        [CommandOption("--json")] public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var (specs, recipe) = settings.Repositories();
        var options = settings.Options(recipe);
        using var cancellation = Interrupts.CancelOnSignals(cancellationToken, out var signals);
        using var _ = signals;
        var result = HarvestConsole.WithProgress(progress =>
            new Harvester(options, settings.Runtime(progress) with { ReplaceAnyOut = settings.Force }).Run(specs, settings.Out, cancellation.Token));
        if (settings.Json) HarvestConsole.PrintJsonReport(result);
        else HarvestConsole.PrintReport(result);
        return 0;
    }
}
