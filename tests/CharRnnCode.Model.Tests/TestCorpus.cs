// Small real corpora and trained tiny models shared by the tests: a corpus folder in the harvester's
// layout written to a temporary directory, and one tiny model trained on it once per test run.
using CharRnnCode.Model.Training;

namespace CharRnnCode.Model.Tests;

internal static class TestCorpus
{
    // A few lines of real-looking C#, repeated so that a tiny model can learn them by heart.
    public const string Snippet =
        "public static int Add(int a, int b)\n{\n    return a + b;\n}\n" +
        "public static bool IsEmpty(string text) => text.Length == 0;\n";

    public static string TemporaryDirectory(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "charrnn-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>A corpus folder of the three split files: train.txt (the snippet repeated), val.txt and test.txt.</summary>
    public static string Write(string name, int repeats = 40)
    {
        var directory = TemporaryDirectory(name);
        File.WriteAllText(Path.Combine(directory, "train.txt"), string.Concat(Enumerable.Repeat(Snippet, repeats)));
        File.WriteAllText(Path.Combine(directory, "val.txt"), string.Concat(Enumerable.Repeat(Snippet, 4)));
        File.WriteAllText(Path.Combine(directory, "test.txt"), Snippet);
        return directory;
    }

    public static RunConfig Tiny(params string[] overrides) => RunConfig.LoadPreset("tiny", overrides);

    private static readonly Lazy<TrainResult> SharedRun = new(() =>
        Trainer.Run(new TrainRequest
        {
            Config = Tiny("maxSteps=200", "evalInterval=100", "learningRate=0.02"),
            CorpusDirectory = Write("shared"),
            RunDirectory = TemporaryDirectory("shared-run"),
            Device = "cpu",
            Threads = 1,
        }));

    /// <summary>One tiny LSTM trained once for every test that only needs some checkpoint.</summary>
    public static TrainResult TrainedTinyRun => SharedRun.Value;
}
