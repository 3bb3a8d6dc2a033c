// Harvest as a process (issue 17): --include narrows within --lang; a harvest that fills the disk leaves
// no staging folder and frees the space (on a real full file system: a small tmpfs, where the tests run
// as root); the --json report.
using System.Diagnostics;
using System.Text.Json;
using CharRnnCode.Corpus.Tests;
using Xunit.Abstractions;

namespace CharRnnCode.Cli.Tests;

public sealed class HarvestProcessTests(ITestOutputHelper output) : IDisposable
{
    private readonly GitFixture _git = new();

    public void Dispose() => _git.Dispose();

    private string Kernel() => _git.CreateRepository("kernel",
    [
        GitFixture.Text("mm/page.c", "int page;\n"),
        GitFixture.Text("mm/page.h", "extern int page;\n"),
        GitFixture.Text("mm/README", "memory\n"),
        GitFixture.Text("kernel/fork.c", "int fork;\n"),
    ]);

    [Fact]
    public void Include_keeps_only_the_files_of_the_language_that_match_it()
    {
        using var folder = new TempFolder();
        // A path longer than 80 columns: redirected output is not wrapped, so the summary names it on one line.
        var corpus = folder[$"corpus-{new string('x', 100)}"];
        var result = Charrnn.Run("harvest", "--repo", Kernel(), "--lang", "c", "--include", "mm/**", "--val", "0", "--test", "0", "--out", corpus);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("int page;\nextern int page;\n", File.ReadAllText(Path.Combine(corpus, "train.txt")));
        Assert.Contains($"written to {corpus} in ", result.Stdout);
    }

    [Fact]
    public void Json_prints_the_report_alone_on_stdout()
    {
        using var folder = new TempFolder();
        var result = Charrnn.Run("harvest", "--repo", Kernel(), "--lang", "c", "--out", folder["corpus"], "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        var repository = report.GetProperty("repositories")[0];
        Assert.Equal(4, repository.GetProperty("filesSeen").GetInt64());
        Assert.Equal(3, repository.GetProperty("filesKept").GetInt64());
        Assert.Equal(1, repository.GetProperty("dropped").GetProperty("not-included").GetInt64());
        Assert.Equal(folder["corpus"], report.GetProperty("outDirectory").GetString());
    }

    [Fact]
    public void A_harvest_that_fills_the_disk_fails_clearly_and_leaves_nothing_behind()
    {
        // 200 distinct files of about 2 KB: 400 KB of corpus for a 128 KB file system.
        var repository = _git.CreateRepository("big", Enumerable.Range(0, 200).Select(i =>
            GitFixture.Text($"f{i}.c", string.Concat(Enumerable.Range(0, 80).Select(j => $"int v{i}_{j} = {i * 1000 + j};\n")))));
        using var folder = new TempFolder();
        var disk = folder["disk"];
        Directory.CreateDirectory(disk);
        if (!Mount(disk, "128k", out var why))
        {
            output.WriteLine($"skipped: cannot mount a small tmpfs here ({why}); this test needs root on Linux.");
            return;
        }
        try
        {
            var result = Charrnn.Run("harvest", "--repo", repository, "--lang", "c", "--out", Path.Combine(disk, "corpus"));
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("No space left on device", result.Stderr);
            Assert.Contains("The disk is full", result.Stderr);
            Assert.DoesNotContain("   at ", result.Stderr);
            Assert.Empty(Directory.EnumerateFileSystemEntries(disk)); // neither the corpus nor its staging folder
            var drive = new DriveInfo(disk);
            Assert.Equal(drive.TotalSize, drive.AvailableFreeSpace); // the space is free again
        }
        finally
        {
            Unmount(disk);
        }
    }

    private static bool Mount(string folder, string size, out string why)
    {
        why = "";
        if (!OperatingSystem.IsLinux()) { why = "not Linux"; return false; }
        if (Environment.UserName != "root") { why = $"running as {Environment.UserName}, not root"; return false; }
        var (code, errors) = RunTool("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", folder);
        why = errors.Trim();
        return code == 0;
    }

    private static void Unmount(string folder) => RunTool("umount", folder);

    private static (int ExitCode, string Errors) RunTool(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, errors);
        }
        catch (System.ComponentModel.Win32Exception error)
        {
            return (-1, error.Message);
        }
    }
}
