// The counts every smoothing of the character n-gram model reads, from one suffix array of the REVERSED
// training text sorted to depth D (the highest order). A context read backwards is a prefix there, so each
// longer context narrows the previous range with one binary search; the character that followed an occurrence
// is the one just before its suffix (kept beside the array, so a range's followers lie side by side); the
// character that PRECEDED a context of length k is the suffix's symbol k, and suffixes sharing it are adjacent,
// so a context's continuation counts N1+(• h w) (how many distinct characters came before h w) come from the
// same scan, cut where the common prefix with the previous suffix is exactly k long. The start of the training
// text counts as one more character that can precede (a sentence-start marker in word models).
// Memory: 9 bytes per training character (text, suffix array, followers, common-prefix lengths), whatever D.
// It does not smooth (NGramModel does) and is not thread-safe (scans share scratch arrays and a cache).
namespace CharRnnCode.Evaluation;

internal sealed class SuffixCounts
{
    // Ranges larger than this are scanned once and their histograms cached; smaller ones are scanned every time.
    private const int ScanLimit = 512;

    private readonly ushort[] _reversed;   // the training text, reversed, as symbols (1..V)
    private readonly int[] _suffixes;      // suffix start positions in _reversed, sorted on the first Depth symbols
    private readonly ushort[] _followers;  // the symbol that followed suffix j's context: _reversed[_suffixes[j] - 1], 0 for none
    private readonly byte[] _commonPrefix; // symbols suffix j shares with suffix j-1, at most Depth
    private readonly long[,] _countsOfCounts;             // [order, r]: order-grams seen exactly r times (r = 1..4)
    private readonly long[,] _continuationCountsOfCounts; // [order, r]: order-grams with exactly r distinct characters before them
    private readonly Histogram _root;      // the empty context: every character of the text
    private readonly Dictionary<long, Histogram> _cache = [];

    // Scratch of one scan: dense per symbol, reset through the list of symbols touched.
    private readonly int[] _scanCounts;
    private readonly int[] _scanContinuations;
    private readonly int[] _scanLastGroup;
    private readonly int[] _touched;

    public int Depth { get; }
    public int Length => _reversed.Length;

    private SuffixCounts(ushort[] reversed, int symbols, int depth, IProgress<double>? progress)
    {
        Depth = depth;
        _reversed = reversed;
        _scanCounts = new int[symbols + 1];
        _scanContinuations = new int[symbols + 1];
        _scanLastGroup = new int[symbols + 1];
        Array.Fill(_scanLastGroup, -1);
        _touched = new int[symbols + 1];

        var sortSteps = (depth + 1) / 2;
        var steps = sortSteps + 2.0;
        _suffixes = SortSuffixes(reversed, symbols, depth, step => progress?.Report(step / steps));
        var n = reversed.Length;
        _followers = new ushort[n];
        _commonPrefix = new byte[n];
        for (var j = 0; j < n; j++)
        {
            var start = _suffixes[j];
            _followers[j] = start > 0 ? reversed[start - 1] : (ushort)0;
            if (j > 0) _commonPrefix[j] = (byte)CommonPrefix(_suffixes[j - 1], start);
        }
        progress?.Report((sortSteps + 1) / steps);
        (_countsOfCounts, _continuationCountsOfCounts) = CountCounts();

        // The empty context: a scan of every suffix misses the text's first character (no suffix ends right
        // before it); it follows the empty context too, after the start of the text.
        Scan(0, n, 0);
        var first = reversed[n - 1];
        if (_scanCounts[first] == 0)
        {
            _touched[0]++;
            _touched[_touched[0]] = first;
        }
        _scanCounts[first]++;
        _scanContinuations[first]++;
        _root = CollectHistogram();
        progress?.Report(1);
    }

    /// <summary>Counts of <paramref name="reversed"/> (symbols 1..<paramref name="symbols"/>), sorted to <paramref name="depth"/>
    /// symbols: enough for every order up to <paramref name="depth"/>.</summary>
    public static SuffixCounts Build(ushort[] reversed, int symbols, int depth, IProgress<double>? progress) =>
        new(reversed, symbols, depth, progress);

    /// <summary>How many <paramref name="order"/>-grams were seen exactly r times (r = 1..4): index r-1. With
    /// <paramref name="continuation"/>, how many had exactly r distinct characters (or the text's start) before them.</summary>
    public long[] CountsOfCounts(int order, bool continuation)
    {
        var table = continuation ? _continuationCountsOfCounts : _countsOfCounts;
        if (continuation && order >= Depth) throw new ArgumentOutOfRangeException(nameof(order), $"continuation counts exist up to order {Depth - 1}");
        return [table[order, 1], table[order, 2], table[order, 3], table[order, 4]];
    }

    /// <summary>Within [lo, hi) (suffixes sharing their first k symbols), those whose symbol k is <paramref name="symbol"/>.</summary>
    public (int Lo, int Hi) Narrow(int lo, int hi, int k, int symbol) =>
        (LowerBound(lo, hi, k, symbol), LowerBound(lo, hi, k, symbol + 1));

    /// <summary>What the smoothings need to know about <paramref name="symbol"/> after the context whose suffixes
    /// are [lo, hi), a context of length <paramref name="k"/>.</summary>
    public LevelStatistics Statistics(int lo, int hi, int k, int symbol)
    {
        if (k == 0) return _root.Statistics(symbol);
        if (hi - lo > ScanLimit) return Cached(lo, hi, k).Statistics(symbol);
        Scan(lo, hi, k);
        var result = new LevelStatistics(Summarise(_scanCounts, symbol), Summarise(_scanContinuations, symbol));
        ResetScan();
        return result;
    }

    /// <summary>Every follower of the context whose suffixes are [lo, hi), a context of length <paramref name="k"/>.</summary>
    public Histogram Followers(int lo, int hi, int k)
    {
        if (k == 0) return _root;
        if (hi - lo > ScanLimit) return Cached(lo, hi, k);
        Scan(lo, hi, k);
        return CollectHistogram();
    }

    private Histogram Cached(int lo, int hi, int k)
    {
        // Ranges of one depth are disjoint, so depth and start name a context.
        var key = ((long)k << 32) | (uint)lo;
        if (!_cache.TryGetValue(key, out var histogram))
        {
            Scan(lo, hi, k);
            _cache[key] = histogram = CollectHistogram();
        }
        return histogram;
    }

    /// <summary>Counts the followers of [lo, hi) into the scratch arrays: how often each came, and after how many
    /// distinct preceding characters (groups of suffixes that share symbol k, i.e. start a new group where the
    /// common prefix with the previous suffix is exactly k long).</summary>
    private void Scan(int lo, int hi, int k)
    {
        var counts = _scanCounts;
        var continuations = _scanContinuations;
        var lastGroup = _scanLastGroup;
        var touched = _touched;
        var touchedCount = 0;
        var group = 0;
        for (var j = lo; j < hi; j++)
        {
            if (_commonPrefix[j] == k && j > lo) group++;
            var follower = _followers[j];
            if (follower == 0) continue; // the context ends the training text: nothing followed it
            if (counts[follower]++ == 0) touched[++touchedCount] = follower;
            if (lastGroup[follower] != group)
            {
                lastGroup[follower] = group;
                continuations[follower]++;
            }
        }
        touched[0] = touchedCount;
    }

    private void ResetScan()
    {
        for (var t = 1; t <= _touched[0]; t++)
        {
            var symbol = _touched[t];
            _scanCounts[symbol] = 0;
            _scanContinuations[symbol] = 0;
            _scanLastGroup[symbol] = -1;
        }
        _touched[0] = 0;
    }

    private FollowerStatistics Summarise(int[] counts, int symbol)
    {
        int total = 0, once = 0, twice = 0;
        for (var t = 1; t <= _touched[0]; t++)
        {
            var count = counts[_touched[t]];
            total += count;
            if (count == 1) once++;
            else if (count == 2) twice++;
        }
        return new FollowerStatistics(counts[symbol], total, once, twice, _touched[0]);
    }

    private Histogram CollectHistogram()
    {
        var symbols = _touched.AsSpan(1, _touched[0]).ToArray();
        Array.Sort(symbols);
        var histogram = new Histogram(symbols, [.. symbols.Select(s => _scanCounts[s])], [.. symbols.Select(s => _scanContinuations[s])]);
        ResetScan();
        return histogram;
    }

    /// <summary>One pass over the common-prefix lengths: a run of suffixes sharing m symbols is one m-gram (its
    /// count is the run's length); within it, each place where the common prefix is exactly m starts another
    /// preceding character (its continuation count).</summary>
    private (long[,], long[,]) CountCounts()
    {
        var n = _reversed.Length;
        var counts = new long[Depth + 1, 5];
        var continuations = new long[Depth + 1, 5];
        var runStart = new int[Depth + 1];
        var distinct = new int[Depth + 1];
        void Close(int m, int end)
        {
            // A suffix shorter than m (the text's last m-1 symbols, padded) is no m-gram; it is alone in its run.
            if (_suffixes[runStart[m]] + m > n) return;
            var size = end - runStart[m];
            if (size <= 4) counts[m, size]++;
            if (distinct[m] <= 4) continuations[m, distinct[m]]++;
        }
        for (var j = 0; j < n; j++)
        {
            var shared = j == 0 ? 0 : _commonPrefix[j];
            if (shared is > 0 && shared < Depth) distinct[shared]++;
            for (var m = shared + 1; m <= Depth; m++)
            {
                if (j > 0) Close(m, j);
                runStart[m] = j;
                distinct[m] = 1;
            }
        }
        for (var m = 1; m <= Depth; m++) Close(m, n);
        return (counts, continuations);
    }

    private int CommonPrefix(int a, int b)
    {
        var length = 0;
        while (length < Depth && Key(a + length) == Key(b + length)) length++;
        return length;
    }

    private int LowerBound(int lo, int hi, int k, int symbol)
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Key(_suffixes[mid] + k) < symbol) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private int Key(int position) => position < _reversed.Length ? _reversed[position] : 0;

    /// <summary>LSD radix sort of the suffix start positions on their first <paramref name="depth"/> symbols
    /// (0 past the end sorts first). Stable passes from the last symbols to the first, two symbols per pass.</summary>
    private static int[] SortSuffixes(ushort[] text, int symbols, int depth, Action<int> passDone)
    {
        var n = text.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var scratch = new int[n];
        var radix = symbols + 1;
        var buckets = new int[radix * radix];
        var pass = 0;
        int Key(int position) => position < n ? text[position] : 0;
        for (var end = depth; end > 0; end -= 2)
        {
            var first = Math.Max(0, end - 2);
            var pair = end - first == 2;
            int KeyAt(int start) => pair ? Key(start + first) * radix + Key(start + first + 1) : Key(start + first);
            Array.Clear(buckets);
            foreach (var start in order) buckets[KeyAt(start)]++;
            for (int s = 0, sum = 0; s < buckets.Length; s++) (buckets[s], sum) = (sum, sum + buckets[s]);
            foreach (var start in order) scratch[buckets[KeyAt(start)]++] = start;
            (order, scratch) = (scratch, order);
            passDone(++pass);
        }
        return order;
    }
}

/// <summary>One kind of count of the characters after a context: <paramref name="Count"/> for the character asked
/// about, <paramref name="Total"/> over all, how many characters had count one (<paramref name="Once"/>), two
/// (<paramref name="Twice"/>), and any (<paramref name="Distinct"/>).</summary>
internal readonly record struct FollowerStatistics(int Count, int Total, int Once, int Twice, int Distinct)
{
    public int ThreeOrMore => Distinct - Once - Twice;
}

/// <summary>A context's raw counts c(h w) and its continuation counts N1+(• h w), for one character.</summary>
internal readonly record struct LevelStatistics(FollowerStatistics Raw, FollowerStatistics Continuation);

/// <summary>The characters after one context, sparse, sorted by symbol: raw counts and continuation counts.</summary>
internal sealed class Histogram(int[] symbols, int[] counts, int[] continuations)
{
    public int[] Symbols { get; } = symbols;
    public int[] Counts { get; } = counts;
    public int[] Continuations { get; } = continuations;
    private readonly FollowerStatistics _raw = Summary(counts);
    private readonly FollowerStatistics _continuation = Summary(continuations);

    public LevelStatistics Statistics(int symbol)
    {
        var index = Array.BinarySearch(Symbols, symbol);
        return index < 0 ? new LevelStatistics(_raw, _continuation)
            : new LevelStatistics(_raw with { Count = Counts[index] }, _continuation with { Count = Continuations[index] });
    }

    /// <summary>The totals over every character (Count 0: <see cref="Statistics"/> fills in one character's).</summary>
    public FollowerStatistics Totals(bool continuation) => continuation ? _continuation : _raw;

    private static FollowerStatistics Summary(int[] counts) =>
        new(0, counts.Sum(), counts.Count(c => c == 1), counts.Count(c => c == 2), counts.Length);
}
