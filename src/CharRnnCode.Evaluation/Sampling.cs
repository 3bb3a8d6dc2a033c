// Picking the next character from a distribution: argmax, or a draw at a temperature. Shared by every model
// the evaluation drives itself (the n-gram baseline, test stand-ins); the recurrent model samples in its own code.
namespace CharRnnCode.Evaluation;

public static class Sampling
{
    /// <summary>An index of <paramref name="probabilities"/> (need not sum to one): the largest when
    /// <paramref name="argmax"/>, else drawn from p^(1/temperature), renormalised.</summary>
    public static int Pick(ReadOnlySpan<double> probabilities, bool argmax, double temperature, Random random)
    {
        if (probabilities.IsEmpty) throw new ArgumentException("empty distribution", nameof(probabilities));
        if (argmax || temperature <= 0)
        {
            var best = 0;
            for (var i = 1; i < probabilities.Length; i++) if (probabilities[i] > probabilities[best]) best = i;
            return best;
        }
        Span<double> weights = probabilities.Length <= 1024 ? stackalloc double[probabilities.Length] : new double[probabilities.Length];
        var total = 0.0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            weights[i] = probabilities[i] <= 0 ? 0 : Math.Exp(Math.Log(probabilities[i]) / temperature);
            total += weights[i];
        }
        var draw = random.NextDouble() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            draw -= weights[i];
            if (draw < 0) return i;
        }
        return weights.Length - 1;
    }
}
