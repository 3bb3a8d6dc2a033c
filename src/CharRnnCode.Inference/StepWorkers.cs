// Threads for one plain step's chunks of rows. The calling thread and the workers claim chunks from
// one counter until none is left, so a worker that the OS has not scheduled yet costs nothing: the
// caller runs its chunks (on a shared machine, waiting for such a worker made a split step slower than
// one thread). Run returns when every claimed chunk is done. The threads live as long as the stepper,
// spin briefly between runs (a step's layers follow each other within microseconds) and then sleep on
// an event; a run allocates nothing (Parallel.For allocates per call). Not a thread pool: one Run at a
// time, from the thread that owns the stepper.
using System.Runtime.ExceptionServices;

namespace CharRnnCode.Inference;

internal sealed class StepWorkers : IDisposable
{
    // About 50 microseconds of looking for work before a worker sleeps: longer than a step spends between layers.
    private const int IdleChecks = 100, PausesPerCheck = 20;

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim _wake = new(false);
    private Action<int, int>? _work;
    private int _chunks;
    private long _claims;                  // run number << 32 | next unclaimed chunk
    private int _completed;
    private Exception? _failure;
    private volatile bool _stopping;

    /// <param name="workers">threads besides the caller's</param>
    public StepWorkers(int workers)
    {
        _threads = Enumerable.Range(0, workers).Select(index => new Thread(Serve)
        {
            IsBackground = true,                 // a model nobody disposed does not keep the process alive
            Name = $"plain step worker {index + 1}",
        }).ToArray();
        foreach (var thread in _threads) thread.Start();
    }

    /// <summary>Threads that run chunks: the workers and the caller.</summary>
    public int Threads => _threads.Length + 1;

    /// <summary>Runs work(chunk, chunks) once for every chunk, on this thread and the workers; rethrows a chunk's exception here.</summary>
    public void Run(Action<int, int> work, int chunks)
    {
        _work = work;
        _chunks = chunks;
        _failure = null;
        Volatile.Write(ref _completed, 0);
        // Publishing the new run number releases the fields above to whoever claims one of its chunks.
        Volatile.Write(ref _claims, ((_claims >> 32) + 1) << 32);
        _wake.Set();
        while (TryRunChunk()) { }
        var spinner = new SpinWait();
        while (Volatile.Read(ref _completed) < chunks) spinner.SpinOnce(sleep1Threshold: -1);
        if (_failure is { } failure) ExceptionDispatchInfo.Throw(failure);
    }

    /// <summary>Claims and runs the next chunk of the current run; false when none is left.</summary>
    private bool TryRunChunk()
    {
        var claims = Volatile.Read(ref _claims);
        var chunk = (int)(claims & uint.MaxValue);
        if (chunk >= Volatile.Read(ref _chunks)) return false;
        // A claim that fails lost to another thread, or saw a run that has since ended: look again.
        if (Interlocked.CompareExchange(ref _claims, claims + 1, claims) != claims) return true;
        try { _work!(chunk, _chunks); }
        catch (Exception error) { _failure ??= error; }
        finally { Interlocked.Increment(ref _completed); }
        return true;
    }

    private void Serve()
    {
        while (true)
        {
            _wake.Wait();
            if (_stopping) return;
            _wake.Reset();                       // before looking, so a run published from now on wakes the next Wait
            for (var idle = 0; idle < IdleChecks && !_stopping; idle++)
            {
                if (TryRunChunk()) idle = 0;
                else Thread.SpinWait(PausesPerCheck);
            }
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Set();
        foreach (var thread in _threads) thread.Join();
        _wake.Dispose();
    }
}
