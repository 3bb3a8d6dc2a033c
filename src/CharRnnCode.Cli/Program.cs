// charrnn: wires one command class per verb and the conventions every verb shares (strict parsing,
// results on stdout and errors on stderr, exit 2 for a usage error). Nothing else lives here.
using CharRnnCode.Cli;
using CharRnnCode.Cli.Commands;
using Spectre.Console;
using Spectre.Console.Cli;

AnsiConsole.Console = Terminal.Out;

// Bare `charrnn` (or `charrnn bench`, `charrnn experiment`, `charrnn sweep`) is a usage error: the help goes to stderr, so that a script that forgot
// the verb fails loudly instead of capturing the help as its result.
if (args is [] or ["bench"] or ["experiment"] or ["sweep"])
{
    Terminal.Error.MarkupLine("[red]error:[/] no command given; choose one of the commands below.");
    await App(Terminal.Error).RunAsync([.. args, "--help"]);
    return 2;
}
ErrorReporter.Arguments = args;
return await App(Terminal.Out).RunAsync(args);

static CommandApp App(IAnsiConsole console)
{
    var app = new CommandApp();
    app.Configure(config => Configure(config, console));
    return app;
}

static void Configure(IConfigurator config, IAnsiConsole console)
{
    config.SetApplicationName("charrnn");
    // The same "NAME VERSION" form as charrnn-server --version.
    config.SetApplicationVersion($"charrnn {VersionInfo.Text}");
    config.Settings.Console = console;
    // A misspelled option must stop the run, not be dropped: a silently ignored --lenght wastes a run.
    config.Settings.StrictParsing = true;
    config.Settings.CaseSensitivity = CaseSensitivity.All;
    config.SetExceptionHandler(ErrorReporter.Report);
    config.SetInterceptor(new FiniteNumbers());
    var verbs = new VerbOptions();
    config.SetHelpProvider(new TrainKeysHelp(config.Settings, verbs.SettingsTypeOf));
    verbs.Add<HarvestCommand>(config, "harvest")
        .WithDescription("Turn git repositories into a corpus folder: train/val/test text, per-file indexes and a manifest.")
        .WithExample("harvest", "--repo", "torvalds/linux", "--lang", "c", "--out", "corpora-out/linux")
        .WithExample("harvest", "--manifest", "corpora/csharp.json", "--out", "corpora-out/csharp");
    verbs.Add<TrainCommand>(config, "train")
        .WithDescription("Train a character-level LSTM/GRU/RNN on a corpus folder; resumable checkpoints, metrics and a loss plot in the run folder.");
    verbs.Add<SampleCommand>(config, "sample")
        .WithDescription("Generate text from a checkpoint (temperature, top-k, top-p, argmax; several samples as one batch).");
    verbs.Add<EvalCommand>(config, "eval")
        .WithDescription("Evaluate a checkpoint: loss, parse rate and undefined names of samples, line completion with and without Roslyn re-ranking, against an n-gram baseline; writes " +
            "report.md/.html/.json and plots.")
        .WithExample("eval", "--checkpoint", "runs/csharp/best.ckpt", "--corpus", "corpora-out/csharp", "--out", "reports/csharp");
    verbs.Add<NGramCommand>(config, "ngram")
        .WithDescription("Character n-gram baselines alone: every order (1 to 20) of Witten-Bell and modified Kneser-Ney, trained on a corpus's train split, loss on its test split; a table and JSON.")
        .WithExample("ngram", "--corpus", "corpora-out/linux", "--out", "ngram-linux.json");
    verbs.Add<ExportCommand>(config, "export")
        .WithDescription("Write a checkpoint for shipping: without the optimizer state (--weights-only), with float16 weights (--fp16, checked on a corpus's test split).")
        .WithExample("export", "--checkpoint", "runs/csharp/best.ckpt", "--out", "csharp.ckpt", "--weights-only", "--fp16", "--corpus", "corpora-out/csharp");
    verbs.Add<AdaptCommand>(config, "adapt")
        .WithDescription("Dynamic evaluation for a workspace: a copy of a checkpoint's weights steps on a folder's C# files for a time budget; writes the adapted checkpoint (the language server " +
            "runs it when dynamicEvaluation is on).")
        .WithExample("adapt", "--checkpoint", "runs/csharp/best.ckpt", "--workspace", "src", "--out", "adapted.ckpt", "--max-seconds", "120");
    config.AddBranch("experiment", experiment =>
    {
        experiment.SetDescription("Recipes that reproduce a published experiment end to end, resumable.");
        verbs.Add<SeedLinuxCommand>(experiment, "experiment seed-linux")
            .WithDescription("The seed's Linux experiment at CPU scale: ~6.2 M characters of kernel C, LSTM/GRU/RNN for a time budget each, n-grams of every order, parse rate and invented names; " +
                "one report.")
            .WithExample("experiment", "seed-linux", "--out", "runs/seed-linux", "--minutes", "60");
    });
    config.AddBranch("sweep", sweep =>
    {
        sweep.SetDescription("Grids of models (cells, depths, sizes, seeds, any train key) on the schedulers clusters already run: plan, run (local, Slurm, Kubernetes), report.");
        verbs.Add<SweepPlanCommand>(sweep, "sweep plan")
            .WithDescription("Expand a grid file into one run folder per point (resolved config.json) and sweep.json; bad keys or values stop before anything is written.")
            .WithExample("sweep", "plan", "corpora/sweeps/seed-table1.json", "--out", "runs/seed-table1");
        verbs.Add<SweepRunCommand>(sweep, "sweep run")
            .WithDescription("Train a sweep's unfinished points: --local (with a progress table), --slurm (one job array), --kubernetes (an Indexed Job manifest). Finished points are skipped, " +
                "interrupted ones resume.")
            .WithExample("sweep", "run", "runs/seed-table1", "--local", "--parallel", "2")
            .WithExample("sweep", "run", "runs/seed-table1", "--slurm", "--partition", "gpu", "--gpus", "1", "--time", "02:00:00");
        verbs.Add<SweepReportCommand>(sweep, "sweep report")
            .WithDescription("Evaluate every finished point on the same test split: the loss table by cell, layers and size, the n-gram baseline, parse rates, loss against parameter count.")
            .WithExample("sweep", "report", "runs/seed-table1");
    });
    config.AddBranch("bench", bench =>
    {
        bench.SetDescription("Benchmarks that print ratios against a baseline run in the same process.");
        verbs.Add<BenchHarvestCommand>(bench, "bench harvest")
            .WithDescription("Time a harvest of one repository against `git archive | tar -x` plus concatenation of the same files.");
        verbs.Add<BenchTrainCommand>(bench, "bench train")
            .WithDescription("Training and sampling speed of 1x128 to 3x512 LSTMs, as a ratio to this machine's matmul rate; both OpenMP wait policies.");
        verbs.Add<BenchScoreCommand>(bench, "bench score")
            .WithDescription("Roslyn scoring throughput on 500-character C# samples (samples/s, ratio to a bare parse) and the editor path's per-request cost.");
    });
    verbs.Add<QuickstartCommand>(config, "quickstart")
        .WithDescription("The whole product in a few minutes: harvest this repository, train a small model, sample, evaluate, and print the next steps.");
    verbs.Add<DoctorCommand>(config, "doctor")
        .WithDescription("Print what matters when something does not work: Torch backend, CUDA, threads, libgit2, Roslyn, reference assemblies.");
    ErrorReporter.Verbs = verbs;
}
