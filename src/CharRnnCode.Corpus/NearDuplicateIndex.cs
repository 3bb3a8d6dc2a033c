// Near-duplicate detection as code dataset pipelines do it: MinHash signatures over shingles of five
// consecutive tokens, banded locality-sensitive hashing to find candidates, then the estimated Jaccard
// similarity of the full signatures against the threshold. Signatures are computed in parallel
// (MinHashSignature.Of); the index itself is filled in file order, so the first copy is the one kept.
// It keeps 128 uint per kept file plus its band keys: memory grows with the number of files, not bytes.
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
        Span<ulong> keys = stackalloc ulong[Bands];
        for (var band = 0; band < Bands; band++)
        {
            var rows = System.Runtime.InteropServices.MemoryMarshal.AsBytes(signature.AsSpan(band * Rows, Rows));
            keys[band] = XxHash3.HashToUInt64(rows, seed: band);
            if (_buckets.TryGetValue(keys[band], out var candidates))
                foreach (var candidate in candidates)
                    if (MinHashSignature.EstimatedJaccard(signature, _signatures[candidate]) >= Threshold) return true;
        }
        var id = _signatures.Count;
        _signatures.Add(signature);
        foreach (var key in keys)
        {
            if (!_buckets.TryGetValue(key, out var list)) _buckets[key] = list = new List<int>(1);
            list.Add(id);
        }
        return false;
    }
}
