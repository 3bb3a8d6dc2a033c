// charrnn quickstart: the whole product on one machine in a few minutes. It harvests a corpus (this
// repository by default, always there offline), trains the small CPU preset within a time budget,
// prints samples at three temperatures, evaluates (parse rate, undefined names, report with plots)
// and ends with the exact next steps. Each step is the same command a user would run by hand, run
// with the settings printed above it, so the quickstart teaches the real verbs.
// It does not tune anything: longer or larger runs are what the next steps point to.
using System.ComponentModel;
using System.Globalization;
using CharRnnCode.Common;
using CharRnnCode.Model;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class QuickstartCommand : Command<QuickstartCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        [CommandOption("--repo <REPO>")]
        [Description("Harvest these repositories (owner/name, git URL or local path; repeatable) instead of this project's own.")]
        public string[] Repo { get; init; } = [];

        [CommandOption("--lang <LANG>")]
        [Description("Language preset for --repo (default csharp).")]
        public string Lang { get; init; } = "csharp";

        [CommandOption("--minutes <MINUTES>")]
        [Description("Training time budget in minutes. Default 5.")]
        public double Minutes { get; init; } = 5;

        [CommandOption("--preset <NAME>")]
        [Description("Model preset. Default small-cpu (a 2x256 LSTM).")]
        public string Preset { get; init; } = "small-cpu";

        [CommandOption("--out <DIR>")]
        [Description("Run folder. Default runs/quickstart-YYYYMMDD-HHMMSS under the current folder.")]
        public string? Out { get; init; }

        [CommandOption("--force")]
        [Description("Reuse --out even if it already holds a run (its contents are replaced).")]
        public bool Force { get; init; }

        [CommandOption("--threads <N>")]
        [Description("Intra-op threads (default: one per CPU).")]
        public int? Threads { get; init; }

        public override ValidationResult Validate() =>
            FiniteNumbers.Problem(this) is { } notFinite ? ValidationResult.Error(notFinite)
            : Minutes is <= 0 or > 24 * 60 ? ValidationResult.Error("--minutes must be between 0 and 1440.")
            : ValidationResult.Success();
    }

    private static readonly double[] SampleTemperatures = [0.3, 0.6, 1.0];

    // Without a prime, a young model's most likely text at low temperature is indentation alone.
    private const string SamplePrime = "public static ";

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // Every option is checked before any work is done or any folder made: a bad --preset must not cost a harvest.
        var manifest = settings.Repo.Length > 0 ? null : DefaultManifest();
        var run = RunFolderPath(settings);
        var corpus = Path.Combine(run, "corpus");
        var model = Path.Combine(run, "model");
        var report = Path.Combine(run, "report");
        var invariant = CultureInfo.InvariantCulture;
        var harvest = new HarvestCommand.Settings
        {
            Repo = settings.Repo,
            Manifest = manifest,
            Lang = settings.Repo.Length > 0 ? [settings.Lang] : [],
            Out = corpus,
        };
        var (_, recipe) = harvest.Repositories();
        harvest.Options(recipe);
        if (settings.Threads is <= 0) throw new UserError($"--threads must be positive (got {settings.Threads}).");
        RunConfig.LoadPreset(settings.Preset, [$"maxMinutes={settings.Minutes.ToString(invariant)}"]);
        PrepareRunFolder(settings, run);

        Step(1, "harvest", manifest is null
            ? $"charrnn harvest {string.Join(' ', settings.Repo.Select(r => $"--repo {r}"))} --lang {settings.Lang} --out {corpus}"
            : $"charrnn harvest --manifest {manifest} --out {corpus}");
        new HarvestCommand().Execute(context, harvest, cancellationToken);

        Step(2, "train", $"charrnn train --corpus {corpus} --preset {settings.Preset} --max-minutes {settings.Minutes.ToString(invariant)} --out {model}");
        new TrainCommand().Execute(context, new TrainCommand.Settings
        {
            Corpus = corpus,
            Preset = settings.Preset,
            MaxMinutes = settings.Minutes,
            Out = model,
            Threads = settings.Threads,
        }, cancellationToken);
        var checkpoint = Path.Combine(model, "best.ckpt");

        Step(3, "sample", $"charrnn sample --checkpoint {checkpoint} --prime \"{SamplePrime}\" --length 400 --seed 1 --temperature T   (T = 0.3, 0.6, 1.0)");
        foreach (var temperature in SampleTemperatures)
        {
            Heading($"[grey]temperature {temperature.ToString(invariant)}[/]");
            new SampleCommand().Execute(context, new SampleCommand.Settings
            {
                Checkpoint = checkpoint,
                Prime = SamplePrime,
                Temperature = temperature,
                Length = 400,
                Seed = 1,
                Threads = settings.Threads,
            }, cancellationToken);
        }

        var temperatures = string.Join(',', SampleTemperatures.Select(t => t.ToString(invariant)));
        Step(4, "evaluate", $"charrnn eval --checkpoint {checkpoint} --corpus {corpus} --out {report} --temperatures {temperatures} --samples 8 --positions 24");
        new EvalCommand().Execute(context, new EvalCommand.Settings
        {
            Checkpoint = checkpoint,
            Corpus = corpus,
            Out = report,
            Temperatures = temperatures,
            Samples = 8,
            Positions = 24,
            Threads = settings.Threads,
        }, cancellationToken);

        PrintNextSteps(run, checkpoint, model, report);
        return 0;
    }

    private static string RunFolderPath(Settings settings) =>
        Path.GetFullPath(settings.Out ?? Path.Combine("runs", $"quickstart-{DateTime.Now:yyyyMMdd-HHmmss}"));

    /// <summary>A fresh run folder; an earlier run is never overwritten unless --force says so.</summary>
    private static void PrepareRunFolder(Settings settings, string run)
    {
        if (Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any())
        {
            if (!settings.Force)
                throw new UserError($"{run} already holds a run. Pass another --out, or --force to replace it.");
            Directory.Delete(run, recursive: true);
        }
        Directory.CreateDirectory(run);
        Heading("[bold]CharRnnCode quickstart[/]");
        AnsiConsole.MarkupLineInterpolated($"run folder: [bold]{run}[/]");
    }

    /// <summary>This repository's own harvest recipe, found from the current folder (or the program's) upwards.</summary>
    private static string DefaultManifest()
    {
        var found = HarvestFilterSettings.FindDefaultManifest(Environment.CurrentDirectory, AppContext.BaseDirectory)
            ?? throw new UserError("this project's repository (corpora/charrnncode.json) was not found above the current folder. " +
                                   "Run the quickstart from inside a clone of CharRnnCode, or name a repository: --repo PATH-OR-URL.");
        return Path.GetRelativePath(Environment.CurrentDirectory, found);
    }

    // A rule fills the width; redirected output has no width (it is never wrapped), so there a rule is a line of fixed length.
    private static void Heading(string title)
    {
        if (Terminal.OutIsTerminal) AnsiConsole.Write(new Rule(title).LeftJustified());
        else AnsiConsole.MarkupLine($"── {title} {new string('─', 80)}");
    }

    private static void Step(int number, string name, string command)
    {
        AnsiConsole.WriteLine();
        Heading($"[bold]{number}/5 {name}[/]");
        AnsiConsole.MarkupLineInterpolated($"[grey]$ {command}[/]");
    }

    private static void PrintNextSteps(string run, string checkpoint, string model, string report)
    {
        AnsiConsole.WriteLine();
        Heading("[bold]5/5 next steps[/]");
        var lines = new[]
        {
            $"checkpoint:  {checkpoint}",
            $"report:      {Path.Combine(report, "report.html")}",
            "",
            "Ghost text in VS Code:",
            "  (cd vscode-extension && npm ci && npm run package)   # charrnn-code.vsix, the server inside",
            "  code --install-extension vscode-extension/charrnn-code.vsix",
            $"  then set \"charRnnCode.checkpoint\": \"{checkpoint}\" in settings.json (or run 'CharRnnCode: Choose Checkpoint…')",
            "",
            "Any LSP client: charrnn-server --checkpoint " + checkpoint,
            "",
            "Train longer (continues exactly where this run stopped):",
            $"  charrnn train --resume {model} --set maxMinutes=60",
            "",
            "The seed's Linux experiment (3x512 LSTM on the kernel's C sources, on a GPU machine):",
            "  charrnn harvest --manifest corpora/linux.json --out corpora-out/linux",
            "  charrnn train --corpus corpora-out/linux --preset lstm-3x512 --device cuda --out runs/linux",
            "",
            "Your own repositories:",
            "  charrnn quickstart --repo PATH-OR-URL [--repo ...] --minutes 30",
        };
        AnsiConsole.Write(new Panel(Markup.Escape(string.Join('\n', lines))) { Expand = Terminal.OutIsTerminal }.Header("what now"));
        AnsiConsole.MarkupLineInterpolated($"[green]quickstart done[/]: everything is in {run}");
    }
}
