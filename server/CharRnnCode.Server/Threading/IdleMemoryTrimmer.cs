// Gives memory back to the machine when the editor goes quiet: after IdleAfter without a message from
// the client, one aggressive garbage collection (compacting, decommitting the freed heap). A language
// server lives as long as the editor, mostly idle, and the GC otherwise keeps the heap it grew while
// answering a burst of completions. It runs at most once per quiet period, and only when the requests
// since the last trim allocated enough to be worth a pause; it never runs while a message is handled.
// It does not limit the heap: a large workspace still gets all the memory it needs.
namespace CharRnnCode.Server.Threading;

public sealed class IdleMemoryTrimmer : IDisposable
{
    /// <summary>How long the client must be quiet before the trim: longer than the pause between keystrokes, shorter than reading the answer.</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromSeconds(2);

    /// <summary>Below this many bytes allocated since the last trim, a trim would give back too little to pay for its pause.</summary>
    private const long WorthTrimmingBytes = 16L << 20;

    private readonly ITimer _timer;
    private readonly ServerLog _log;
    private readonly TimeProvider _time;
    private readonly Func<long> _allocatedBytes;
    private long _lastActivityMs;
    private long _allocatedAtLastTrim;
    private int _busy;

    public IdleMemoryTrimmer(ServerLog log) : this(log, TimeProvider.System, () => GC.GetTotalAllocatedBytes()) { }

    /// <param name="time">the clock and timer (tests pass a fake one)</param>
    /// <param name="allocatedBytes">bytes this process has allocated so far (tests count their own, not the test host's)</param>
    public IdleMemoryTrimmer(ServerLog log, TimeProvider time, Func<long> allocatedBytes)
    {
        _log = log;
        _time = time;
        _allocatedBytes = allocatedBytes;
        _lastActivityMs = Now();
        _timer = time.CreateTimer(_ => TrimIfQuiet(), null, IdleAfter, TimeSpan.FromSeconds(1));
    }

    private long Now() => (long)(_time.GetTimestamp() * 1000.0 / _time.TimestampFrequency);

    /// <summary>How many trims have run (for charRnn/status and tests).</summary>
    public int Trims => Volatile.Read(ref _trims);
    private int _trims;

    /// <summary>A message from the client starts being handled: no trim until it is done and the client is quiet again.</summary>
    public void Enter()
    {
        Interlocked.Increment(ref _busy);
        Volatile.Write(ref _lastActivityMs, Now());
    }

    public void Leave()
    {
        Volatile.Write(ref _lastActivityMs, Now());
        Interlocked.Decrement(ref _busy);
    }

    private void TrimIfQuiet()
    {
        if (Volatile.Read(ref _busy) > 0) return;
        if (Now() - Volatile.Read(ref _lastActivityMs) < IdleAfter.TotalMilliseconds) return;
        var allocated = _allocatedBytes();
        if (allocated - _allocatedAtLastTrim < WorthTrimmingBytes) return;
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _allocatedAtLastTrim = _allocatedBytes();
        Interlocked.Increment(ref _trims);
        _log.Info($"idle: gave back {(before - Environment.WorkingSet) / 1048576.0:F0} MB (resident {Environment.WorkingSet / 1048576.0:F0} MB)");
    }

    public void Dispose() => _timer.Dispose();
}
