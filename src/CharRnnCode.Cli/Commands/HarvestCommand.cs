// charrnn harvest: git repositories in, a corpus folder (train/val/test text, indexes, manifest) out.
using System.ComponentModel;
using CharRnnCode.Corpus;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class HarvestCommand : Command<HarvestCommand.Settings>
{
    public sealed class Settings : HarvestFilterSettings
    {
        [CommandOption("-o|--out <DIR>")]
        [Description("The corpus folder to write (replaced as a whole, atomically). Default: corpus.")]
        public string Out { get; init; } = "corpus";

        [CommandOption("--force")]
        [Description("Replace --out even when it is a folder that holds something other than a corpus (never the current folder, one above it, the home folder or a repository's root).")]
        public bool Force { get; init; }

        [CommandOption("--json")]
        [Description("Print the report as JSON on stdout (per repository: commit, license, files kept and dropped by reason; splits; corpus id).")]
        public bool Json { get; init; }
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
