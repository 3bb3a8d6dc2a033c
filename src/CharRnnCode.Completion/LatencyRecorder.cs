// The latencies of the most recent completion requests, for the status bar and the benchmark:
// a fixed ring (memory stays bounded however many requests come) with nearest-rank percentiles.
namespace CharRnnCode.Completion;

public sealed record LatencySummary(int Count, double LastMs, double P50Ms, double P95Ms, double P99Ms);

public sealed class LatencyRecorder(int capacity = 1000)
{
    private readonly object _gate = new();
    private readonly double[] _ring = new double[capacity];
    private int _next;
    private int _count;

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            _ring[_next] = milliseconds;
            _next = (_next + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }
    }

    public LatencySummary Summary()
    {
        double[] values;
        double last;
        lock (_gate)
        {
            values = _count < _ring.Length ? _ring[.._count] : (double[])_ring.Clone();
            last = _count == 0 ? 0 : _ring[(_next - 1 + _ring.Length) % _ring.Length];
        }
        return Summarize(values, last);
    }

    public static LatencySummary Summarize(IReadOnlyCollection<double> values, double last = 0)
    {
        var sorted = values.Order().ToArray();
        return new LatencySummary(sorted.Length, Math.Round(last, 2), Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99));
    }

    /// <summary>Nearest-rank percentile of sorted values; 0 for none.</summary>
    public static double Percentile(double[] sorted, double percent)
    {
        if (sorted.Length == 0) return 0;
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return Math.Round(sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)], 2);
    }
}
