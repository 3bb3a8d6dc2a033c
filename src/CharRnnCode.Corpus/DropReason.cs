// Why a file of a repository is not in the corpus. Every file a harvest sees is either kept or
// counted under exactly one of these, the first that applies: first what the tree says (mode, path,
// name), then what the content says, then duplicates. The enum lists them in that order.
namespace CharRnnCode.Corpus;

public enum DropReason
{
    Symlink,
    Submodule,
    /// <summary>Lies in a vendored or build folder (bin/, obj/, node_modules/, vendor/, third_party/...).</summary>
    Vendored,
    /// <summary>Matches no include glob (nor the language preset).</summary>
    NotIncluded,
    /// <summary>Matches an exclude glob.</summary>
    Excluded,
    /// <summary>Generated code: by name (*.g.cs, *.Designer.cs, *.min.js...) or by an auto-generated header.</summary>
    Generated,
    /// <summary>Left out of a subset (--sample-files) by the stable hash of its repository and path.</summary>
    NotSampled,
    /// <summary>Larger than --max-file-kb.</summary>
    TooLarge,
    /// <summary>Has a NUL byte in its first 8000 bytes (git's own test).</summary>
    Binary,
    InvalidUtf8,
    /// <summary>Nothing left after normalisation.</summary>
    Empty,
    /// <summary>Has a line longer than --max-line-length: minified or data, not code people write.</summary>
    LongLines,
    /// <summary>Same normalised content as a file kept earlier (in any repository).</summary>
    Duplicate,
    /// <summary>MinHash similarity with a file kept earlier at or above --near-dedup.</summary>
    NearDuplicate,
}

public static class DropReasons
{
    public static string Name(this DropReason reason) => reason switch
    {
        DropReason.NotIncluded => "not-included",
        DropReason.Excluded => "excluded",
        DropReason.Vendored => "vendored",
        DropReason.Symlink => "symlink",
        DropReason.Submodule => "submodule",
        DropReason.TooLarge => "too-large",
        DropReason.Binary => "binary",
        DropReason.InvalidUtf8 => "invalid-utf8",
        DropReason.Generated => "generated",
        DropReason.NotSampled => "not-sampled",
        DropReason.LongLines => "long-lines",
        DropReason.Empty => "empty",
        DropReason.Duplicate => "duplicate",
        DropReason.NearDuplicate => "near-duplicate",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
