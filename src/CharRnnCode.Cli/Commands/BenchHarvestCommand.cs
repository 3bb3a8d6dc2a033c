// charrnn bench harvest: times harvesting one repository against a shell baseline on the same machine,
// in the same process, over the same file set: `git archive COMMIT | tar -x` followed by concatenating
// the files the harvest reads (xargs cat). Runs alternate (baseline, harvest, baseline, ...) so both see
// the same page cache and the same neighbours; medians are printed, with the peak resident memory.
using System.Diagnostics;
using CharRnnCode.Common;
using CharRnnCode.Corpus;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class BenchHarvestCommand : Command<BenchHarvestCommand.Settings>
{
    public sealed class Settings : HarvestFilterSettings
    {
        /// <summary>Timed runs of each side (default 3); medians are reported.</summary>
        [CommandOption("--runs <N>")] public int Runs { get; init; } = 3;

        /// <summary>
        /// Scratch folder for outputs and the baseline's extracted tree (default: a temporary folder).
        /// </summary>
        [CommandOption("--work <DIR>")] public string? Work { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken outerToken)
    {
        using var cancellation = Interrupts.CancelOnSignals(outerToken, out var signals);
        using var _ = signals;
        var cancellationToken = cancellation.Token;
        if (settings.Runs <= 0) throw new UserError($"--runs must be positive (got {settings.Runs}).");
        var (specs, recipe) = settings.Repositories();
        if (specs.Count != 1) throw new UserError("bench harvest measures one repository: pass a single --repo.");
        var spec = specs[0];
        var options = settings.Options(recipe);
        var runtime = settings.Runtime(SilentProgress.Instance);
        var harvester = new Harvester(options, runtime);
        var (commit, paths) = harvester.CandidatePaths(spec, cancellationToken);
        var repositoryPath = spec.IsLocal ? spec.Url : new RepositoryOpener(runtime.CacheDirectory, runtime.Shallow, runtime.Progress).CachePathFor(spec);

        var work = Path.GetFullPath(settings.Work ?? Path.Combine(Path.GetTempPath(), $"charrnn-bench-{Environment.ProcessId}"));
        Directory.CreateDirectory(work);
        var listFile = Path.Combine(work, "files.list");
        File.WriteAllText(listFile, string.Join('\0', paths) + "\0");
        var harvestSeconds = new List<double>();
        var baselineSeconds = new List<double>();
        HarvestResult? last = null;
        long baselineBytes = 0;
        try
        {
            AnsiConsole.MarkupInterpolated($"bench harvest: {spec.Id} at {commit[..12]}, {paths.Count:N0} files pass the path filters; ");
            AnsiConsole.MarkupLineInterpolated($"{settings.Runs} runs each, {runtime.Threads} threads, {Environment.ProcessorCount} CPUs (shared machine: expect noise)");
            for (var run = 1; run <= settings.Runs; run++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                (var seconds, baselineBytes) = RunBaseline(repositoryPath, commit, listFile, Path.Combine(work, "baseline"), cancellationToken);
                baselineSeconds.Add(seconds);
                var output = Path.Combine(work, "corpus");
                // Every run starts from the same heap: what an earlier run left for the GC is not this run's peak.
                GC.Collect();
                GC.WaitForPendingFinalizers();
                last = harvester.Run([spec], output, cancellationToken);
                harvestSeconds.Add(last.Elapsed.TotalSeconds);
                Directory.Delete(output, recursive: true);
                AnsiConsole.MarkupLineInterpolated($"  run {run}: baseline {seconds:F2} s, harvest {last.Elapsed.TotalSeconds:F2} s");
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        var harvestMedian = Median.Of(harvestSeconds);
        var baselineMedian = Median.Of(baselineSeconds);
        var peakMb = Process.GetCurrentProcess().PeakWorkingSet64 / 1e6;
        var inputMb = last!.BytesRead / 1e6;
        HarvestConsole.PrintReport(last);
        AnsiConsole.WriteLine(
            $"bench harvest {spec.Id}: {inputMb:F1} MB read, harvest median {harvestMedian:F2} s = {inputMb / harvestMedian:F1} MB/s; " +
            $"baseline (git archive | tar -x; cat) median {baselineMedian:F2} s = {baselineBytes / 1e6 / baselineMedian:F1} MB/s; " +
            $"ratio {baselineMedian / harvestMedian:F2}x the baseline's speed; peak memory {peakMb:F0} MB (medians of {settings.Runs} runs)");
        return 0;
    }

    /// <summary>Extracts the commit's tree with git archive and tar, then concatenates the listed files; returns the seconds and the bytes written.</summary>
    private static (double Seconds, long Bytes) RunBaseline(string repositoryPath, string commit, string listFile, string folder, CancellationToken cancellationToken)
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        Directory.CreateDirectory(folder);
        var concatenated = Path.Combine(folder, "..", "baseline.txt");
        var script = $"set -e -o pipefail; git -C {Quote(repositoryPath)} archive --format=tar {commit} | tar -x -C {Quote(folder)}; " +
                     $"cd {Quote(folder)} && xargs -0 cat -- < {Quote(listFile)} > {Quote(concatenated)}";
        var clock = Stopwatch.StartNew();
        using (var process = Process.Start(new ProcessStartInfo("bash", ["-c", script]) { RedirectStandardError = true })!)
        {
            using var registration = cancellationToken.Register(() => process.Kill(entireProcessTree: true));
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            cancellationToken.ThrowIfCancellationRequested();
            if (process.ExitCode != 0) throw new UserError($"the shell baseline failed (exit {process.ExitCode}): {errors.Trim()}");
        }
        var seconds = clock.Elapsed.TotalSeconds;
        var bytes = new FileInfo(concatenated).Length;
        File.Delete(concatenated);
        Directory.Delete(folder, recursive: true);
        return (seconds, bytes);
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''") + "'";

}
