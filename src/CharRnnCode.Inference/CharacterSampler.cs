// Chooses the next character from a distribution: temperature, top-k, top-p (nucleus), argmax. The one
// sampler of the product: the recurrent model gives it log-probabilities, the n-gram baseline probabilities.
// Never chooses the excluded id (the model's unknown-character id: characters the model never saw).
// It does not compute distributions and keeps no state: the caller's Random decides every draw.
using System.Numerics;
using System.Runtime.CompilerServices;

namespace CharRnnCode.Inference;

public static class CharacterSampler
{
    /// <summary>Temperatures at or below this are argmax: dividing by them overflows and means the same.</summary>
    public const double ArgmaxTemperature = 1e-4;

    /// <summary>An id of the model's natural-log <paramref name="logProbabilities"/>, never <paramref name="unknownId"/>,
    /// as <paramref name="options"/> say (Argmax, Temperature, TopK, TopP). <paramref name="scratch"/>: at least as long as the vocabulary.</summary>
    public static int Choose(ReadOnlySpan<float> logProbabilities, GenerationOptions options, Random random, int unknownId, double[] scratch)
    {
        var weights = scratch.AsSpan(0, logProbabilities.Length);
        var sum = Weigh(logProbabilities, options, unknownId, weights, out var decided);
        return decided >= 0 ? decided : Draw(weights, sum, random);
    }

    /// <summary>
    /// The first half of <see cref="Choose"/>: the weights a draw takes (zero outside top-k and top-p) and their sum,
    /// or, where no draw is needed (argmax, or nothing left to draw from), the id in <paramref name="decided"/> (else -1).
    /// Sequences with equal distributions weigh once and draw apart.
    /// </summary>
    public static double Weigh(ReadOnlySpan<float> logProbabilities, GenerationOptions options, int unknownId, Span<double> weights, out int decided) =>
        Weigh(logProbabilities, options.Argmax, options.Temperature, options.TopK, options.TopP, unknownId, weights[..logProbabilities.Length], out decided);

    /// <summary>The second half of <see cref="Choose"/>: one draw of <paramref name="random"/> from the weights <see cref="Weigh"/> made.</summary>
    public static int Draw(ReadOnlySpan<double> weights, double sum, Random random)
    {
        var target = random.NextDouble() * sum;
        var last = -1;
        for (var i = 0; i < weights.Length; i++)
        {
            if (weights[i] <= 0) continue;
            last = i;
            target -= weights[i];
            if (target < 0) return i;
        }
        return last;
    }

    /// <summary>An index of <paramref name="probabilities"/> (need not sum to one): the largest when
    /// <paramref name="argmax"/>, else drawn from p^(1/temperature), renormalised.</summary>
    public static int ChooseFromProbabilities(ReadOnlySpan<double> probabilities, bool argmax, double temperature, Random random)
    {
        if (probabilities.IsEmpty) throw new ArgumentException("empty distribution", nameof(probabilities));
        if (argmax || temperature <= ArgmaxTemperature) return ArgmaxExcept(probabilities, excluded: -1);
        var logProbabilities = new double[probabilities.Length];
        for (var i = 0; i < probabilities.Length; i++)
            logProbabilities[i] = probabilities[i] <= 0 ? double.NegativeInfinity : Math.Log(probabilities[i]);
        var weights = new double[probabilities.Length];
        var sum = Weigh<double>(logProbabilities, argmax, temperature, topK: 0, topP: 1.0, excluded: -1, weights, out var decided);
        return decided >= 0 ? decided : Draw(weights, sum, random);
    }

    // Above this many kept characters the nucleus is found by sorting; below, by picking the next largest
    // weight again and again, which a peaked distribution (low temperature) ends after a few picks.
    private const int PicksBeforeSorting = 8;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double Weigh<T>(ReadOnlySpan<T> logProbabilities, bool argmax, double temperature, int topK, double topP,
        int excluded, Span<double> weights, out int decided) where T : IFloatingPointIeee754<T>
    {
        var v = logProbabilities.Length;
        decided = -1;
        if (argmax || temperature <= ArgmaxTemperature)
        {
            decided = ArgmaxExcept(logProbabilities, excluded);
            return 0;
        }

        // Tempered probabilities, shifted by the maximum for stability: p_i ∝ exp((l_i - max) / T).
        var max = T.NegativeInfinity;
        for (var i = 0; i < v; i++) if (i != excluded && logProbabilities[i] > max) max = logProbabilities[i];
        var total = 0.0;
        for (var i = 0; i < v; i++)
        {
            weights[i] = i == excluded ? 0 : Math.Exp(double.CreateTruncating(logProbabilities[i] - max) / temperature);
            total += weights[i];
        }

        if ((topK > 0 && topK < v) || topP < 1.0)
        {
            var limit = topK > 0 ? Math.Min(topK, v) : v;
            if (!KeepNucleusByPicking(weights, total, limit, topP)) KeepNucleusBySorting(weights, total, limit, topP);
        }

        var sum = 0.0;
        foreach (var w in weights) sum += w;
        if (sum <= 0) decided = ArgmaxExcept(logProbabilities, excluded);
        return sum;
    }

    /// <summary>
    /// Top-k and top-p: keeps the largest weights, most likely first, while fewer than <paramref name="limit"/> are kept and
    /// their share is below <paramref name="topP"/>; zeroes the rest. Kept weights are marked negative while picking.
    /// False, with the weights untouched, when that takes more than PicksBeforeSorting picks.
    /// </summary>
    private static bool KeepNucleusByPicking(Span<double> weights, double total, int limit, double topP)
    {
        var kept = 0;
        var cumulative = 0.0;
        while (kept < limit && (kept == 0 || cumulative < topP * total))
        {
            if (kept == PicksBeforeSorting)
            {
                foreach (ref var w in weights) w = Math.Abs(w);
                return false;
            }
            var best = -1;
            for (var i = 0; i < weights.Length; i++)
                if (weights[i] > 0 && (best < 0 || weights[i] > weights[best])) best = i;
            if (best < 0) break;
            cumulative += weights[best];
            weights[best] = -weights[best];
            kept++;
        }
        foreach (ref var w in weights) w = w < 0 ? -w : 0;
        return true;
    }

    /// <summary>What KeepNucleusByPicking keeps, by sorting: for distributions too flat to pick one by one.</summary>
    private static void KeepNucleusBySorting(Span<double> weights, double total, int limit, double topP)
    {
        var order = new int[weights.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        var keys = weights.ToArray();
        Array.Sort(keys, order);                              // ascending
        Array.Reverse(order);
        var kept = 0;
        var cumulative = 0.0;
        foreach (var id in order)
        {
            if (kept < limit && (kept == 0 || cumulative < topP * total)) { cumulative += weights[id]; kept++; }
            else weights[id] = 0;
        }
    }

    /// <summary>The index of the largest value (the first of equal ones), never <paramref name="excluded"/> (-1: none excluded).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static int ArgmaxExcept<T>(ReadOnlySpan<T> values, int excluded) where T : IFloatingPointIeee754<T>
    {
        var best = -1;
        for (var i = 0; i < values.Length; i++)
            if (i != excluded && (best < 0 || values[i] > values[best])) best = i;
        return best;
    }

    /// <summary>In place: logits to natural-log probabilities.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void LogSoftmax(Span<float> logits)
    {
        var max = System.Numerics.Tensors.TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        var logSum = (float)(max + Math.Log(sum));
        System.Numerics.Tensors.TensorPrimitives.Subtract(logits, logSum, logits);
    }
}
