// Reads a corpus folder written by `charrnn harvest`: the split files, their per-file indexes and the
// manifest. `charrnn train` and `charrnn eval` open a corpus through it and hand the texts on; it never
// writes and never holds a whole split in memory (Files streams one file at a time).
using System.Text;
using System.Text.Json;
using CharRnnCode.Common;

namespace CharRnnCode.Corpus;

/// <summary>One file of a split: its repository id, its path in that repository and its normalised text
/// (LF line endings, one trailing newline, without the optional header line).</summary>
public sealed record CorpusFile(string Repo, string Path, string Text);

/// <summary>One line of a split's <c>*.index.jsonl</c>: where a file's bytes (header line included) lie in the split's .txt.</summary>
public sealed record CorpusIndexEntry(string Repo, string Path, long ByteOffset, long ByteLength);

public sealed class CorpusFolder
{
    public string Directory { get; }
    public CorpusManifest Manifest { get; }

    public string TrainPath => PathOf(CorpusSplit.Train);
    public string ValPath => PathOf(CorpusSplit.Val);
    public string TestPath => PathOf(CorpusSplit.Test);

    private CorpusFolder(string directory, CorpusManifest manifest)
    {
        Directory = directory;
        Manifest = manifest;
    }

    /// <summary>Opens a corpus folder; throws a <see cref="UserError"/> naming what is missing or unreadable.</summary>
    public static CorpusFolder Open(string directory)
    {
        var full = System.IO.Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
            throw new InvalidInputError("corpus", $"corpus folder '{directory}' does not exist. Create one with `charrnn harvest {{out}} {directory}`.");
        var manifestPath = System.IO.Path.Combine(full, "manifest.json");
        if (!File.Exists(manifestPath))
            throw new InvalidInputError("corpus", $"'{directory}' is not a corpus folder: it has no manifest.json. Create one with `charrnn harvest {{out}} {directory}`.");
        foreach (var split in CorpusSplits.All)
        {
            foreach (var name in new[] { split.TextFileName(), split.IndexFileName() })
                if (!File.Exists(System.IO.Path.Combine(full, name)))
                    throw new UserError($"corpus folder '{directory}' is incomplete: {name} is missing. Harvest it again.");
        }
        CorpusManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<CorpusManifest>(File.ReadAllText(manifestPath), CorpusManifest.JsonOptions)
                ?? throw new JsonException("the manifest is empty");
        }
        catch (JsonException error)
        {
            throw new UserError($"manifest.json in '{directory}' cannot be read ({error.Message}). Harvest the corpus again.", error);
        }
        if (manifest.FormatVersion > CorpusManifest.CurrentFormatVersion)
            throw new UserError($"corpus '{directory}' has format version {manifest.FormatVersion}, newer than this charrnn understands ({CorpusManifest.CurrentFormatVersion}). Update charrnn.");
        return new CorpusFolder(full, manifest);
    }

    public string PathOf(CorpusSplit split) => System.IO.Path.Combine(Directory, split.TextFileName());

    public string IndexPathOf(CorpusSplit split) => System.IO.Path.Combine(Directory, split.IndexFileName());

    /// <summary>The index entries of a split, in file order.</summary>
    public IEnumerable<CorpusIndexEntry> Index(CorpusSplit split)
    {
        foreach (var line in File.ReadLines(IndexPathOf(split)))
        {
            if (line.Length == 0) continue;
            yield return JsonSerializer.Deserialize<CorpusIndexEntry>(line, CorpusManifest.JsonOptions)
                ?? throw new UserError($"{split.IndexFileName()} in '{Directory}' has an empty entry. Harvest the corpus again.");
        }
    }

    /// <summary>Streams the files of a split in order, one at a time.</summary>
    public IEnumerable<CorpusFile> Files(CorpusSplit split)
    {
        using var stream = new FileStream(PathOf(split), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var buffer = Array.Empty<byte>();
        var hasHeader = Manifest.Options.FileHeader;
        foreach (var entry in Index(split))
        {
            if (entry.ByteOffset + entry.ByteLength > stream.Length)
                throw new UserError($"{split.IndexFileName()} in '{Directory}' points past the end of {split.TextFileName()}. Harvest the corpus again.");
            if (buffer.Length < entry.ByteLength) buffer = new byte[Math.Max(entry.ByteLength, buffer.Length * 2)];
            stream.Position = entry.ByteOffset;
            stream.ReadExactly(buffer, 0, checked((int)entry.ByteLength));
            var text = Encoding.UTF8.GetString(buffer, 0, (int)entry.ByteLength);
            if (hasHeader)
            {
                var endOfHeader = text.IndexOf('\n');
                text = endOfHeader < 0 ? "" : text[(endOfHeader + 1)..];
            }
            yield return new CorpusFile(entry.Repo, entry.Path, text);
        }
    }

    /// <summary>The corpus's languages: those the manifest names; when it names none, the language presets that the files' names match
    /// (a file that two presets match, a .h file, counts only when no file names one language alone).</summary>
    public IReadOnlyList<string> Languages()
    {
        var named = Manifest.Options.Languages.Select(language => language.Trim().ToLowerInvariant()).Distinct().ToList();
        if (named.Count > 0) return named;
        var (sure, ambiguous) = (new SortedSet<string>(StringComparer.Ordinal), new SortedSet<string>(StringComparer.Ordinal));
        foreach (var entry in CorpusSplits.All.SelectMany(Index))
        {
            var matching = LanguagePresets.Names.Where(language => LanguagePresets.Patterns(language)
                .Any(pattern => entry.Path.EndsWith(pattern.TrimStart('*'), StringComparison.OrdinalIgnoreCase))).ToList();
            (matching.Count == 1 ? sure : ambiguous).UnionWith(matching);
        }
        return [.. sure.Count > 0 ? sure : ambiguous];
    }
}
