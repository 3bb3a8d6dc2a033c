// charrnn sweep run: runs a planned sweep's unfinished points with one executor: --local (processes on this machine, a
// progress table), --slurm (one job array submitted with sbatch; --dry-run prints its script) or --kubernetes (an
// Indexed Job manifest for `kubectl apply`). Finished points are skipped and interrupted ones resume, whichever
// executor ran them before. It parses options, says which `charrnn train` a task runs, and reports (the local runs as a
// live table); the executors are in CharRnnCode.Model.Sweeps.
using System.Globalization;
using CharRnnCode.Common;
using CharRnnCode.Inference;
using CharRnnCode.Model.Sweeps;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class SweepRunCommand : Command<SweepRunCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>Sweep folder written by `charrnn sweep plan`.</summary>
        [CommandArgument(0, "<SWEEP>")] public string Sweep { get; init; } = "";

        /// <summary>Train the points on this machine, --parallel at a time, with a progress table.</summary>
        [CommandOption("--local")] public bool Local { get; init; }

        /// <summary>
        /// Submit one Slurm job array (sbatch --array), one task per unfinished point; the script is kept in
        /// SWEEP/slurm/.
        /// </summary>
        [CommandOption("--slurm")] public bool Slurm { get; init; }

        /// <summary>
        /// Write an Indexed Job manifest (SWEEP/kubernetes/job.json), one completion index per point; apply it with
        /// kubectl apply -f.
        /// </summary>
        [CommandOption("--kubernetes")] public bool Kubernetes { get; init; }

        /// <summary>--local: runs at a time (default 1). --kubernetes: pods at a time (default: every point).</summary>
        [CommandOption("--parallel <N>")] public int? Parallel { get; init; }

        /// <summary>--local: threads of each run (default: the CPUs divided among the parallel runs).</summary>
        [CommandOption("--threads <N>")] public int? Threads { get; init; }

        /// <summary>--slurm: print the batch script instead of submitting it.</summary>
        [CommandOption("--dry-run")] public bool DryRun { get; init; }

        /// <summary>--slurm: the partition (default: the cluster's).</summary>
        [CommandOption("--partition <NAME>")] public string? Partition { get; init; }

        /// <summary>
        /// --slurm and --kubernetes: GPUs per task (default 0); the runs then train with --device cuda.
        /// </summary>
        [CommandOption("--gpus <N>")] public int Gpus { get; init; }

        /// <summary>--slurm: CPUs per task (--cpus-per-task, and the runs' --threads).</summary>
        [CommandOption("--cpus <N>")] public int? Cpus { get; init; }

        /// <summary>
        /// --slurm: time limit of each task, in Slurm's format (e.g. 02:00:00); a task stopped by it resumes when
        /// requeued.
        /// </summary>
        [CommandOption("--time <LIMIT>")] public string? Time { get; init; }

        /// <summary>
        /// --slurm: a further #SBATCH option (repeatable), without its dashes: --sbatch account=lab writes #SBATCH
        /// --account=lab.
        /// </summary>
        [CommandOption("--sbatch <OPTION>")] public string[] SbatchLines { get; init; } = [];

        /// <summary>
        /// --slurm and --kubernetes: the command that runs charrnn where the tasks run (default: this charrnn's own
        /// path for Slurm, charrnn for Kubernetes).
        /// </summary>
        [CommandOption("--charrnn <COMMAND>")] public string? Charrnn { get; init; }

        /// <summary>--kubernetes: the container image that holds charrnn.</summary>
        [CommandOption("--image <IMAGE>")] public string? Image { get; init; }

        /// <summary>--kubernetes: the PersistentVolumeClaim holding the sweep folder and the corpus.</summary>
        [CommandOption("--volume-claim <NAME>")] public string? VolumeClaim { get; init; }

        /// <summary>--kubernetes: where the claim is mounted in the pods (default /sweeps).</summary>
        [CommandOption("--mount-path <PATH>")] public string MountPath { get; init; } = "/sweeps";

        /// <summary>
        /// --kubernetes: the sweep folder's path in the pods (default MOUNT-PATH/SWEEP's folder name).
        /// </summary>
        [CommandOption("--sweep-path <PATH>")] public string? SweepPath { get; init; }

        /// <summary>
        /// --kubernetes: the corpus folder's path in the pods (default MOUNT-PATH/the corpus's folder name).
        /// </summary>
        [CommandOption("--corpus-path <PATH>")] public string? CorpusPath { get; init; }

        public override ValidationResult Validate()
        {
            var executors = new[] { Local, Slurm, Kubernetes }.Count(x => x);
            if (executors != 1) return ValidationResult.Error("choose one executor: --local, --slurm or --kubernetes.");
            if (Parallel is < 1 || Threads is < 1 || Cpus is < 1 || Gpus < 0) return ValidationResult.Error("--parallel, --threads and --cpus must be at least 1, --gpus at least 0.");
            if (DryRun && !Slurm) return ValidationResult.Error("--dry-run goes with --slurm (--kubernetes only writes its manifest anyway).");
            if (!Slurm && (Partition ?? Time ?? Cpus?.ToString() ?? (SbatchLines.Length > 0 ? "" : null)) is not null)
                return ValidationResult.Error("--partition, --time, --cpus and --sbatch go with --slurm.");
            if (Kubernetes && (string.IsNullOrEmpty(Image) || string.IsNullOrEmpty(VolumeClaim)))
                return ValidationResult.Error("--kubernetes needs --image IMAGE (holding charrnn) and --volume-claim NAME (holding the sweep and the corpus).");
            if (!Kubernetes && (Image ?? VolumeClaim ?? SweepPath ?? CorpusPath) is not null)
                return ValidationResult.Error("--image, --volume-claim, --sweep-path and --corpus-path go with --kubernetes.");
            if (Local && Charrnn is not null) return ValidationResult.Error("--charrnn goes with --slurm or --kubernetes; --local runs this charrnn.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var plan = SweepPlan.Load(settings.Sweep);
        var charrnn = settings.Charrnn?.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (settings.Kubernetes)
        {
            var options = new KubernetesOptions(settings.Image!, settings.VolumeClaim!, settings.MountPath,
                settings.SweepPath ?? Path.Combine(settings.MountPath, Path.GetFileName(plan.Directory)),
                settings.CorpusPath ?? Path.Combine(settings.MountPath, Path.GetFileName(plan.Corpus)),
                settings.Parallel ?? plan.Points.Count, settings.Gpus, Train(charrnn ?? ["charrnn"], settings.Gpus > 0 ? ["--device", "cuda"] : []));
            var path = Path.Combine(plan.Directory, KubernetesJob.Folder, KubernetesJob.ManifestName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            AtomicFile.WriteAllText(path, KubernetesJob.ToJson(KubernetesJob.Manifest(plan, options)));
            AnsiConsole.MarkupLineInterpolated($"[green]wrote[/] an Indexed Job of {plan.Points.Count} completions to [bold]{path}[/]");
            AnsiConsole.MarkupInterpolated($"the pods expect the sweep at {options.SweepPath} and the corpus at {options.CorpusPath} on claim {options.VolumeClaim}; ");
            AnsiConsole.MarkupLineInterpolated($"then: kubectl apply -f {path}");
            return 0;
        }

        var states = plan.Points.Select(p => (Point: p, State: plan.StateOf(p))).ToList();
        var todo = states.Where(s => s.State.Status != SweepPointStatus.Finished).Select(s => s.Point).ToList();
        var console = settings.DryRun ? Terminal.Error : Terminal.Progress;
        console.MarkupInterpolated($"{plan.Points.Count} points: {states.Count(s => s.State.Status == SweepPointStatus.Finished)} finished (skipped), ");
        console.MarkupLineInterpolated($"{states.Count(s => s.State.Status == SweepPointStatus.Interrupted)} to resume, {states.Count(s => s.State.Status == SweepPointStatus.NotStarted)} to start");
        if (todo.Count == 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[green]nothing to run[/]: every point is finished. Next: charrnn sweep report {plan.Directory}");
            return 0;
        }

        if (settings.Slurm)
        {
            var script = SlurmArray.Script(plan, todo, new SlurmOptions(settings.Partition, settings.Gpus, settings.Cpus, settings.Time, settings.SbatchLines),
                Train(charrnn ?? ThisCharrnn(), [.. settings.Gpus > 0 ? ["--device", "cuda"] : Array.Empty<string>(),
                    .. settings.Cpus is int cpus ? ["--threads", cpus.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>()]));
            if (settings.DryRun)
            {
                Console.Out.Write(script);
                return 0;
            }
            var (scriptPath, jobId) = SlurmArray.Submit(plan, script);
            AnsiConsole.MarkupLineInterpolated($"[green]submitted[/] job array {jobId} ({todo.Count} tasks) from {scriptPath}; logs in {Path.Combine(plan.Directory, SlurmArray.Folder)}");
            AnsiConsole.MarkupLineInterpolated($"watch: squeue -j {jobId}; sacct -j {jobId}. Then: charrnn sweep report {plan.Directory}");
            return 0;
        }

        var parallel = settings.Parallel ?? 1;
        var threads = settings.Threads ?? Math.Max(1, Environment.ProcessorCount / parallel);
        using var interrupt = Interrupts.CancelOnSignals(cancellationToken, out var signals);
        using var _ = signals;
        var failed = RunLocally(plan, new LocalSweep(plan, todo, parallel, Train(ThisCharrnn(), ["--threads", threads.ToString(CultureInfo.InvariantCulture)])),
            console, interrupt.Token);
        if (failed > 0)
            throw new UserError($"{failed} of {todo.Count} runs failed (their train.log says why); run `charrnn sweep run {plan.Directory} --local` again to retry them.") { ExitCode = 1 };
        AnsiConsole.MarkupLineInterpolated($"[green]sweep done[/]: {todo.Count} runs trained. Next: charrnn sweep report {plan.Directory}");
        return 0;
    }

    /// <summary>`charrnn train --resume-or-start` on a point's folder, with <paramref name="options"/> (e.g. --threads 4 or --device cuda).</summary>
    private static TaskCommand Train(IReadOnlyList<string> charrnn, IReadOnlyList<string> options) => (pointDirectory, corpus) =>
        [.. charrnn, "train", "--resume-or-start", "--corpus", corpus, "--preset", Path.Combine(pointDirectory, RunFolder.Config), "--out", pointDirectory, .. options];

    /// <summary>This very charrnn, as a command line: the apphost, or `dotnet charrnn.dll` when started through dotnet.</summary>
    private static IReadOnlyList<string> ThisCharrnn()
    {
        var process = Environment.ProcessPath ?? "charrnn";
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(entry) ? [process, entry] : [process];
    }

    /// <summary>Runs the local sweep to its end with a table of the points (a line per change of state where the output is
    /// not a terminal); Ctrl+C or SIGTERM stops the runs. Returns how many failed.</summary>
    private static int RunLocally(SweepPlan plan, LocalSweep sweep, IAnsiConsole console, CancellationToken cancellationToken)
    {
        using var forward = cancellationToken.Register(sweep.Stop);
        if (console.Profile.Capabilities.Interactive)
            console.Live(Table(plan, sweep.Runs)).AutoClear(false).Start(live =>
            {
                for (sweep.Tick(); sweep.Busy; sweep.Tick())
                {
                    live.UpdateTarget(Table(plan, sweep.Runs));
                    Thread.Sleep(500);
                }
                live.UpdateTarget(Table(plan, sweep.Runs));
            });
        else
        {
            // Not a terminal: one line per change of state instead of a redrawn table.
            var said = sweep.Runs.ToDictionary(r => r, r => r.State);
            for (sweep.Tick(); ; sweep.Tick())
            {
                foreach (var run in sweep.Runs.Where(r => said[r] != r.State))
                {
                    said[run] = run.State;
                    console.MarkupLineInterpolated($"{run.Point.Folder}: {Describe(run)}");
                }
                if (!sweep.Busy) break;
                Thread.Sleep(500);
            }
        }
        // A line cut off while a run was still writing is ordinary and read again later; one left when its run ended is said.
        foreach (var run in sweep.Runs.Where(r => r.SkippedMetricsLine is not null))
            console.MarkupLineInterpolated($"[yellow]warning[/]: {run.SkippedMetricsLine}.");
        if (sweep.Stopping) throw new OperationCanceledException();
        foreach (var run in sweep.Runs.Where(r => r.State == LocalRunState.Failed))
            console.MarkupLineInterpolated($"[red]failed[/]: {run.Point.Folder} (exit {run.ExitCode}); its output is in {Path.Combine(plan.PointDirectory(run.Point), LocalSweep.LogName)}");
        return sweep.Runs.Count(r => r.State == LocalRunState.Failed);
    }

    private static Table Table(SweepPlan plan, IReadOnlyList<LocalRun> runs)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "point", "state", "step", "val bpc");
        foreach (var run in runs)
            table.AddRow(run.Point.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(string.Join(" ", run.Point.Values.Select(v => $"{v.Key}={v.Value}"))),
                Markup.Escape(run.State.ToString().ToLowerInvariant()),
                run.Step + (run.Point.Config.Train.MaxSteps > 0 ? $"/{run.Point.Config.Train.MaxSteps}" : ""),
                run.ValidationNats is double nats ? (nats / Math.Log(2)).ToString("0.000", CultureInfo.InvariantCulture) : "");
        table.Caption($"{runs.Count(r => r.State == LocalRunState.Finished)} of {runs.Count} finished; logs in " +
            $"{Markup.Escape(Path.Combine(plan.Directory, SweepPlan.PointsFolder, "*", LocalSweep.LogName))}");
        return table;
    }

    private static string Describe(LocalRun run) => run.State switch
    {
        LocalRunState.Finished => FormattableString.Invariant($"finished at step {run.Step}{(run.ValidationNats is double n ? $", val {n / Math.Log(2):0.000} bpc" : "")}"),
        LocalRunState.Failed => $"failed (exit {run.ExitCode})",
        _ => run.State.ToString().ToLowerInvariant(),
    };
}
