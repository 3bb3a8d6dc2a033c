// A corpus harvested by the built charrnn from a small git repository, and a tiny model trained on it in
// seconds: what the tests of verbs that need a corpus or a checkpoint start from. WriteCorpus makes a
// hand-made corpus folder (no manifest) for training tests that need a chosen validation text.
using System.Text;
using CharRnnCode.Corpus.Tests;

namespace CharRnnCode.Cli.Tests;

public sealed class TinyRun : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly GitFixture _git = new();

    public string Corpus { get; }
    public string RunDirectory { get; }
    public string Checkpoint => Path.Combine(RunDirectory, "best.ckpt");

    public TinyRun()
    {
        // C#, with statements in method bodies: what eval's line completion needs.
        var repository = _git.CreateRepository("code", Enumerable.Range(0, 30).Select(i =>
            GitFixture.Text($"F{i}.cs", $"class F{i}\n{{\n    void M()\n    {{\n{Code(20, seed: i)}    }}\n}}\n")));
        Corpus = _folder["corpus"];
        var harvest = Charrnn.Run("harvest", "--repo", repository, "--lang", "csharp", "--val", "0.2", "--test", "0.2", "--out", Corpus);
        if (harvest.ExitCode != 0) throw new InvalidOperationException($"the tiny corpus was not harvested:\n{harvest}");
        RunDirectory = _folder["run"];
        var result = Charrnn.Run("train", "--corpus", Corpus, "--preset", "tiny", "--set", "maxSteps=20", "--threads", "1", "--out", RunDirectory);
        if (result.ExitCode != 0 || !File.Exists(Checkpoint)) throw new InvalidOperationException($"the tiny run did not train:\n{result}");
    }

    /// <summary>A corpus folder at <paramref name="folder"/> with C-like training text and the given validation text.</summary>
    public static string WriteCorpus(string folder, string validation)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "train.txt"), Code(400, seed: 1));
        File.WriteAllText(Path.Combine(folder, "val.txt"), validation);
        File.WriteAllText(Path.Combine(folder, "test.txt"), Code(40, seed: 3));
        return folder;
    }

    /// <summary>Lines of simple C-like statements (C# too), the same for the same seed.</summary>
    public static string Code(int lines, int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < lines; i++)
            text.Append($"    int value{random.Next(10)} = count{random.Next(10)} + {random.Next(100)};\n");
        return text.ToString();
    }

    public void Dispose()
    {
        _folder.Dispose();
        _git.Dispose();
    }
}
