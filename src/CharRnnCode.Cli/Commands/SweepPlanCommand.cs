// charrnn sweep plan: expands a grid file into a sweep folder (one run folder per point with its resolved
// config.json, and sweep.json), checking every key and value as `train --set` does before anything is written.
// It parses options and prints the points; the expansion is CharRnnCode.Model.Sweeps. It trains nothing.
using System.ComponentModel;
using CharRnnCode.Model.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class SweepPlanCommand : Command<SweepPlanCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandArgument(0, "<GRID>")]
        [Description("Grid file (.json): corpus, preset, grid (key: [[values]]), set (key: value), budget (steps and/or minutes), seeds. See corpora/sweeps/seed-table1.json.")]
        public string Grid { get; init; } = "";

        [CommandOption("--out <SWEEP>")]
        [Description("Sweep folder to create (must not exist or be empty): points/NNN_.../config.json and sweep.json.")]
        public string? Out { get; init; }

        [CommandOption("--corpus <DIR>")]
        [Description("Corpus folder instead of the grid file's.")]
        public string? Corpus { get; init; }

        [CommandOption("-s|--set <KEY=VALUE>")]
        [Description("A key every point gets, on top of the grid file's \"set\" (repeatable), e.g. --set evalInterval=50.")]
        public string[] Overrides { get; init; } = [];

        [CommandOption("--steps <N>")]
        [Description("Budget of every point in steps, instead of the grid file's budget (with --minutes: whichever ends first).")]
        public int? Steps { get; init; }

        [CommandOption("--minutes <MINUTES>")]
        [Description("Budget of every point in minutes of training, instead of the grid file's budget.")]
        public double? Minutes { get; init; }

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
