// The charrnn command as a user runs it: the built program in its own process, its exit code and
// what it prints. Stage logic is tested in each stage's own project; these tests cover the wiring,
// the error contract (a clear message, a non-zero exit code, nothing lost) and doctor.
using System.Diagnostics;

namespace CharRnnCode.Cli.Tests;

public sealed class CharrnnProcessTests
{
    [Fact]
    public void Version_prints_the_product_version()
    {
        var result = Charrnn("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(typeof(CharrnnProcessTests).Assembly.GetName().Version!.ToString(3), result.Output.Trim());
    }

    [Fact]
    public void Doctor_reports_torch_git_roslyn_and_reference_assemblies_and_exits_zero()
    {
        var result = Charrnn("doctor");
        Assert.Equal(0, result.ExitCode);
        foreach (var row in new[] { "Torch backend", "CUDA available", "OMP_WAIT_POLICY", "TorchSharp native fix", "Torch smoke test", "libgit2", "Roslyn", ".NET reference assemblies" })
            Assert.Contains(row, result.Output);
        Assert.Contains("ok (2x2 matmul)", result.Output);
    }

    [Fact]
    public void Quickstart_refuses_to_overwrite_an_earlier_run_and_leaves_it_as_it_was()
    {
        var run = Directory.CreateTempSubdirectory("charrnn-cli-tests-").FullName;
        try
        {
            var earlier = Path.Combine(run, "notes.txt");
            File.WriteAllText(earlier, "an earlier run");
            var result = Charrnn("quickstart", "--out", run, "--minutes", "0.1");
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("already holds a run", result.Output);
            Assert.Contains("--force", result.Output);
            Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(run).Select(Path.GetFileName));
            Assert.Equal("an earlier run", File.ReadAllText(earlier));
        }
        finally
        {
            Directory.Delete(run, recursive: true);
        }
    }

    [Fact]
    public void A_missing_checkpoint_is_a_clear_error_with_a_non_zero_exit_code()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"charrnn-missing-{Guid.NewGuid():N}.ckpt");
        var result = Charrnn("sample", "--checkpoint", missing);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("error:", result.Output);
        Assert.Contains(Path.GetFileName(missing), result.Output.Replace("\n", ""));
        Assert.DoesNotContain("   at ", result.Output); // a message, not a stack trace
    }

    [Fact]
    public void An_unknown_verb_points_to_help()
    {
        var result = Charrnn("trian");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("trian", result.Output);
    }

    private sealed record ProcessResult(int ExitCode, string Output);

    private static ProcessResult Charrnn(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "charrnn.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["COLUMNS"] = "200";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"charrnn {string.Join(' ', arguments)} did not finish in 3 minutes");
        }
        return new ProcessResult(process.ExitCode, output.Result + error.Result);
    }
}
