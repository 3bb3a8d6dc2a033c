// Small real corpora for the tests that train their own runs: a corpus folder in the harvester's layout
// written to a temporary directory. The trained tiny model that tests only read is SharedTinyModel's.
using CharRnnCode.Inference;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Model.Tests;

internal static class TestCorpus
{
    // A few lines of real-looking C#, repeated so that a tiny model can learn them by heart.
    public const string Snippet =
        "public static int Add(int a, int b)\n{\n    return a + b;\n}\n" +
        "public static bool IsEmpty(string text) => text.Length == 0;\n";

    public static string TemporaryDirectory(string name) => TemporaryFolders.Create(name);

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
}
