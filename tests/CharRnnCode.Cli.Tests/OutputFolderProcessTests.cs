// --out as a process: a verb replaces only a folder of the kind it writes (a corpus, a run, a report); any
// other non-empty folder is left exactly as it was unless --force is given, and the current folder is never
// replaced, not even with --force. The folders here hold real files of other programs (a browser extension).
using System.Text.Json;
using CharRnnCode.Corpus.Tests;

namespace CharRnnCode.Cli.Tests;

public sealed class OutputFolderProcessTests : IDisposable
{
    private const string ExtensionManifest = """{ "manifest_version": 3, "name": "tab saver", "version": "1.0", "background": { "service_worker": "background.js" } }""";
    private const string BackgroundScript = "chrome.tabs.onCreated.addListener(tab => console.log(tab.id));\n";

    private readonly GitFixture _git = new();

    public void Dispose() => _git.Dispose();

    private string Kernel() => _git.CreateRepository("kernel",
    [
        GitFixture.Text("mm/page.c", "int page;\n"),
        GitFixture.Text("kernel/fork.c", "int fork;\n"),
    ]);

    /// <summary>A browser extension's folder: a manifest.json that is not a corpus manifest, and a script.</summary>
    private static string Extension(TempFolder folder)
    {
        var extension = folder["extension"];
        Directory.CreateDirectory(extension);
        File.WriteAllText(Path.Combine(extension, "manifest.json"), ExtensionManifest);
        File.WriteAllText(Path.Combine(extension, "background.js"), BackgroundScript);
        return extension;
    }

    private static void AssertExtensionIntact(string extension)
    {
        Assert.Equal(["background.js", "manifest.json"], Directory.EnumerateFileSystemEntries(extension).Select(Path.GetFileName).Order());
        Assert.Equal(ExtensionManifest, File.ReadAllText(Path.Combine(extension, "manifest.json")));
        Assert.Equal(BackgroundScript, File.ReadAllText(Path.Combine(extension, "background.js")));
    }

    [Fact]
    public void Harvest_leaves_a_folder_with_a_foreign_manifest_intact_and_names_force()
    {
        using var folder = new TempFolder();
        var extension = Extension(folder);
        var result = Charrnn.Run("harvest", "--repo", Kernel(), "--lang", "c", "--val", "0", "--test", "0", "--out", extension);
        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error:", result.Stderr);
        Assert.Contains("holds something other than a corpus", result.Stderr);
        Assert.Contains("--force", result.Stderr);
        Assert.Equal("", result.Stdout);
        AssertExtensionIntact(extension);
        // Nothing beside it either: no staging folder was started.
        Assert.Equal(["extension"], Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Harvest_with_force_replaces_a_foreign_folder()
    {
        using var folder = new TempFolder();
        var extension = Extension(folder);
        var result = Charrnn.Run("harvest", "--repo", Kernel(), "--lang", "c", "--val", "0", "--test", "0", "--out", extension, "--force");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(Path.Combine(extension, "background.js")));
        Assert.Equal("int fork;\nint page;\n", File.ReadAllText(Path.Combine(extension, "train.txt")));
        Assert.True(JsonDocument.Parse(File.ReadAllText(Path.Combine(extension, "manifest.json"))).RootElement.TryGetProperty("corpusId", out _));
    }

    [Fact]
    public void Harvest_replaces_an_earlier_corpus_without_force()
    {
        using var folder = new TempFolder();
        var corpus = folder["corpus"];
        string[] harvest = ["harvest", "--repo", Kernel(), "--lang", "c", "--val", "0", "--test", "0", "--out", corpus];
        var first = Charrnn.Run([.. harvest, "--include", "mm/**"]);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("int page;\n", File.ReadAllText(Path.Combine(corpus, "train.txt")));
        var second = Charrnn.Run(harvest);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("int fork;\nint page;\n", File.ReadAllText(Path.Combine(corpus, "train.txt")));
    }

    [Fact]
    public void Dot_as_out_is_refused_even_with_force_and_the_folder_is_left_as_it_was()
    {
        using var folder = new TempFolder();
        var extension = Extension(folder);
        var repository = Kernel();
        foreach (var force in new[] { false, true })
        {
            string[] arguments = ["harvest", "--repo", repository, "--lang", "c", "--val", "0", "--test", "0", "--out", "."];
            var result = Charrnn.RunIn(extension, force ? [.. arguments, "--force"] : arguments);
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("--out . is the current folder", result.Stderr);
            Assert.Contains("not even with --force", result.Stderr);
            AssertExtensionIntact(extension);
        }
        // An empty current folder is refused as well: replacing it would pull the folder out from under the shell.
        var empty = folder["empty"];
        Directory.CreateDirectory(empty);
        var eval = Charrnn.RunIn(empty, "eval", "--checkpoint", "x.ckpt", "--corpus", "corpus", "--out", ".");
        Assert.Equal(2, eval.ExitCode);
        Assert.Contains("is the current folder", eval.Stderr);
        Assert.True(Directory.Exists(empty));
    }

    [Fact]
    public void A_folder_above_the_current_one_is_refused()
    {
        using var folder = new TempFolder();
        var inner = folder["a/b"];
        Directory.CreateDirectory(inner);
        var result = Charrnn.RunIn(inner, "harvest", "--repo", Kernel(), "--lang", "c", "--out", "..", "--force");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("holds the current folder", result.Stderr);
        Assert.True(Directory.Exists(inner));
    }

    [Fact]
    public void Eval_leaves_a_train_run_folder_given_as_out_intact()
    {
        using var folder = new TempFolder();
        var corpus = CodeCorpus.Write(folder["corpus"], CodeCorpus.Code(40, seed: 2));
        var run = folder["run"];
        var train = Charrnn.Run("train", "--corpus", corpus, "--preset", "tiny", "--threads", "1", "--set", "maxSteps=5", "--out", run);
        Assert.True(train.ExitCode == 0, train.ToString());
        var before = Directory.EnumerateFiles(run).Order().ToDictionary(path => path, File.ReadAllBytes);
        Assert.Contains(Path.Combine(run, "best.ckpt"), before.Keys);

        var result = Charrnn.Run("eval", "--checkpoint", Path.Combine(run, "best.ckpt"), "--corpus", corpus, "--out", run, "--threads", "1");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("holds something other than an evaluation report", result.Stderr);
        Assert.Contains("--force", result.Stderr);
        Assert.Equal(before.Keys, Directory.EnumerateFiles(run).Order());
        foreach (var (path, bytes) in before) Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Empty(Directory.EnumerateDirectories(folder.Path, ".run*"));
    }

    [Fact]
    public void Train_refuses_a_folder_whose_config_json_belongs_to_another_program()
    {
        using var folder = new TempFolder();
        var corpus = CodeCorpus.Write(folder["corpus"], CodeCorpus.Code(40, seed: 2));
        var other = folder["app"];
        Directory.CreateDirectory(other);
        const string config = """{ "port": 8080 }""";
        File.WriteAllText(Path.Combine(other, "config.json"), config);
        var result = Charrnn.Run("train", "--corpus", corpus, "--preset", "tiny", "--threads", "1", "--set", "maxSteps=5", "--out", other);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("holds something other than a run", result.Stderr);
        Assert.Contains("--force", result.Stderr);
        Assert.Equal(["config.json"], Directory.EnumerateFileSystemEntries(other).Select(Path.GetFileName));
        Assert.Equal(config, File.ReadAllText(Path.Combine(other, "config.json")));
    }

    [Fact]
    public void Ngram_and_export_leave_a_file_that_is_not_theirs_alone()
    {
        using var folder = new TempFolder();
        var notes = folder["notes.txt"];
        File.WriteAllText(notes, "my notes\n");
        var corpus = CodeCorpus.Write(folder["corpus"], CodeCorpus.Code(40, seed: 2));
        var result = Charrnn.Run("ngram", "--corpus", corpus, "--orders", "1-2", "--out", notes);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is a file that is not an n-gram table", result.Stderr);
        Assert.Contains("--force", result.Stderr);
        Assert.Equal("my notes\n", File.ReadAllText(notes));
        var export = Charrnn.Run("export", "--checkpoint", folder["missing.ckpt"], "--weights-only", "--out", notes);
        Assert.Equal(2, export.ExitCode);
        Assert.Contains("is a file that is not a checkpoint", export.Stderr);
        Assert.Equal("my notes\n", File.ReadAllText(notes));
    }
}
