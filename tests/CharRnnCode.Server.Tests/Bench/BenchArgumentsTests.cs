// `charrnn-server bench` and `bench first-request` as a user runs them (issue 17): bad arguments are a clear
// message on stderr with the usage and exit code 2, never a stack trace. The built server runs in its own process.
using System.Diagnostics;

namespace CharRnnCode.Server.Tests.Bench;

public sealed class BenchArgumentsTests
{
    [Theory]
    [InlineData(new[] { "bench", "--requests", "abc" }, "--requests must be a positive whole number (got 'abc')")]
    [InlineData(new[] { "bench", "--repeats", "0" }, "--repeats must be a positive whole number (got '0')")]
    [InlineData(new[] { "bench", "--requets", "3" }, "Unknown option 'requets'")]
    [InlineData(new[] { "bench", "first-request", "--seed", "x" }, "--seed must be a positive whole number (got 'x')")]
    [InlineData(new[] { "bench", "first-request", "--trigger", "sometimes" }, "'sometimes'")]
    [InlineData(new[] { "bench", "cost", "--repeats", "none" }, "--repeats must be a positive whole number (got 'none')")]
    [InlineData(new[] { "bench", "typing", "--lines", "0" }, "--lines must be a positive whole number (got '0')")]
    [InlineData(new[] { "bench", "typing", "--min-confidence", "0.5,2" }, "--min-confidence takes shares from 0 to 1, comma-separated (got '0.5,2')")]
    [InlineData(new[] { "bench", "typing", "--hold-out", "--workspace-cache", "maybe" }, "--workspace-cache takes on or off (got 'maybe')")]
    [InlineData(new[] { "bench", "typing", "--cli" }, "--cli needs a value")]
    [InlineData(new[] { "bench", "cost", "--workspace-cache", "both" }, "--workspace-cache takes on or off (got 'both')")]
    [InlineData(new[] { "bench", "first-request", "--workspace-cache", "1" }, "--workspace-cache takes on or off (got '1')")]
    [InlineData(new[] { "bench", "--workspace-cache", "no" }, "--workspace-cache takes on or off (got 'no')")]
    [InlineData(new[] { "bench", "lines", "--workspace-cache", "none" }, "--workspace-cache takes on or off (got 'none')")]
    public async Task Bad_bench_arguments_are_a_usage_error_without_a_stack_trace(string[] arguments, string expected)
    {
        var (exitCode, stdout, stderr) = await ServerProcess.RunToExitAsync(TimeSpan.FromMinutes(1), arguments);

        Assert.Equal(2, exitCode);
        Assert.Contains(expected, stderr);
        Assert.Contains("Usage: charrnn-server bench", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal("", stdout);
    }

    [Fact]
    public async Task Bench_cost_with_a_missing_workspace_says_so_in_one_line_without_a_stack_trace()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"charrnn-no-such-workspace-{Guid.NewGuid():N}");

        var (exitCode, stdout, stderr) = await ServerProcess.RunToExitAsync(TimeSpan.FromMinutes(1), "bench", "cost", "--checkpoint", DefaultCheckpoint, "--workspace", missing);

        Assert.Equal(2, exitCode);
        Assert.Equal($"charrnn-server bench cost: --workspace {missing}: no such folder.\n", stderr.ReplaceLineEndings("\n"));
        Assert.Equal("", stdout);
    }

    /// <summary>The built server run with <paramref name="arguments"/> until it exits (at most 2 minutes); its exit code must be 0.</summary>
    private static async Task<string> RunBuiltServerAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(ServerProcess.BuiltServer) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        return stdout;
    }

    private static string DefaultCheckpoint => Path.Combine(AppContext.BaseDirectory, "charrnn-default.ckpt");

    [SlowFact]
    public async Task Bench_cost_starts_the_real_server_and_reports_its_start_and_memory()
    {
        var stdout = await RunBuiltServerAsync("bench", "cost", "--checkpoint", DefaultCheckpoint, "--requests", "5", "--repeats", "1");
        Assert.Matches(@"median of 1: start to first completion \d+ ms; resident memory \d+ MB", stdout.Replace("\n", " "));
        if (OperatingSystem.IsLinux()) Assert.Contains("libtorch mapped: False", stdout);
    }

    [SlowFact]
    public async Task Bench_cost_with_a_workspace_reads_the_memory_once_the_workspace_is_loaded_and_counted()
    {
        var workspace = Directory.CreateTempSubdirectory("charrnn-cost-workspace-").FullName;
        try
        {
            for (var i = 0; i < 5; i++)
                File.WriteAllText(Path.Combine(workspace, $"C{i}.cs"), $"class C{i}\n{{\n    int Twice(int value) => value * {i + 2};\n}}\n");
            var stdout = await RunBuiltServerAsync("bench", "cost", "--checkpoint", DefaultCheckpoint, "--requests", "2", "--repeats", "1", "--workspace", workspace);
            Assert.Matches(@"workspace loaded and counted at \d+ ms", stdout.Replace("\n", " "));
            Assert.Contains($"workspace {workspace}, workspace cache on", stdout.Replace("\n", " "));
        }
        finally
        {
            Directory.Delete(workspace, recursive: true);
        }
    }
}
