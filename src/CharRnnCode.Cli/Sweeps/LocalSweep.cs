// Runs a sweep's unfinished points on this machine, N at a time, each as its own `charrnn train --resume-or-start`
// process (the same command a Slurm or Kubernetes task runs), its output in the point's train.log; a table shows every
// point's state, step and validation loss as the runs write their metrics. Ctrl+C or SIGTERM passes SIGTERM on to the
// runs, which save a checkpoint, so the next `sweep run` resumes them. It reads a run's progress from its files only,
// and leaves the choice of threads per run to its caller.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CharRnnCode.Common;
using CharRnnCode.Model.Sweeps;
using Spectre.Console;
using CharRnnCode.Inference;

namespace CharRnnCode.Cli.Sweeps;

/// <param name="Parallel">runs at a time</param>
/// <param name="ThreadsPerRun">each run's --threads</param>
internal sealed record LocalSweepOptions(int Parallel, int ThreadsPerRun);

internal static class LocalSweep
{
    public const string LogName = "train.log";

    private enum RunState { Waiting, Running, Finished, Failed, Stopped }

    private sealed class Row(SweepPoint point)
    {
        public SweepPoint Point { get; } = point;
        public RunState State { get; set; } = RunState.Waiting;
        public Process? Process { get; set; }
        public long Step { get; set; }
        public double? ValidationNats { get; set; }
        public int? ExitCode { get; set; }
        /// <summary>Why the last line of its metrics.jsonl was skipped, once the run has ended with it cut off.</summary>
        public string? SkippedMetricsLine { get; set; }
    }

    /// <summary>Runs every point not yet finished; returns how many failed.</summary>
    public static int Run(SweepPlan plan, IReadOnlyList<SweepPoint> todo, LocalSweepOptions options, IAnsiConsole console, CancellationToken cancellationToken)
    {
        var rows = todo.Select(p => new Row(p)).ToList();
        var charrnn = SweepTasks.ThisCharrnn();
        var threads = new[] { "--threads", options.ThreadsPerRun.ToString(CultureInfo.InvariantCulture) };
        var stopping = false;
        using var forward = cancellationToken.Register(() =>
        {
            stopping = true;
            foreach (var row in rows.Where(r => r.State == RunState.Running)) Terminate(row.Process!.Id);
        });

        void Tick()
        {
            foreach (var row in rows.Where(r => r.State == RunState.Running))
            {
                ReadProgress(plan, row);
                if (!row.Process!.HasExited) continue;
                row.ExitCode = row.Process.ExitCode;
                row.State = row.ExitCode == 0 ? (stopping ? RunState.Stopped : RunState.Finished) : stopping ? RunState.Stopped : RunState.Failed;
                row.SkippedMetricsLine = ReadProgress(plan, row);
                row.Process.Dispose();
                row.Process = null;
            }
            while (!stopping && rows.Count(r => r.State == RunState.Running) < options.Parallel && rows.FirstOrDefault(r => r.State == RunState.Waiting) is { } next)
            {
                next.Process = Start(charrnn, SweepTasks.TrainArguments(plan.PointDirectory(next.Point), plan.Corpus, threads), plan.PointDirectory(next.Point));
                next.State = RunState.Running;
            }
        }

        bool Busy() => rows.Any(r => r.State == RunState.Running) || (!stopping && rows.Any(r => r.State == RunState.Waiting));

        if (console.Profile.Capabilities.Interactive)
            console.Live(Table(plan, rows)).AutoClear(false).Start(live =>
            {
                for (Tick(); Busy(); Tick())
                {
                    live.UpdateTarget(Table(plan, rows));
                    Thread.Sleep(500);
                }
                live.UpdateTarget(Table(plan, rows));
            });
        else
        {
            // Not a terminal: one line per change of state instead of a redrawn table.
            var said = rows.ToDictionary(r => r, r => r.State);
            for (Tick(); ; Tick())
            {
                foreach (var row in rows.Where(r => said[r] != r.State))
                {
                    said[row] = row.State;
                    console.MarkupLineInterpolated($"{row.Point.Folder}: {Describe(row)}");
                }
                if (!Busy()) break;
                Thread.Sleep(500);
            }
        }
        // A line cut off while a run was still writing is ordinary and read again later; one left when its run ended is said.
        foreach (var row in rows.Where(r => r.SkippedMetricsLine is not null))
            console.MarkupLineInterpolated($"[yellow]warning[/]: {row.SkippedMetricsLine}.");
        if (stopping) throw new OperationCanceledException();
        foreach (var row in rows.Where(r => r.State == RunState.Failed))
            console.MarkupLineInterpolated($"[red]failed[/]: {row.Point.Folder} (exit {row.ExitCode}); its output is in {Path.Combine(plan.PointDirectory(row.Point), LogName)}");
        return rows.Count(r => r.State == RunState.Failed);
    }

    private static Table Table(SweepPlan plan, IReadOnlyList<Row> rows)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("#", "point", "state", "step", "val bpc");
        foreach (var row in rows)
            table.AddRow(row.Point.Index.ToString(CultureInfo.InvariantCulture), Markup.Escape(string.Join(" ", row.Point.Values.Select(v => $"{v.Key}={v.Value}"))),
                Markup.Escape(row.State.ToString().ToLowerInvariant()),
                row.Step + (row.Point.Config.Train.MaxSteps > 0 ? $"/{row.Point.Config.Train.MaxSteps}" : ""),
                row.ValidationNats is double nats ? (nats / Math.Log(2)).ToString("0.000", CultureInfo.InvariantCulture) : "");
        table.Caption($"{rows.Count(r => r.State == RunState.Finished)} of {rows.Count} finished; logs in {Markup.Escape(Path.Combine(plan.Directory, SweepPlan.PointsFolder, "*", LogName))}");
        return table;
    }

    private static string Describe(Row row) => row.State switch
    {
        RunState.Finished => FormattableString.Invariant($"finished at step {row.Step}{(row.ValidationNats is double n ? $", val {n / Math.Log(2):0.000} bpc" : "")}"),
        RunState.Failed => $"failed (exit {row.ExitCode})",
        _ => row.State.ToString().ToLowerInvariant(),
    };

    // The newest step and validation loss in the run's metrics.jsonl; a half-written last line is skipped (and described
    // in the return value). A file that cannot be read now (being replaced, damaged) leaves the row as it was.
    private static string? ReadProgress(SweepPlan plan, Row row)
    {
        var (step, nats, skipped) = ReadProgress(Path.Combine(plan.PointDirectory(row.Point), RunFolder.Metrics));
        if (step > row.Step) row.Step = step;
        if (nats is not null) row.ValidationNats = nats;
        return skipped;
    }

    /// <summary>The highest step, the latest validation loss and the description of a skipped cut-off last line of a metrics.jsonl.</summary>
    internal static (long Step, double? ValidationNats, string? SkippedLastLine) ReadProgress(string metricsPath)
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

    private static Process Start(IReadOnlyList<string> charrnn, IReadOnlyList<string> arguments, string pointDirectory)
    {
        var start = new ProcessStartInfo(charrnn[0]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in charrnn.Skip(1).Concat(arguments)) start.ArgumentList.Add(argument);
        var log = new StreamWriter(Path.Combine(pointDirectory, LogName), append: true) { AutoFlush = true };
        log.WriteLine($"$ {string.Join(' ', charrnn.Concat(arguments).Select(SweepTasks.Quote))}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        void Write(string? line) { if (line is not null) lock (log) log.WriteLine(line); }
        process.OutputDataReceived += (_, e) => Write(e.Data);
        process.ErrorDataReceived += (_, e) => Write(e.Data);
        process.Exited += (_, _) => { process.WaitForExit(); lock (log) log.Dispose(); };
        if (!process.Start()) throw new UserError($"could not start {charrnn[0]} for {pointDirectory}.") { ExitCode = 1 };
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
