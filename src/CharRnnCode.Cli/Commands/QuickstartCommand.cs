// charrnn quickstart: the whole product on one machine in a few minutes. It harvests a corpus (this
// repository by default, always there offline), fine-tunes the default model on it within a time budget
// (or, with --from-scratch, trains the small CPU preset), prints samples at three temperatures, evaluates
// the result beside the default model and the n-gram (parse rate, undefined names, report with plots)
// and ends with the exact next steps. Each step is the same command a user would run by hand, run
// with the settings printed above it, so the quickstart teaches the real verbs.
// It does not tune anything: longer or larger runs are what the next steps point to.
using System.Globalization;
using CharRnnCode.Common;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class QuickstartCommand : Command<QuickstartCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>
        /// Harvest these repositories (owner/name, git URL or local path; repeatable) instead of this project's
        /// own.
        /// </summary>
        [CommandOption("--repo <REPO>")] public string[] Repo { get; init; } = [];

        /// <summary>Language preset for --repo (default csharp).</summary>
        [CommandOption("--lang <LANG>")] public string Lang { get; init; } = "csharp";

        /// <summary>Training time budget in minutes. Default 5.</summary>
        [CommandOption("--minutes <MINUTES>")] public double Minutes { get; init; } = 5;

        /// <summary>
        /// Train a new model from --preset instead of fine-tuning the default model (charrnn-default.ckpt beside
        /// charrnn).
        /// </summary>
        [CommandOption("--from-scratch")] public bool FromScratch { get; init; }

        /// <summary>Model preset with --from-scratch. Default small-cpu (a 2x256 LSTM).</summary>
        [CommandOption("--preset <NAME>")] public string? Preset { get; init; }

        /// <summary>Run folder. Default runs/quickstart-YYYYMMDD-HHMMSS under the current folder.</summary>
        [CommandOption("--out <DIR>")] public string? Out { get; init; }

        /// <summary>Reuse --out even if it already holds a run (its contents are replaced).</summary>
        [CommandOption("--force")] public bool Force { get; init; }

        /// <summary>Intra-op threads (default: one per CPU).</summary>
        [CommandOption("--threads <N>")] public int? Threads { get; init; }

        public override ValidationResult Validate() =>
            FiniteNumbers.Problem(this) is { } notFinite ? ValidationResult.Error(notFinite)
            : Minutes is <= 0 or > 24 * 60 ? ValidationResult.Error("--minutes must be between 0 and 1440.")
            : Preset is not null && !FromScratch ? ValidationResult.Error("--preset chooses the model of a new run: add --from-scratch (without it the quickstart fine-tunes the default model, " +
                "whose shape is fixed).")
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
        var preset = settings.Preset ?? "small-cpu";
        var defaultModel = settings.FromScratch ? null : DefaultModelFile();
        if (settings.FromScratch) RunConfig.LoadPreset(preset, [$"maxMinutes={settings.Minutes.ToString(invariant)}"]);
        PrepareRunFolder(settings, run);

        StepHeadings.Step(1, 5, "harvest", manifest is null
            ? $"charrnn harvest {string.Join(' ', settings.Repo.Select(r => $"--repo {r}"))} --lang {settings.Lang} --out {corpus}"
            : $"charrnn harvest --manifest {manifest} --out {corpus}");
        new HarvestCommand().Execute(context, harvest, cancellationToken);

        // Fine-tuning keeps the default model's shape and training settings but its decay; new characters of the corpus join
        // its vocabulary (train --init-from extends it, so they are learnt rather than read as unknown).
        var minutes = settings.Minutes.ToString(invariant);
        StepHeadings.Step(2, 5, "train", defaultModel is null
            ? $"charrnn train --corpus {corpus} --preset {preset} --max-minutes {minutes} --set decay=cosine-minutes --out {model}"
            : $"charrnn train --init-from {defaultModel} --corpus {corpus} --max-minutes {minutes} --set decay=cosine-minutes --out {model}");
        new TrainCommand().Execute(context, new TrainCommand.Settings
        {
            Corpus = corpus,
            Preset = defaultModel is null ? preset : null,
            InitFrom = defaultModel,
            MaxMinutes = settings.Minutes,
            // Sized by minutes, so its cosine decays over them: the default model's own schedule (38,000 steps) or the
            // preset's would leave the learning rate near its peak when the few minutes end.
            Overrides = ["decay=cosine-minutes"],
            Out = model,
            Threads = settings.Threads,
        }, cancellationToken);
        var checkpoint = Path.Combine(model, RunFolder.BestCheckpoint);

        StepHeadings.Step(3, 5, "sample", $"charrnn sample --checkpoint {checkpoint} --prime \"{SamplePrime}\" --length 400 --seed 1 --temperature T   (T = 0.3, 0.6, 1.0)");
        foreach (var temperature in SampleTemperatures)
        {
            StepHeadings.Heading($"[grey]temperature {temperature.ToString(invariant)}[/]");
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
        var compare = defaultModel is null ? "" : $" --compare {defaultModel}";
        StepHeadings.Step(4, 5, "evaluate", $"charrnn eval --checkpoint {checkpoint}{compare} --corpus {corpus} --out {report} --temperatures {temperatures} --samples 8 --positions 24 " +
            $"--typing-lines 20 --typing-sweep none");
        new EvalCommand().Execute(context, new EvalCommand.Settings
        {
            Checkpoint = checkpoint,
            Compare = defaultModel is null ? [] : [defaultModel],
            Corpus = corpus,
            Out = report,
            Temperatures = temperatures,
            Samples = 8,
            Positions = 24,
            TypingLines = 20,
            TypingSweep = "none",
            Threads = settings.Threads,
        }, cancellationToken);

        PrintNextSteps(run, checkpoint, model, report);
        return 0;
    }

    private static string RunFolderPath(Settings settings) =>
        Path.GetFullPath(settings.Out ?? Path.Combine("runs", $"quickstart-{DateTime.Now:yyyyMMdd-HHmmss}"));

    /// <summary>A fresh run folder; an earlier run (any non-empty folder) is never overwritten unless --force says so,
    /// and the current folder, the home folder, the folders above them and a repository's root never are.</summary>
    private static void PrepareRunFolder(Settings settings, string run)
    {
        OutputTarget.EnsureNotProtected(run, settings.Out ?? run);
        if (Directory.Exists(run) && Directory.EnumerateFileSystemEntries(run).Any())
        {
            if (!settings.Force)
                throw new UserError($"{run} already holds a run. Pass another --out, or --force to replace it.");
            Directory.Delete(run, recursive: true);
        }
        Directory.CreateDirectory(run);
        StepHeadings.Heading("[bold]CharRnnCode quickstart[/]");
        AnsiConsole.MarkupLineInterpolated($"run folder: [bold]{run}[/]");
    }

    /// <summary>The default model beside charrnn, checked before any work: the fine-tune starts from it.</summary>
    private static string DefaultModelFile()
    {
        var path = DefaultModel.BesideProgram()
            ?? throw new UserError($"the default model ({DefaultModel.FileName}) is not beside charrnn in {AppContext.BaseDirectory}; " +
                                   "build charrnn from a complete clone (it copies server/CharRnnCode.Server/DefaultModel/ there), or pass --from-scratch to train a new model.");
        Checkpoint.Load(path);   // a damaged file is reported now, not after the harvest
        return path;
    }

    /// <summary>This repository's own harvest recipe, found from the current folder (or the program's) upwards.</summary>
    private static string DefaultManifest()
    {
        var found = HarvestFilterSettings.FindDefaultManifest(Environment.CurrentDirectory, AppContext.BaseDirectory)
            ?? throw new UserError("this project's repository (corpora/charrnncode.json) was not found above the current folder. " +
                                   "Run the quickstart from inside a clone of CharRnnCode, or name a repository: --repo PATH-OR-URL.");
        return Path.GetRelativePath(Environment.CurrentDirectory, found);
    }

    /// <summary>VS Code's name for this machine's platform (linux-x64, win32-x64, darwin-arm64, ...), as the packages are named.</summary>
    private static string VsCodeTarget()
    {
        var os = OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
            _ => "x64",
        };
        return $"{os}-{arch}";
    }

    private static void PrintNextSteps(string run, string checkpoint, string model, string report)
    {
        AnsiConsole.WriteLine();
        StepHeadings.Heading("[bold]5/5 next steps[/]");
        var lines = new[]
        {
            $"checkpoint:  {checkpoint}",
            $"report:      {Path.Combine(report, "report.html")}",
            "",
            "Ghost text in VS Code:",
            "  (cd vscode-extension && npm ci && npm run package)   # one .vsix per platform in dist-vsix/, each with its server",
            $"  code --install-extension vscode-extension/dist-vsix/charrnn-code-{VsCodeTarget()}.vsix",
            $"  then set \"charRnnCode.checkpoint\": \"{checkpoint}\" in settings.json (or run 'CharRnnCode: Choose Checkpoint…');",
            "  with no checkpoint set, the server serves the default model",
            "",
            "Any LSP client: charrnn-server --checkpoint " + checkpoint,
            "",
            "Train longer (continues exactly where this run stopped):",
            $"  charrnn train --resume {model} --set maxMinutes=60",
            "",
            "The seed's Linux experiment at CPU scale (LSTM, GRU, RNN and n-grams on 6 M characters of kernel C, ~90 minutes):",
            "  corpora/fetch-debian-sources.sh linux && charrnn experiment seed-linux --out runs/seed-linux",
            "",
            "Your own repositories:",
            "  charrnn quickstart --repo PATH-OR-URL [--repo ...] --minutes 30",
        };
        AnsiConsole.Write(new Panel(Markup.Escape(string.Join('\n', lines))) { Expand = Terminal.OutIsTerminal }.Header("what now"));
        AnsiConsole.MarkupLineInterpolated($"[green]quickstart done[/]: everything is in {run}");
    }
}
