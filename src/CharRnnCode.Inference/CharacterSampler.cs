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
    public static int Choose(ReadOnlySpan<float> logProbabilities, GenerationOptions options, Random random, int unknownId, double[] scratch) =>
        Choose(logProbabilities, options.Argmax, options.Temperature, options.TopK, options.TopP, random, unknownId, scratch.AsSpan(0, logProbabilities.Length));

    /// <summary>An index of <paramref name="probabilities"/> (need not sum to one): the largest when
    /// <paramref name="argmax"/>, else drawn from p^(1/temperature), renormalised.</summary>
    public static int ChooseFromProbabilities(ReadOnlySpan<double> probabilities, bool argmax, double temperature, Random random)
    {
        if (probabilities.IsEmpty) throw new ArgumentException("empty distribution", nameof(probabilities));
        if (argmax || temperature <= ArgmaxTemperature) return ArgmaxExcept(probabilities, excluded: -1);
        var logProbabilities = new double[probabilities.Length];
        for (var i = 0; i < probabilities.Length; i++)
            logProbabilities[i] = probabilities[i] <= 0 ? double.NegativeInfinity : Math.Log(probabilities[i]);
        return Choose<double>(logProbabilities, argmax, temperature, topK: 0, topP: 1.0, random, excluded: -1, new double[probabilities.Length]);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Choose<T>(ReadOnlySpan<T> logProbabilities, bool argmax, double temperature, int topK, double topP,
        Random random, int excluded, Span<double> weights) where T : IFloatingPointIeee754<T>
    {
        var v = logProbabilities.Length;
        if (argmax || temperature <= ArgmaxTemperature)
            return ArgmaxExcept(logProbabilities, excluded);

        // Tempered probabilities, shifted by the maximum for stability: p_i ∝ exp((l_i - max) / T).
        var max = T.NegativeInfinity;
        for (var i = 0; i < v; i++) if (i != excluded && logProbabilities[i] > max) max = logProbabilities[i];
        for (var i = 0; i < v; i++)
            weights[i] = i == excluded ? 0 : Math.Exp(double.CreateTruncating(logProbabilities[i] - max) / temperature);

        if ((topK > 0 && topK < v) || topP < 1.0)
        {
            var order = Enumerable.Range(0, v).ToArray();
            var keys = weights.ToArray();
            Array.Sort(keys, order);                              // ascending
            Array.Reverse(order);
            var total = 0.0;
            foreach (var w in keys) total += w;
            var kept = 0;
            var cumulative = 0.0;
            foreach (var id in order)
            {
                var inTopK = topK <= 0 || kept < topK;
                var inTopP = kept == 0 || cumulative < topP * total;
                if (inTopK && inTopP) { cumulative += weights[id]; kept++; }
                else weights[id] = 0;
            }
        }

        var sum = 0.0;
        foreach (var w in weights) sum += w;
        var target = random.NextDouble() * sum;
        var last = -1;
        for (var i = 0; i < v; i++)
        {
            if (weights[i] <= 0) continue;
            last = i;
            target -= weights[i];
            if (target < 0) return i;
        }
        return last >= 0 ? last : ArgmaxExcept(logProbabilities, excluded);
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
