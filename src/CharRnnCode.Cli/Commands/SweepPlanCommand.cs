// charrnn sweep plan: expands a grid file into a sweep folder (one run folder per point with its resolved
// config.json, and sweep.json), checking every key and value as `train --set` does before anything is written.
// It parses options and prints the points; the expansion is CharRnnCode.Model.Sweeps. It trains nothing.
using CharRnnCode.Model.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class SweepPlanCommand : Command<SweepPlanCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>
        /// Grid file (.json): corpus, preset, grid (key: [values]), set (key: value), budget (steps and/or
        /// minutes), seeds. See corpora/sweeps/seed-table1.json.
        /// </summary>
        [CommandArgument(0, "<GRID>")] public string Grid { get; init; } = "";

        /// <summary>
        /// Sweep folder to create (must not exist or be empty): points/NNN_.../config.json and sweep.json.
        /// </summary>
        [CommandOption("--out <SWEEP>")] public string? Out { get; init; }

        /// <summary>Corpus folder instead of the grid file's.</summary>
        [CommandOption("--corpus <DIR>")] public string? Corpus { get; init; }

        /// <summary>
        /// A key every point gets, on top of the grid file's "set" (repeatable), e.g. --set evalInterval=50.
        /// </summary>
        [CommandOption("-s|--set <KEY=VALUE>")] public string[] Overrides { get; init; } = [];

        /// <summary>
        /// Budget of every point in steps, instead of the grid file's budget (with --minutes: whichever ends
        /// first).
        /// </summary>
        [CommandOption("--steps <N>")] public int? Steps { get; init; }

        /// <summary>Budget of every point in minutes of training, instead of the grid file's budget.</summary>
        [CommandOption("--minutes <MINUTES>")] public double? Minutes { get; init; }

        public override ValidationResult Validate() =>
            FiniteNumbers.Problem(this) is { } notFinite ? ValidationResult.Error(notFinite)
            : string.IsNullOrEmpty(Out) ? ValidationResult.Error("--out SWEEP is required: the folder the sweep is planned into.")
            : Steps is <= 0 ? ValidationResult.Error("--steps must be positive.")
            : Minutes is <= 0 ? ValidationResult.Error("--minutes must be positive.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var grid = SweepGrid.Load(settings.Grid, settings.Corpus, settings.Overrides, settings.Steps, settings.Minutes);
        var plan = SweepPlan.Write(settings.Out!, grid);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("#").AddColumns([.. plan.Keys]).AddColumn("model").AddColumn("folder");
        foreach (var point in plan.Points)
            table.AddRow([point.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), .. plan.Keys.Select(k => Markup.Escape(point.Values.First(v => v.Key == k).Value)),
                Markup.Escape(point.Config.Model.Shape), Markup.Escape(point.Folder)]);
        AnsiConsole.Write(table);
        var budget = string.Join(" or ", new[]
        {
            plan.Budget.Steps is int s ? $"{s} steps" : null,
            plan.Budget.Minutes is double m ? FormattableString.Invariant($"{m} minutes") : null,
        }.OfType<string>());
        AnsiConsole.MarkupLineInterpolated($"[green]planned[/] {plan.Points.Count} points ({budget} each) on {plan.Corpus} in [bold]{plan.Directory}[/]");
        AnsiConsole.MarkupLineInterpolated($"next: charrnn sweep run {plan.Directory} --local (or --slurm, --kubernetes)");
        return 0;
    }
}
