// Percentile bootstrap intervals for per-position measures (the evaluation's tables, the server's line benchmark): a statistic of n positions is
// recomputed on n positions drawn with replacement, many times, and the 2.5th and 97.5th percentiles bound it.
// Paired: both strategies are resampled with the same positions, so their difference keeps its pairing.
// It assumes positions are independent draws; it does not correct for several positions in one file.
namespace CharRnnCode.Common;

/// <summary>A measured value with its 95 % bootstrap interval.</summary>
public sealed record Estimate(double Value, double Low, double High)
{
    /// <summary>The interval lies entirely above or entirely below zero.</summary>
    public bool ExcludesZero => Low > 0 || High < 0;
}

public static class Bootstrap
{
    public const int DefaultResamples = 2000;

    /// <summary>The statistic over all <paramref name="n"/> positions, with its interval; the statistic reads the
    /// positions through the index array it is given (indices may repeat).</summary>
    public static Estimate Interval(int n, Func<IReadOnlyList<int>, double> statistic, long seed, int resamples = DefaultResamples)
    {
        var all = Enumerable.Range(0, n).ToArray();
        var value = statistic(all);
        if (n == 0) return new Estimate(value, value, value);
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var draws = new double[resamples];
        var indices = new int[n];
        for (var r = 0; r < resamples; r++)
        {
            for (var i = 0; i < n; i++) indices[i] = random.Next(n);
            draws[r] = statistic(indices);
        }
        Array.Sort(draws);
        return new Estimate(value, Percentile(draws, 0.025), Percentile(draws, 0.975));
    }

    /// <summary>The mean of <paramref name="values"/> with its interval.</summary>
    public static Estimate Mean(IReadOnlyList<double> values, long seed) =>
        Interval(values.Count, indices => indices.Count == 0 ? 0 : indices.Average(i => values[i]), seed);

    /// <summary>Σ numerators / Σ denominators (e.g. undefined names per identifier written) with its interval.</summary>
    public static Estimate Ratio(IReadOnlyList<double> numerators, IReadOnlyList<double> denominators, long seed) =>
        Interval(numerators.Count, indices =>
        {
            var below = indices.Sum(i => denominators[i]);
            return below == 0 ? 0 : indices.Sum(i => numerators[i]) / below;
        }, seed);

    private static double Percentile(double[] sorted, double p)
    {
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(sorted.Length - 1, lower + 1);
        return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
    }
}
