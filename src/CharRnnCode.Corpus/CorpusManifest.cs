// The shape of a corpus folder's manifest.json: where every file came from, what was dropped and why,
// the options used and the corpus identity that checkpoints record. It holds no timestamps or machine
// details, so that the same inputs give a byte-identical manifest.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CharRnnCode.Corpus;

public sealed record CorpusManifest
{
    public const int CurrentFormatVersion = 1;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Stable hash of train.txt, val.txt and test.txt (see <see cref="CorpusIdentity"/>).</summary>
    public required string CorpusId { get; init; }

    public required string Tool { get; init; }

    public required HarvestOptions Options { get; init; }

    public required IReadOnlyList<RepositoryReport> Repositories { get; init; }

    /// <summary>Files, bytes and characters per split, keyed by split name (train, val, test).</summary>
    public required IReadOnlyDictionary<string, SplitReport> Splits { get; init; }

    public required DuplicateReport Duplicates { get; init; }

    /// <summary>What keeping near-copies in one split cost; null when the corpus was split by path alone.</summary>
    public SplitClusterReport? SplitClusters { get; init; }

    /// <summary>How often each character (Unicode scalar value) occurs in the file contents of the three
    /// splits together, header lines excluded, keyed in ordinal order.</summary>
    public required IReadOnlyDictionary<string, long> CharacterHistogram { get; init; }

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}

public sealed record RepositoryReport
{
    public required string Id { get; init; }
    public required string Url { get; init; }
    public string? Revision { get; init; }
    public required string Commit { get; init; }
    public string? LicenseFile { get; init; }
    /// <summary>SPDX identifier guessed from the license file's text, when it is a well-known one.</summary>
    public string? License { get; init; }
    /// <summary>The license the harvest manifest declares for this source, when it declares one.</summary>
    public string? DeclaredLicense { get; init; }
    /// <summary>Include globs of this repository alone, when its manifest entry gives them.</summary>
    public IReadOnlyList<string>? Include { get; init; }
    public IReadOnlyList<string>? Exclude { get; init; }
    public long FilesSeen { get; init; }
    public long FilesKept { get; init; }
    /// <summary>Files dropped, per reason (see <see cref="DropReason"/>), in ordinal order.</summary>
    public required IReadOnlyDictionary<string, long> Dropped { get; init; }
    /// <summary>UTF-8 bytes kept, after normalisation, headers excluded.</summary>
    public long Bytes { get; init; }
    public long Chars { get; init; }
    /// <summary>Files kept after reading them as Latin-1 (--invalid-utf8 latin1).</summary>
    public long Transcoded { get; init; }
}

public sealed record SplitReport(long Files, long Bytes, long Chars);

public sealed record DuplicateReport(long Exact, long Near);

/// <summary>Near-copy clusters (estimated Jaccard at or above <paramref name="Threshold"/>) kept in one split:
/// how many clusters of two or more files there were, the files in them, and the files (and characters) that went
/// to their cluster's split instead of the one their path gives.</summary>
public sealed record SplitClusterReport(double Threshold, long Clusters, long FilesInClusters, long FilesMoved, long CharsMoved);
