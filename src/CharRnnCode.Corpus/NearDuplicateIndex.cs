// Near-duplicate detection as code dataset pipelines do it: MinHash signatures over shingles of five
// consecutive tokens, banded locality-sensitive hashing to find candidates, then the estimated Jaccard
// similarity of the full signatures against the threshold. Signatures are computed in parallel
// (MinHashSignature.Of); the index itself is filled in file order, so the first copy is the one kept.
// It keeps 128 uint per kept file plus its band keys: memory grows with the number of files, not bytes.
// The same index places near-copies in one split (SplitClusters), so that none straddles train and test.
using System.IO.Hashing;

namespace CharRnnCode.Corpus;

public static class MinHashSignature
{
    public const int Permutations = 128;
    public const int ShingleTokens = 5;

    // Fixed odd multipliers and offsets (from a SplitMix64 sequence): signatures must not change between runs.
    private static readonly ulong[] Multipliers = new ulong[Permutations];
    private static readonly ulong[] Offsets = new ulong[Permutations];

    static MinHashSignature()
    {
        var state = 0x9E3779B97F4A7C15UL;
        ulong Next()
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
        for (var i = 0; i < Permutations; i++) { Multipliers[i] = Next() | 1; Offsets[i] = Next(); }
    }

    /// <summary>The signature of normalised UTF-8 text, or null when it has fewer tokens than one shingle.</summary>
    public static uint[]? Of(ReadOnlySpan<byte> text)
    {
        Span<ulong> window = stackalloc ulong[ShingleTokens];
        var tokens = 0;
        var signature = new uint[Permutations];
        Array.Fill(signature, uint.MaxValue);
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            var b = text[i];
            if (IsWordByte(b)) { while (i < text.Length && IsWordByte(text[i])) i++; }
            else if (b is (byte)' ' or (byte)'\t' or (byte)'\n') { i++; continue; }
            else i++;
            window[tokens % ShingleTokens] = XxHash3.HashToUInt64(text[start..i]);
            tokens++;
            if (tokens < ShingleTokens) continue;
            // Order-sensitive combination of the last five token hashes.
            ulong shingle = 0;
            for (var k = 0; k < ShingleTokens; k++)
                shingle = (shingle ^ window[(tokens + k) % ShingleTokens]) * 0x100000001B3UL + 0x9E3779B97F4A7C15UL;
            for (var p = 0; p < Permutations; p++)
            {
                var value = (uint)((Multipliers[p] * shingle + Offsets[p]) >> 32);
                if (value < signature[p]) signature[p] = value;
            }
        }
        return tokens < ShingleTokens ? null : signature;
    }

    private static bool IsWordByte(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'_' or >= 0x80;

    public static double EstimatedJaccard(uint[] a, uint[] b)
    {
        var same = 0;
        for (var i = 0; i < a.Length; i++) if (a[i] == b[i]) same++;
        return same / (double)a.Length;
    }
}

public sealed class NearDuplicateIndex(double threshold)
{
    // 16 bands of 8 rows: pairs at Jaccard 0.85 collide in some band with probability ~0.99,
    // pairs at 0.5 with ~0.06; the full-signature check below removes the false candidates.
    private const int Bands = 16;
    private const int Rows = MinHashSignature.Permutations / Bands;

    private readonly List<uint[]> _signatures = [];
    private readonly Dictionary<ulong, List<int>> _buckets = [];

    public double Threshold { get; } = threshold;

    /// <summary>True when <paramref name="signature"/> is a near duplicate of an added one; otherwise adds it.</summary>
    public bool IsDuplicateOrAdd(uint[] signature)
    {
        if (FirstMatch(signature) >= 0) return true;
        Add(signature);
        return false;
    }

    /// <summary>The id of an added signature at or above the threshold (the first found), or -1.</summary>
    public int FirstMatch(uint[] signature)
    {
        for (var band = 0; band < Bands; band++)
            if (_buckets.TryGetValue(BandKey(signature, band), out var candidates))
                foreach (var candidate in candidates)
                    if (MinHashSignature.EstimatedJaccard(signature, _signatures[candidate]) >= Threshold) return candidate;
        return -1;
    }

    /// <summary>Adds a signature; returns its id (0, 1, 2, ... in the order added).</summary>
    public int Add(uint[] signature)
    {
        var id = _signatures.Count;
        _signatures.Add(signature);
        for (var band = 0; band < Bands; band++)
        {
            var key = BandKey(signature, band);
            if (!_buckets.TryGetValue(key, out var list)) _buckets[key] = list = new List<int>(1);
            list.Add(id);
        }
        return id;
    }

    private static ulong BandKey(uint[] signature, int band) =>
        XxHash3.HashToUInt64(System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan(band * Rows, Rows)), seed: band);
}

/// <summary>Keeps near-copies in one split: a file whose signature is near one already placed goes to that file's
/// split (so to its cluster's, transitively), whatever its own path would say. The first file of a cluster keeps the
/// split its path gives it, so the split fractions hold on average. Counts what that moves: the cost.</summary>
public sealed class SplitClusters(double threshold)
{
    private readonly NearDuplicateIndex _index = new(threshold);
    private readonly List<CorpusSplit> _splits = [];
    private readonly List<int> _clusterSizes = [];
    private readonly List<int> _clusterOf = [];

    public double Threshold => threshold;
    public long FilesMoved { get; private set; }
    public long CharsMoved { get; private set; }

    /// <summary>The split of a file whose path gives <paramref name="pathSplit"/>.</summary>
    public CorpusSplit Place(uint[] signature, CorpusSplit pathSplit, long chars)
    {
        var match = _index.FirstMatch(signature);
        var id = _index.Add(signature);
        var cluster = match >= 0 ? _clusterOf[match] : _clusterSizes.Count;
        if (match < 0) _clusterSizes.Add(0);
        _clusterOf.Add(cluster);
        _clusterSizes[cluster]++;
        var split = match >= 0 ? _splits[match] : pathSplit;
        _splits.Add(split);
        System.Diagnostics.Debug.Assert(id == _splits.Count - 1);
        if (split != pathSplit) { FilesMoved++; CharsMoved += chars; }
        return split;
    }

    public SplitClusterReport Report() => new(threshold, _clusterSizes.Count(size => size > 1), _clusterSizes.Where(size => size > 1).Sum(), FilesMoved, CharsMoved);
}
