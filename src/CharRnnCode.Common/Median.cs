// The median the benchmarks report (of repeated runs, of timed steps): the middle value, or the mean of the
// two middle ones. It does not round, and it refuses an empty sample rather than invent a value for it.
namespace CharRnnCode.Common;

public static class Median
{
    public static double Of(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) throw new ArgumentException("the median of no values", nameof(values));
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
