// Everything that decides which files a harvest keeps and how it writes them. The whole record is
// copied into manifest.json, so a corpus says how it was made; options that cannot change the output
// (threads, shallow cloning, the cache folder) live elsewhere on purpose.
using System.Text.Json.Serialization;

namespace CharRnnCode.Corpus;

/// <summary>What to do with a file that is not valid UTF-8.</summary>
public enum InvalidUtf8Policy
{
    /// <summary>Drop the file (counted as <c>invalid-utf8</c>).</summary>
    Skip,
    /// <summary>Read it as ISO-8859-1 (every byte is a character) and keep it, counted as transcoded.</summary>
    Latin1,
}

public sealed record HarvestOptions
{
    /// <summary>Language presets (see <see cref="LanguagePresets"/>): a file must be of one of them (when any is given).</summary>
    public IReadOnlyList<string> Languages { get; init; } = [];

    /// <summary>Globs a file must also match (any of them) to be kept, within the languages; empty means every file of them.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Globs that drop a file even when it is included.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Folder names whose whole subtree is vendored or built code, at any depth.</summary>
    public IReadOnlyList<string> VendoredFolders { get; init; } = DefaultVendoredFolders;

    public static IReadOnlyList<string> DefaultVendoredFolders { get; } =
        ["bin", "obj", "node_modules", "vendor", "third_party", "third-party", "packages", ".git"];

    /// <summary>Files larger than this (in KiB, as stored in git) are dropped as <c>too-large</c>.</summary>
    public int MaxFileKb { get; init; } = 1024;

    /// <summary>A file with a line longer than this many bytes is taken for minified or generated text.</summary>
    public int MaxLineLength { get; init; } = 1000;

    public InvalidUtf8Policy InvalidUtf8 { get; init; } = InvalidUtf8Policy.Skip;

    /// <summary>Estimated Jaccard similarity at or above which a file is a near duplicate of an earlier one; null turns it off.</summary>
    public double? NearDedupThreshold { get; init; }

    /// <summary>Estimated Jaccard similarity at or above which two files go to the same split (so no near-copy is in
    /// train and test at once); null splits by path alone. The command line turns it on by default.</summary>
    public double? SplitClusterThreshold { get; init; }

    /// <summary>Keeps only this fraction of the files that pass the path filters, chosen by a stable hash of repository and
    /// path independent of the split's (a deterministic subset, split by file like the whole); null keeps every file.</summary>
    public double? SampleFiles { get; init; }

    /// <summary>Writes a line <c>// file: repo/path</c> before each file.</summary>
    public bool FileHeader { get; init; }

    public double ValFraction { get; init; } = 0.05;

    public double TestFraction { get; init; } = 0.05;

    [JsonIgnore]
    public double TrainFraction => 1.0 - ValFraction - TestFraction;

    /// <summary>Throws a <see cref="Common.UserError"/> naming the first option that makes no sense.</summary>
    public void Validate()
    {
        if (MaxFileKb <= 0) throw new Common.InvalidInputError("maxFileKb", $"{{maxFileKb}} must be positive (got {MaxFileKb}).");
        if (MaxLineLength <= 0) throw new Common.InvalidInputError("maxLineLength", $"{{maxLineLength}} must be positive (got {MaxLineLength}).");
        if (ValFraction < 0 || TestFraction < 0 || ValFraction + TestFraction >= 1)
            throw new Common.UserError($"split fractions must be non-negative and leave room for training (val {ValFraction}, test {TestFraction}).");
        if (NearDedupThreshold is { } t && (t <= 0 || t > 1))
            throw new Common.InvalidInputError("nearDedup", $"{{nearDedup}} takes a Jaccard similarity in (0, 1], such as 0.85 (got {t}).");
        if (SplitClusterThreshold is { } c && (c <= 0 || c > 1))
            throw new Common.InvalidInputError("splitClusters", $"{{splitClusters}} takes a Jaccard similarity in (0, 1], such as 0.8 (got {c}).");
        if (SampleFiles is { } f && (f <= 0 || f > 1))
            throw new Common.InvalidInputError("sampleFiles", $"{{sampleFiles}} takes a fraction of files in (0, 1], such as 0.0075 (got {f}).");
        foreach (var language in Languages) LanguagePresets.Patterns(language);
    }
}
