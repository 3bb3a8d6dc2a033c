// The charrnn command as a user runs it: the built program in its own process, its exit code and
// what it prints. Stage logic is tested in each stage's own project; these tests cover the wiring,
// the error contract (a clear message on stderr, a non-zero exit code, nothing lost) and doctor.
namespace CharRnnCode.Cli.Tests;

public sealed class CharrnnProcessTests
{
    [Fact]
    public void Version_prints_the_program_name_and_the_product_version_like_the_server()
    {
        var result = Charrnn.Run("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"charrnn {typeof(CharrnnProcessTests).Assembly.GetName().Version!.ToString(3)}", result.Stdout.Trim());
    }

    [Fact]
    public void Doctor_reports_torch_git_roslyn_and_reference_assemblies_and_exits_zero()
    {
        var result = Charrnn.Run("doctor");
        Assert.Equal(0, result.ExitCode);
        foreach (var row in new[] { "Torch backend", "CUDA available", "OMP_WAIT_POLICY", "TorchSharp native fix", "Torch smoke test", "libgit2", "Roslyn", ".NET reference assemblies" })
            Assert.Contains(row, result.Stdout);
        Assert.Contains("ok (2x2 matmul)", result.Stdout);
    }

    [Fact]
    public void Quickstart_refuses_to_overwrite_an_earlier_run_and_leaves_it_as_it_was()
    {
        using var run = new TempFolder();
        var earlier = run["notes.txt"];
        File.WriteAllText(earlier, "an earlier run");
        var result = Charrnn.Run("quickstart", "--out", run.Path, "--minutes", "0.1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("already holds a run", result.Stderr);
        Assert.Contains("--force", result.Stderr);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(run.Path).Select(Path.GetFileName));
        Assert.Equal("an earlier run", File.ReadAllText(earlier));
    }

    [Fact]
    public void A_missing_checkpoint_is_a_clear_error_on_stderr_with_a_non_zero_exit_code()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"charrnn-missing-{Guid.NewGuid():N}.ckpt");
        var result = Charrnn.Run("sample", "--checkpoint", missing);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.StartsWith("error:", result.Stderr);
        Assert.Contains(missing, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr); // a message, not a stack trace
    }

    [Fact]
    public void An_unknown_verb_points_to_help()
    {
        var result = Charrnn.Run("trian");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("trian", result.Stderr);
        Assert.Equal("", result.Stdout);
    }
}
