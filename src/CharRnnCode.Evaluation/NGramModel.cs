// The baseline the seed's models were measured against: a smoothed character n-gram model (interpolated
// Witten-Bell, orders up to 20). Counts come from a suffix array of the REVERSED training text, sorted to
// depth order-1: a context read backwards is a prefix there, so each longer context narrows the previous
// range with one binary search, and the characters that followed the context in the text are the ones just
// before each suffix. Memory is two arrays the size of the text, whatever the order; one model answers
// every order up to the one it was built for.
// It does not prune, does not model anything beyond characters, and is not thread-safe (it caches).
namespace CharRnnCode.Evaluation;

public sealed class NGramModel : ICharModel
{
    public const int MaxOrder = 20;
    private const int ScanLimit = 256; // follower histograms of larger ranges are cached

    private readonly char[] _alphabet;          // symbol s (1..V) is _alphabet[s - 1]
    private readonly ushort[] _symbolOf;        // char → symbol, 0 when unseen
    private readonly ushort[] _reversed;        // the training text, reversed, as symbols
    private readonly int[] _suffixes;           // suffix array of _reversed, sorted on the first Order-1 symbols
    private readonly Histogram _unigrams;
    private readonly Dictionary<long, Histogram> _cache;

    public int Order { get; }
    public int TrainingChars => _reversed.Length;

    /// <summary>Symbols with probability: the training alphabet plus one for every unseen character.</summary>
    public int SymbolCount => _alphabet.Length + 1;
    public string Description => $"n-gram order {Order} (interpolated Witten-Bell, {TrainingChars:N0} training chars)";

    private NGramModel(int order, char[] alphabet, ushort[] symbolOf, ushort[] reversed, int[] suffixes, Histogram unigrams,
        Dictionary<long, Histogram>? cache = null)
    {
        _cache = cache ?? [];
        Order = order;
        _alphabet = alphabet;
        _symbolOf = symbolOf;
        _reversed = reversed;
        _suffixes = suffixes;
        _unigrams = unigrams;
    }

    /// <summary>The same counts used at a lower order (shares memory and cache with this model).</summary>
    public NGramModel WithOrder(int order)
    {
        CheckOrder(order);
        return new NGramModel(order, _alphabet, _symbolOf, _reversed, _suffixes, _unigrams, _cache);
    }

    public static NGramModel Train(string text, int order = MaxOrder, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (order is < 1 or > MaxOrder) throw new ArgumentOutOfRangeException(nameof(order), $"order must be 1 to {MaxOrder}");
        if (text.Length == 0) throw new ArgumentException("the training text is empty", nameof(text));

        var alphabet = text.Distinct().Order().ToArray();
        var symbolOf = new ushort[char.MaxValue + 1];
        for (var s = 0; s < alphabet.Length; s++) symbolOf[alphabet[s]] = (ushort)(s + 1);
        var n = text.Length;
        var reversed = new ushort[n];
        for (var i = 0; i < n; i++) reversed[i] = symbolOf[text[n - 1 - i]];

        var unigramCounts = new int[alphabet.Length + 2];
        foreach (var symbol in reversed) unigramCounts[symbol]++;
        var suffixes = SortSuffixes(reversed, alphabet.Length + 1, order - 1, progress);
        return new NGramModel(order, alphabet, symbolOf, reversed, suffixes, Histogram.FromDense(unigramCounts));
    }

    /// <summary>LSD radix sort of the suffix start positions on their first <paramref name="depth"/> symbols
    /// (0 past the end sorts first). Stable passes from the last symbols to the first, two symbols per pass.</summary>
    private static int[] SortSuffixes(ushort[] text, int symbols, int depth, IProgress<double>? progress)
    {
        var n = text.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++) order[i] = i;
        var scratch = new int[n];
        var radix = symbols + 1;
        var buckets = new int[radix * radix];
        for (var end = depth; end > 0; end -= 2)
        {
            var first = Math.Max(0, end - 2);
            var pair = end - first == 2;
            int KeyAt(int start) => pair ? Key(text, start + first) * radix + Key(text, start + first + 1) : Key(text, start + first);
            Array.Clear(buckets);
            foreach (var start in order) buckets[KeyAt(start)]++;
            for (int s = 0, sum = 0; s < buckets.Length; s++) (buckets[s], sum) = (sum, sum + buckets[s]);
            foreach (var start in order) scratch[buckets[KeyAt(start)]++] = start;
            (order, scratch) = (scratch, order);
            progress?.Report((double)(depth - first) / depth);
        }
        return order;
    }

    private static int Key(ushort[] text, int position) => position < text.Length ? text[position] : 0;

    public double[] CharacterLogProbabilities(string text) => CharacterLogProbabilities(text, Order);

    /// <summary>log p of each character of <paramref name="text"/> given the ones before it (within the text),
    /// under the model cut to <paramref name="order"/> (at most the order it was built for).</summary>
    public double[] CharacterLogProbabilities(string text, int order)
    {
        CheckOrder(order);
        var result = new double[text.Length];
        for (var i = 0; i < text.Length; i++)
            result[i] = Math.Log(Probability(text.AsSpan(Math.Max(0, i - order + 1), Math.Min(i, order - 1)), text[i]));
        return result;
    }

    /// <summary>For each of <paramref name="orders"/>, log p of each character of <paramref name="text"/>: one pass
    /// over the text, since the Witten-Bell recursion at order n is a prefix of the one at a higher order.</summary>
    public double[][] CharacterLogProbabilitiesByOrder(string text, IReadOnlyList<int> orders)
    {
        foreach (var order in orders) CheckOrder(order);
        var results = orders.Select(_ => new double[text.Length]).ToArray();
        var longest = orders.Max();
        for (var i = 0; i < text.Length; i++)
        {
            var symbol = _symbolOf[text[i]];
            var levels = Levels(text.AsSpan(Math.Max(0, i - longest + 1), Math.Min(i, longest - 1)));
            var probability = 1.0 / SymbolCount;
            for (var k = 0; k < longest; k++)
            {
                // Level k exists while the context of length k was seen; beyond that the lower order's value stands.
                if (k < levels.Count)
                    probability = (levels[k].Count(symbol) + levels[k].Distinct * probability) / (levels[k].Total + levels[k].Distinct);
                for (var o = 0; o < orders.Count; o++)
                    if (orders[o] == k + 1) results[o][i] = Math.Log(probability);
            }
        }
        return results;
    }

    /// <summary>p(next | context): only the last Order-1 characters of the context count.</summary>
    public double Probability(ReadOnlySpan<char> context, char next)
    {
        var symbol = _symbolOf[next];
        var probability = 1.0 / SymbolCount;
        foreach (var level in Levels(context))
            probability = (level.Count(symbol) + level.Distinct * probability) / (level.Total + level.Distinct);
        return probability;
    }

    /// <summary>The whole next-character distribution: entry s-1 for alphabet symbol s, the last entry for
    /// every character never seen in training (together). Sums to one.</summary>
    public double[] Distribution(ReadOnlySpan<char> context)
    {
        var distribution = new double[SymbolCount];
        Array.Fill(distribution, 1.0 / SymbolCount);
        foreach (var level in Levels(context))
        {
            var denominator = level.Total + level.Distinct;
            for (var s = 0; s < distribution.Length; s++) distribution[s] *= level.Distinct / denominator;
            for (var i = 0; i < level.Symbols.Length; i++) distribution[level.Symbols[i] - 1] += level.Counts[i] / denominator;
        }
        return distribution;
    }

    public char SymbolChar(int index) => _alphabet[index];

    /// <summary>The follower histograms of the context's suffixes, shortest (empty) first, while seen in training.</summary>
    private List<Histogram> Levels(ReadOnlySpan<char> context)
    {
        var levels = new List<Histogram> { _unigrams };
        int lo = 0, hi = _suffixes.Length;
        var longest = Math.Min(context.Length, Order - 1);
        for (var k = 0; k < longest; k++)
        {
            var symbol = _symbolOf[context[context.Length - 1 - k]];
            if (symbol == 0) break;
            (lo, hi) = Narrow(lo, hi, k, symbol);
            if (lo >= hi) break;
            var histogram = Followers(lo, hi, k + 1);
            if (histogram.Total == 0) break; // seen only at the very end of the training text
            levels.Add(histogram);
        }
        return levels;
    }

    /// <summary>Within [lo, hi) (suffixes sharing their first k symbols), those whose symbol k is <paramref name="symbol"/>.</summary>
    private (int, int) Narrow(int lo, int hi, int k, int symbol) =>
        (LowerBound(lo, hi, k, symbol), LowerBound(lo, hi, k, symbol + 1));

    private int LowerBound(int lo, int hi, int k, int symbol)
    {
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Key(_reversed, _suffixes[mid] + k) < symbol) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private Histogram Followers(int lo, int hi, int depth)
    {
        if (hi - lo <= ScanLimit) return Scan(lo, hi);
        var key = ((long)depth << 32) | (uint)lo;
        if (!_cache.TryGetValue(key, out var histogram)) _cache[key] = histogram = Scan(lo, hi);
        return histogram;
    }

    private Histogram Scan(int lo, int hi)
    {
        var counts = new Dictionary<int, int>();
        for (var j = lo; j < hi; j++)
        {
            var start = _suffixes[j];
            if (start == 0) continue; // the context ends the training text: nothing followed it
            var follower = _reversed[start - 1];
            counts[follower] = counts.GetValueOrDefault(follower) + 1;
        }
        var symbols = counts.Keys.Order().ToArray();
        return new Histogram(symbols, [.. symbols.Select(s => counts[s])]);
    }

    public IReadOnlyList<Continuation> Continue(string context, ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        var random = new Random(unchecked((int)request.Seed));
        var results = new List<Continuation>(request.Count);
        for (var c = 0; c < request.Count && !cancellationToken.IsCancellationRequested; c++)
        {
            var history = new System.Text.StringBuilder(context.Length > Order ? context[^Order..] : context);
            var start = history.Length;
            var logProbability = 0.0;
            var stopped = false;
            for (var step = 0; step < request.MaxChars && !cancellationToken.IsCancellationRequested; step++)
            {
                var used = Math.Min(history.Length, Order - 1);
                var distribution = Distribution(history.ToString(history.Length - used, used));
                // The last entry stands for characters never seen in training: it cannot be written.
                var choices = Steered(distribution.AsSpan(0, distribution.Length - 1), request.Allowed?.Invoke(history.ToString(start, history.Length - start)));
                var index = Sampling.Pick(choices, request.Argmax, request.Temperature, random);
                logProbability += Math.Log(distribution[index]);
                if (request.StopAtLineEnd && _alphabet[index] == '\n') { stopped = true; break; }
                history.Append(_alphabet[index]);
            }
            results.Add(new Continuation(history.ToString(start, history.Length - start), logProbability, stopped));
        }
        return results;
    }

    /// <summary>Constrained decoding: the characters <paramref name="allowed"/> refuses get probability 0 (the log-probability
    /// added stays the model's own); unchanged when nothing is refused or everything would be.</summary>
    private double[] Steered(ReadOnlySpan<double> probabilities, Func<char, bool>? allowed)
    {
        var result = probabilities.ToArray();
        if (allowed is null) return result;
        var any = false;
        for (var i = 0; i < result.Length; i++)
        {
            if (!allowed(_alphabet[i])) result[i] = 0;
            else any |= result[i] > 0;
        }
        return any ? result : probabilities.ToArray();
    }

    private void CheckOrder(int order)
    {
        if (order < 1 || order > Order) throw new ArgumentOutOfRangeException(nameof(order), $"order must be 1 to {Order}");
    }

    /// <summary>Counts of the symbols that followed one context: sparse, sorted by symbol.</summary>
    private sealed class Histogram(int[] symbols, int[] counts)
    {
        public int[] Symbols { get; } = symbols;
        public int[] Counts { get; } = counts;
        public double Total { get; } = counts.Sum();
        public double Distinct { get; } = symbols.Length;

        public int Count(int symbol)
        {
            var index = Array.BinarySearch(Symbols, symbol);
            return index >= 0 ? Counts[index] : 0;
        }

        public static Histogram FromDense(int[] counts)
        {
            var symbols = Enumerable.Range(0, counts.Length).Where(s => s > 0 && counts[s] > 0).ToArray();
            return new Histogram(symbols, [.. symbols.Select(s => counts[s])]);
        }
    }
}
