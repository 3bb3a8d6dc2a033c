// A metrics.jsonl whose last line was cut off mid-write (a run killed while appending): sweep run's progress
// reader and the run summary that sweep report and the seed experiment use skip that line and say so; a damaged
// line before the last is an error that names the file and the line, not an exception from the JSON parser.
using CharRnnCode.Common;
using CharRnnCode.Evaluation;
using CharRnnCode.Model.Sweeps;

namespace CharRnnCode.Cli.Tests;

public sealed class TruncatedMetricsTests
{
    // Lines as training writes them (kind, step, epoch, loss, bpc, lr, elapsedSeconds).
    private const string Train10 = """{"kind":"train","step":10,"epoch":0,"loss":3.2,"bpc":4.6166,"lr":0.002,"charsPerSecond":12000,"elapsedSeconds":1.5}""";
    private const string Val10 = """{"kind":"val","step":10,"epoch":0,"loss":3.1,"bpc":4.4723,"elapsedSeconds":1.75}""";
    private const string Train20 = """{"kind":"train","step":20,"epoch":0,"loss":2.9,"bpc":4.1838,"lr":0.002,"charsPerSecond":12000,"elapsedSeconds":3.0}""";
    private const string CutVal20 = """{"kind":"val","step":20,"epoch":0,"lo""";

    private static string Metrics(TempFolder folder, params string[] lines)
    {
        var path = folder["metrics.jsonl"];
        File.WriteAllText(path, string.Join('\n', lines));   // no newline after the cut-off line, as a killed writer leaves it
        return path;
    }

    [Fact]
    public void Sweep_run_progress_skips_a_cut_off_last_line_and_says_so()
    {
        using var folder = new TempFolder();
        var path = Metrics(folder, Train10, Val10, Train20, CutVal20);
        var (step, nats, skipped) = LocalSweep.ReadProgress(path);
        Assert.Equal(20, step);
        Assert.Equal(3.1, nats);
        Assert.NotNull(skipped);
        Assert.Contains("line 4", skipped);
        Assert.Contains("cut off", skipped);
    }

    [Fact]
    public void Sweep_run_progress_of_a_whole_file_reports_nothing_skipped()
    {
        using var folder = new TempFolder();
        var (step, nats, skipped) = LocalSweep.ReadProgress(Metrics(folder, Train10, Val10, Train20 + "\n"));
        Assert.Equal((20L, (double?)3.1, (string?)null), (step, nats, skipped));
    }

    [Fact]
    public void The_run_summary_skips_a_cut_off_last_line_with_a_warning()
    {
        using var folder = new TempFolder();
        Metrics(folder, Train10, Val10, Train20, CutVal20);
        var warnings = new List<string>();
        var (curve, minutes, steps, best) = SeedExperimentReport.ReadRun(folder.Path, warnings.Add);
        Assert.Equal(20, steps);
        Assert.Equal(3.0 / 60, minutes, 9);
        Assert.Equal([(1.75 / 60, 3.1)], curve);
        Assert.Equal(3.1, best);
        Assert.Contains("metrics.jsonl", Assert.Single(warnings));
    }

    [Fact]
    public void A_damaged_line_before_the_last_is_a_clear_error_naming_it()
    {
        using var folder = new TempFolder();
        Metrics(folder, Train10, CutVal20, Train20);
        var error = Assert.ThrowsAny<UserError>(() => SeedExperimentReport.ReadRun(folder.Path));
        Assert.Contains("line 2", error.Message);
        Assert.Contains("damaged", error.Message);
    }
}
