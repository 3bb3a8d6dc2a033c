// --lang presets: the file patterns that make up "the source code" of a language. Headers count as
// source (the seed corpus was every .c and .h file). Unknown names fail with the list of known ones.
using CharRnnCode.Common;

namespace CharRnnCode.Corpus;

public static class LanguagePresets
{
    private static readonly SortedDictionary<string, string[]> Presets = new(StringComparer.Ordinal)
    {
        ["c"] = ["*.c", "*.h"],
        ["cpp"] = ["*.cc", "*.cpp", "*.cxx", "*.c++", "*.hh", "*.hpp", "*.hxx", "*.h", "*.inl"],
        ["csharp"] = ["*.cs", "*.csx"],
        ["fsharp"] = ["*.fs", "*.fsi", "*.fsx"],
        ["go"] = ["*.go"],
        ["java"] = ["*.java"],
        ["javascript"] = ["*.js", "*.mjs", "*.cjs", "*.jsx"],
        ["python"] = ["*.py"],
        ["rust"] = ["*.rs"],
        ["typescript"] = ["*.ts", "*.tsx"],
    };

    public static IReadOnlyCollection<string> Names => Presets.Keys;

    public static IReadOnlyList<string> Patterns(string language) =>
        Presets.TryGetValue(language.Trim().ToLowerInvariant(), out var patterns)
            ? patterns
            : throw new InvalidInputError("lang", $"unknown language preset '{language}'. Known presets: {string.Join(", ", Presets.Keys)}; or pass {{include}} globs.");
}
