// Hand-made corpus folders (no manifest) for training tests that need a chosen validation text, and the
// C-like lines they are made of. The trained tiny model that tests only read is SharedTinyModel's.
using System.Text;

namespace CharRnnCode.Cli.Tests;

public static class CodeCorpus
{
    /// <summary>A corpus folder at <paramref name="folder"/> with C-like training text and the given validation text.</summary>
    public static string Write(string folder, string validation)
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
}
