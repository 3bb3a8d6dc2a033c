// Runs a sweep's unfinished points on this machine, N at a time, each as its own process of the train command (the
// same command a Slurm or Kubernetes task runs), its output in the point's train.log. Each Tick reads every running
// point's step and validation loss from its metrics as the runs write them, reaps the runs that ended and starts
// waiting ones; Stop passes SIGTERM on to the runs, which save a checkpoint, so the next run of the sweep resumes them.
// It reads a run's progress from its files only, and shows nothing: the front end draws the runs' states as it likes,
// and leaves the choice of threads per run (in the train command) to its caller.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using CharRnnCode.Common;
using CharRnnCode.Inference;

namespace CharRnnCode.Model.Sweeps;

public enum LocalRunState { Waiting, Running, Finished, Failed, Stopped }

/// <summary>One point's run as the local sweep last saw it.</summary>
public sealed class LocalRun(SweepPoint point)
{
    public SweepPoint Point { get; } = point;
    public LocalRunState State { get; internal set; } = LocalRunState.Waiting;
    internal Process? Process { get; set; }
    public long Step { get; internal set; }
    public double? ValidationNats { get; internal set; }
    public int? ExitCode { get; internal set; }
    /// <summary>Why the last line of its metrics.jsonl was skipped, once the run has ended with it cut off.</summary>
    public string? SkippedMetricsLine { get; internal set; }
}

public sealed class LocalSweep(SweepPlan plan, IReadOnlyList<SweepPoint> todo, int parallel, TaskCommand train)
{
    public const string LogName = "train.log";

    private volatile bool _stopping;

    public IReadOnlyList<LocalRun> Runs { get; } = todo.Select(p => new LocalRun(p)).ToList();

    /// <summary>Stop was called: no run starts any more, and the running ones were asked to stop.</summary>
    public bool Stopping => _stopping;

    /// <summary>Whether a run is going, or one is still to start.</summary>
    public bool Busy => Runs.Any(r => r.State == LocalRunState.Running) || (!_stopping && Runs.Any(r => r.State == LocalRunState.Waiting));

    /// <summary>Starts no further run and sends SIGTERM to the running ones (they save a checkpoint and exit).</summary>
    public void Stop()
    {
        _stopping = true;
        foreach (var run in Runs.Where(r => r.State == LocalRunState.Running)) Terminate(run.Process!.Id);
    }

    /// <summary>Reads the running points' progress, reaps the runs that ended and starts waiting ones up to the parallelism.</summary>
    public void Tick()
    {
        foreach (var run in Runs.Where(r => r.State == LocalRunState.Running))
        {
            ReadProgress(run);
            if (!run.Process!.HasExited) continue;
            run.ExitCode = run.Process.ExitCode;
            run.State = run.ExitCode == 0 ? (_stopping ? LocalRunState.Stopped : LocalRunState.Finished) : _stopping ? LocalRunState.Stopped : LocalRunState.Failed;
            run.SkippedMetricsLine = ReadProgress(run);
            run.Process.Dispose();
            run.Process = null;
        }
        while (!_stopping && Runs.Count(r => r.State == LocalRunState.Running) < parallel && Runs.FirstOrDefault(r => r.State == LocalRunState.Waiting) is { } next)
        {
            next.Process = Start(train(plan.PointDirectory(next.Point), plan.Corpus), plan.PointDirectory(next.Point));
            next.State = LocalRunState.Running;
        }
    }

    // The newest step and validation loss in the run's metrics.jsonl; a half-written last line is skipped (and described
    // in the return value). A file that cannot be read now (being replaced, damaged) leaves the run as it was.
    private string? ReadProgress(LocalRun run)
    {
        var (step, nats, skipped) = ReadProgress(Path.Combine(plan.PointDirectory(run.Point), RunFolder.Metrics));
        if (step > run.Step) run.Step = step;
        if (nats is not null) run.ValidationNats = nats;
        return skipped;
    }

    /// <summary>The highest step, the latest validation loss and the description of a skipped cut-off last line of a metrics.jsonl.</summary>
    public static (long Step, double? ValidationNats, string? SkippedLastLine) ReadProgress(string metricsPath)
    {
        if (!File.Exists(metricsPath)) return (0, null, null);
        MetricsRecords metrics;
        try { metrics = MetricsFile.Read(metricsPath); }
        catch (Exception e) when (e is IOException or UserError) { return (0, null, null); }
        var step = metrics.Records.Select(r => r["step"]!.GetValue<long>()).DefaultIfEmpty(0).Max();
        var latest = metrics.Records.LastOrDefault(r => r["kind"] is JsonValue kind && kind.TryGetValue<string>(out var k) && k == "val"
                                                        && r["loss"] is JsonValue loss && loss.TryGetValue<double>(out _));
        return (step, latest?["loss"]!.GetValue<double>(), metrics.SkippedLastLine);
    }

    private static Process Start(IReadOnlyList<string> command, string pointDirectory)
    {
        var start = new ProcessStartInfo(command[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in command.Skip(1)) start.ArgumentList.Add(argument);
        var log = new StreamWriter(Path.Combine(pointDirectory, LogName), append: true) { AutoFlush = true };
        log.WriteLine($"$ {string.Join(' ', command.Select(SweepTasks.Quote))}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Write(string? line) { if (line is not null) lock (log) log.WriteLine(line); }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => { process.WaitForExit(); lock (log) log.Dispose(); };
        if (!process.Start()) throw new UserError($"could not start {command[0]} for {pointDirectory}.") { ExitCode = 1 };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // SIGTERM, not Process.Kill's SIGKILL: the run saves a checkpoint before it exits. kill(1) avoids unsafe interop for one call.
    private static void Terminate(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false });
        kill?.WaitForExit();
    }
}
