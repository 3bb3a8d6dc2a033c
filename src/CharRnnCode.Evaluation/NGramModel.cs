// The baseline the seed's models were measured against: a smoothed character n-gram model of any order up to
// 20, interpolated Witten-Bell or interpolated modified Kneser-Ney (NGramSmoothing) over the same counts
// (SuffixCounts: a suffix array of the reversed training text; memory 9 bytes per training character, whatever
// the order). One model answers every order up to the one it was built for, and both smoothings share counts.
// Both recursions bottom out in a uniform distribution over the training alphabet plus one symbol that stands
// for every character never seen in training.
// It does not prune, does not model anything beyond characters, and is not thread-safe (it caches).
using CharRnnCode.Inference;

namespace CharRnnCode.Evaluation;

public sealed class NGramModel : ICharModel
{
    public const int MaxOrder = 20;

    private readonly char[] _alphabet;          // symbol s (1..V) is _alphabet[s - 1]
    private readonly ushort[] _symbolOf;        // char → symbol, 0 when unseen
    private readonly SuffixCounts _counts;
    private readonly KneserNeyDiscounts[] _discounts;             // [order]: for the highest order, on raw counts
    private readonly KneserNeyDiscounts[] _continuationDiscounts; // [order]: for lower orders, on continuation counts

    public int Order { get; }
    public NGramSmoothing Smoothing { get; }
    public int TrainingChars => _counts.Length;

    /// <summary>Symbols with probability: the training alphabet plus one for every unseen character.</summary>
    public int SymbolCount => _alphabet.Length + 1;
    public string Description => $"n-gram order {Order} (interpolated {Smoothing.Title()}, {TrainingChars:N0} training chars)";

    private NGramModel(int order, NGramSmoothing smoothing, char[] alphabet, ushort[] symbolOf, SuffixCounts counts,
        KneserNeyDiscounts[] discounts, KneserNeyDiscounts[] continuationDiscounts)
    {
        Order = order;
        Smoothing = smoothing;
        _alphabet = alphabet;
        _symbolOf = symbolOf;
        _counts = counts;
        _discounts = discounts;
        _continuationDiscounts = continuationDiscounts;
    }

    /// <summary>The same counts used at a lower order (shares memory and cache with this model).</summary>
    public NGramModel WithOrder(int order)
    {
        CheckOrder(order);
        return new NGramModel(order, Smoothing, _alphabet, _symbolOf, _counts, _discounts, _continuationDiscounts);
    }

    /// <summary>The same counts smoothed another way (shares memory and cache with this model).</summary>
    public NGramModel WithSmoothing(NGramSmoothing smoothing) =>
        new(Order, smoothing, _alphabet, _symbolOf, _counts, _discounts, _continuationDiscounts);

    public static NGramModel Train(string text, int order = MaxOrder, IProgress<double>? progress = null,
        NGramSmoothing smoothing = NGramSmoothing.WittenBell)
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

        // Sorted to depth `order`, one more than contexts need: the raw counts of the highest order's n-grams
        // (for its discounts) are runs of suffixes sharing `order` symbols.
        var counts = SuffixCounts.Build(reversed, alphabet.Length, order, progress);
        var discounts = new KneserNeyDiscounts[order + 1];
        var continuationDiscounts = new KneserNeyDiscounts[order];
        for (var m = 1; m <= order; m++)
        {
            discounts[m] = KneserNeyDiscounts.Estimate(counts.CountsOfCounts(m, continuation: false));
            if (m < order) continuationDiscounts[m] = KneserNeyDiscounts.Estimate(counts.CountsOfCounts(m, continuation: true));
        }
        return new NGramModel(order, smoothing, alphabet, symbolOf, counts, discounts, continuationDiscounts);
    }

    /// <summary>The modified Kneser-Ney discounts of <paramref name="order"/>-grams: on raw counts (how the
    /// highest order of a model smooths), or with <paramref name="continuation"/> on continuation counts (how
    /// every lower order does; up to Order - 1).</summary>
    public KneserNeyDiscounts Discounts(int order, bool continuation)
    {
        CheckOrder(order);
        if (continuation && order == _continuationDiscounts.Length)
            throw new ArgumentOutOfRangeException(nameof(order), $"continuation discounts exist up to order {_continuationDiscounts.Length - 1}");
        return continuation ? _continuationDiscounts[order] : _discounts[order];
    }

    public double[] CharacterLogProbabilities(string text) => CharacterLogProbabilities(text, Order);

    /// <summary>log p of each character of <paramref name="text"/> given the ones before it (within the text),
    /// under the model cut to <paramref name="order"/> (at most the order it was built for).</summary>
    public double[] CharacterLogProbabilities(string text, int order) => CharacterLogProbabilitiesByOrder(text, [order])[0];

    /// <summary>For each of <paramref name="orders"/>, log p of each character of <paramref name="text"/>: one pass
    /// over the text, since the recursion at order n passes through every lower order's context.
    /// <paramref name="progress"/> gets the share of the text done.</summary>
    public double[][] CharacterLogProbabilitiesByOrder(string text, IReadOnlyList<int> orders, IProgress<double>? progress = null)
    {
        var results = orders.Select(_ => new double[text.Length]).ToArray();
        WalkByOrder(text, orders, progress, (i, byOrder) =>
        {
            for (var o = 0; o < orders.Count; o++) results[o][i] = Math.Log(byOrder[orders[o] - 1]);
        });
        return results;
    }

    /// <summary>For each of <paramref name="orders"/>, the loss on <paramref name="text"/> in nats per character: the
    /// same pass as <see cref="CharacterLogProbabilitiesByOrder"/>, without keeping a value per character.</summary>
    public double[] NatsPerCharacterByOrder(string text, IReadOnlyList<int> orders, IProgress<double>? progress = null)
    {
        var sums = new double[orders.Count];
        WalkByOrder(text, orders, progress, (_, byOrder) =>
        {
            for (var o = 0; o < orders.Count; o++) sums[o] -= Math.Log(byOrder[orders[o] - 1]);
        });
        return [.. sums.Select(sum => text.Length == 0 ? double.NaN : sum / text.Length)];
    }

    private delegate void PositionProbabilities(int position, ReadOnlySpan<double> byOrder);

    private void WalkByOrder(string text, IReadOnlyList<int> orders, IProgress<double>? progress, PositionProbabilities visit)
    {
        foreach (var order in orders) CheckOrder(order);
        var longest = orders.Max();
        var symbols = text.Select(c => _symbolOf[c]).ToArray();
        var byOrder = new double[longest];
        var reportEvery = Math.Max(1, text.Length / 1000);
        for (var i = 0; i < text.Length; i++)
        {
            var contextStart = Math.Max(0, i - longest + 1);
            ProbabilitiesByOrder(symbols.AsSpan(contextStart, i - contextStart), symbols[i], byOrder);
            visit(i, byOrder);
            if (progress is not null && (i + 1) % reportEvery == 0) progress.Report((double)(i + 1) / text.Length);
        }
        progress?.Report(1);
    }

    /// <summary>p(next | context): only the last Order-1 characters of the context count.</summary>
    public double Probability(ReadOnlySpan<char> context, char next)
    {
        var used = context[Math.Max(0, context.Length - (Order - 1))..];
        Span<ushort> symbols = stackalloc ushort[used.Length];
        for (var i = 0; i < used.Length; i++) symbols[i] = _symbolOf[used[i]];
        Span<double> byOrder = stackalloc double[Order];
        ProbabilitiesByOrder(symbols, _symbolOf[next], byOrder);
        return byOrder[^1];
    }

    /// <summary>Fills byOrder[n-1] with p(symbol | context) under the order-n model, n = 1..byOrder.Length. The
    /// context's last symbol is the most recent; symbol 0 (never seen in training) ends the contexts there.</summary>
    private void ProbabilitiesByOrder(ReadOnlySpan<ushort> context, int symbol, Span<double> byOrder)
    {
        // Witten-Bell: the running interpolation. Kneser-Ney: the lower-order (continuation-count) chain; the order
        // whose highest level this is uses raw counts over it instead.
        var lower = 1.0 / SymbolCount;
        int lo = 0, hi = _counts.Length, k = 0;
        for (; k < byOrder.Length; k++)
        {
            if (k > 0)
            {
                if (k > context.Length || context[^k] == 0) break;
                (lo, hi) = _counts.Narrow(lo, hi, k - 1, context[^k]);
                if (lo >= hi) break;
            }
            var level = _counts.Statistics(lo, hi, k, symbol);
            if (level.Raw.Total == 0) break; // seen only at the very end of the training text
            if (Smoothing == NGramSmoothing.WittenBell)
            {
                var raw = level.Raw;
                lower = (raw.Count + raw.Distinct * lower) / (raw.Total + raw.Distinct);
                byOrder[k] = lower;
                continue;
            }
            byOrder[k] = KneserNey(level.Raw, _discounts[k + 1], lower);
            if (k + 1 < _continuationDiscounts.Length) lower = KneserNey(level.Continuation, _continuationDiscounts[k + 1], lower);
        }
        // A context never seen: its order, and every higher one, falls back to the longest context that was seen
        // (for Kneser-Ney, as a lower order: on continuation counts).
        for (; k < byOrder.Length; k++) byOrder[k] = lower;
    }

    private static double KneserNey(in FollowerStatistics followers, KneserNeyDiscounts discounts, double lower) =>
        (Math.Max(followers.Count - discounts.For(followers.Count), 0) + discounts.Freed(followers) * lower) / followers.Total;

    /// <summary>The whole next-character distribution: entry s-1 for alphabet symbol s, the last entry for
    /// every character never seen in training (together). Sums to one.</summary>
    public double[] Distribution(ReadOnlySpan<char> context)
    {
        var lower = new double[SymbolCount];
        Array.Fill(lower, 1.0 / SymbolCount);
        var levels = Levels(context);
        for (var k = 0; k < levels.Count; k++)
        {
            var level = levels[k];
            if (Smoothing == NGramSmoothing.WittenBell)
            {
                var totals = level.Totals(continuation: false);
                double denominator = totals.Total + totals.Distinct;
                for (var s = 0; s < lower.Length; s++) lower[s] *= totals.Distinct / denominator;
                for (var i = 0; i < level.Symbols.Length; i++) lower[level.Symbols[i] - 1] += level.Counts[i] / denominator;
            }
            else if (k == Order - 1)
                return KneserNey(level, continuation: false, _discounts[k + 1], lower);
            else
                lower = KneserNey(level, continuation: true, _continuationDiscounts[k + 1], lower);
        }
        return lower;
    }

    private static double[] KneserNey(Histogram level, bool continuation, KneserNeyDiscounts discounts, double[] lower)
    {
        var totals = level.Totals(continuation);
        var counts = continuation ? level.Continuations : level.Counts;
        var distribution = new double[lower.Length];
        var weight = discounts.Freed(totals) / totals.Total;
        for (var s = 0; s < distribution.Length; s++) distribution[s] = weight * lower[s];
        for (var i = 0; i < level.Symbols.Length; i++)
            distribution[level.Symbols[i] - 1] += (counts[i] - discounts.For(counts[i])) / totals.Total;
        return distribution;
    }

    public char SymbolChar(int index) => _alphabet[index];

    /// <summary>The follower histograms of the context's suffixes, shortest (empty) first, while seen in training.</summary>
    private List<Histogram> Levels(ReadOnlySpan<char> context)
    {
        var levels = new List<Histogram> { _counts.Followers(0, _counts.Length, 0) };
        int lo = 0, hi = _counts.Length;
        var longest = Math.Min(context.Length, Order - 1);
        for (var k = 0; k < longest; k++)
        {
            var symbol = _symbolOf[context[context.Length - 1 - k]];
            if (symbol == 0) break;
            (lo, hi) = _counts.Narrow(lo, hi, k, symbol);
            if (lo >= hi) break;
            var histogram = _counts.Followers(lo, hi, k + 1);
            if (histogram.Totals(continuation: false).Total == 0) break; // seen only at the very end of the training text
            levels.Add(histogram);
        }
        return levels;
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
                var index = CharacterSampler.ChooseFromProbabilities(choices, request.Argmax, request.Temperature, random);
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
}
