// `charrnn sample --checkpoint` on crafted checkpoints, as its own process: the shared tiny model's
// checkpoint with a weight cut short, its configuration changed or its data cut off (hash recomputed, so
// the damage gets past the integrity check), and a link to /dev/zero. Each must end with a non-zero exit
// code and one clear line on stderr naming the file, never a crash or a stack trace, and never a hang.
using CharRnnCode.TestSupport;

namespace CharRnnCode.Cli.Tests;

public sealed class CraftedCheckpointProcessTests
{
    private static void AssertRefused(string what, string path, ProcessResult result)
    {
        Assert.True(result.ExitCode != 0, $"{what}: charrnn exited 0\n{result}");
        Assert.True(result.Stderr.StartsWith("error: ", StringComparison.Ordinal), $"{what}: {result}");
        Assert.Contains(path, result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);         // a message, not a stack trace
        Assert.DoesNotContain("Exception", result.Stderr);      // and not an unexpected exception's type
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void Sample_refuses_representative_crafted_checkpoints_with_a_clear_error()
    {
        using var folder = new TempFolder();
        var original = File.ReadAllBytes(SharedTinyModel.Files.BestCheckpoint);
        var crafted = CraftedCheckpoints.Representative(original);
        string[] chosen = ["recurrent weight one row short, shape consistent", "head weight one row short, shape consistent",
            "hidden size int.MaxValue", "file cut in the middle, hash recomputed"];
        foreach (var name in chosen)
        {
            var path = folder["crafted.ckpt"];
            File.WriteAllBytes(path, crafted.Single(c => c.Name == name).File);
            AssertRefused(name, path, Charrnn.Run("sample", "--checkpoint", path, "--length", "20", "--seed", "1"));
        }
    }

    [Fact]
    public void Sample_refuses_a_link_to_dev_zero_at_once()
    {
        if (!OperatingSystem.IsLinux()) return;   // /dev/zero is Linux's
        using var folder = new TempFolder();
        var link = folder["zero.ckpt"];
        File.CreateSymbolicLink(link, "/dev/zero");
        var result = Charrnn.Run("sample", "--checkpoint", link, "--length", "20");
        AssertRefused("a link to /dev/zero", link, result);
        Assert.Contains("not a regular file", result.Stderr);
    }
}
