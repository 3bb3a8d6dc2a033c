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

    private readonly Timer _timer;
    private readonly ServerLog _log;
    private long _lastActivityTicks = Environment.TickCount64;
    private long _allocatedAtLastTrim;
    private int _busy;

    public IdleMemoryTrimmer(ServerLog log)
    {
        _log = log;
        _timer = new Timer(_ => TrimIfQuiet(), null, IdleAfter, TimeSpan.FromSeconds(1));
    }

    /// <summary>How many trims have run (for charRnn/status and tests).</summary>
    public int Trims => Volatile.Read(ref _trims);
    private int _trims;

    /// <summary>A message from the client starts being handled: no trim until it is done and the client is quiet again.</summary>
    public void Enter()
    {
        Interlocked.Increment(ref _busy);
        Volatile.Write(ref _lastActivityTicks, Environment.TickCount64);
    }

    public void Leave()
    {
        Volatile.Write(ref _lastActivityTicks, Environment.TickCount64);
        Interlocked.Decrement(ref _busy);
    }

    private void TrimIfQuiet()
    {
        if (Volatile.Read(ref _busy) > 0) return;
        if (Environment.TickCount64 - Volatile.Read(ref _lastActivityTicks) < IdleAfter.TotalMilliseconds) return;
        var allocated = GC.GetTotalAllocatedBytes();
        if (allocated - _allocatedAtLastTrim < WorthTrimmingBytes) return;
        var before = Environment.WorkingSet;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        _allocatedAtLastTrim = GC.GetTotalAllocatedBytes();
        Interlocked.Increment(ref _trims);
        _log.Info($"idle: gave back {(before - Environment.WorkingSet) / 1048576.0:F0} MB (resident {Environment.WorkingSet / 1048576.0:F0} MB)");
    }

    public void Dispose() => _timer.Dispose();
}
