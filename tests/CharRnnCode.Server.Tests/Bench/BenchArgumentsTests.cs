// `charrnn-server bench` and `bench first-request` as a user runs them (issue 17): bad arguments are a clear
// message on stderr with the usage and exit code 2, never a stack trace. The built server runs in its own process.
using System.Diagnostics;

namespace CharRnnCode.Server.Tests.Bench;

public sealed class BenchArgumentsTests
{
    [Theory]
    [InlineData(new[] { "bench", "--requests", "abc" }, "--requests must be a positive whole number (got 'abc')")]
    [InlineData(new[] { "bench", "--repeats", "0" }, "--repeats must be a positive whole number (got '0')")]
    [InlineData(new[] { "bench", "--requets", "3" }, "Unrecognized command or argument '--requets'")]
    [InlineData(new[] { "bench", "first-request", "--seed", "x" }, "--seed must be a positive whole number (got 'x')")]
    [InlineData(new[] { "bench", "first-request", "--trigger", "sometimes" }, "'sometimes'")]
    public async Task Bad_bench_arguments_are_a_usage_error_without_a_stack_trace(string[] arguments, string expected)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "charrnn-server.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(1)).Token);
        Assert.Equal(2, process.ExitCode);
        Assert.Contains(expected, stderr);
        Assert.Contains("Usage: charrnn-server bench", stderr);
        Assert.DoesNotContain("   at ", stderr);
        Assert.Equal("", await stdout);
    }
}
