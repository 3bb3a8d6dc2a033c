// Chooses the next character from a distribution: temperature, top-k, top-p (nucleus), argmax.
// Never chooses the unknown-character id (it stands for characters the model never saw).
namespace CharRnnCode.Model.Inference;

public static class CharacterSampler
{
    /// <summary>Temperatures at or below this are argmax: dividing by them overflows and means the same.</summary>
    public const double ArgmaxTemperature = 1e-4;

    public static int Choose(ReadOnlySpan<float> logProbabilities, GenerationOptions options, Random random, int unknownId, double[] scratch)
    {
        var v = logProbabilities.Length;
        if (options.Argmax || options.Temperature <= ArgmaxTemperature)
            return ArgmaxExcept(logProbabilities, unknownId);

        // Tempered probabilities, shifted by the maximum for stability: p_i ∝ exp((l_i - max) / T).
        var max = float.NegativeInfinity;
        for (var i = 0; i < v; i++) if (i != unknownId && logProbabilities[i] > max) max = logProbabilities[i];
        var weights = scratch.AsSpan(0, v);
        for (var i = 0; i < v; i++)
            weights[i] = i == unknownId ? 0 : Math.Exp((logProbabilities[i] - max) / options.Temperature);

        if ((options.TopK > 0 && options.TopK < v) || options.TopP < 1.0)
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
                var inTopK = options.TopK <= 0 || kept < options.TopK;
                var inTopP = kept == 0 || cumulative < options.TopP * total;
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
        return last >= 0 ? last : ArgmaxExcept(logProbabilities, unknownId);
    }

    public static int ArgmaxExcept(ReadOnlySpan<float> values, int excluded)
    {
        var best = -1;
        for (var i = 0; i < values.Length; i++)
            if (i != excluded && (best < 0 || values[i] > values[best])) best = i;
        return best;
    }

    /// <summary>In place: logits to natural-log probabilities.</summary>
    public static void LogSoftmax(Span<float> logits)
    {
        var max = System.Numerics.Tensors.TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (var l in logits) sum += Math.Exp(l - max);
        var logSum = (float)(max + Math.Log(sum));
        System.Numerics.Tensors.TensorPrimitives.Subtract(logits, logSum, logits);
    }
}
