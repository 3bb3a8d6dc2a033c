// One thread that runs queued work in order at a lowered priority: the home of Roslyn's preparation,
// so that on a two-core machine it takes only the CPU the model thread leaves. Work items see a
// cancellation token of their own; an item cancelled before it starts is skipped.
using System.Collections.Concurrent;

namespace CharRnnCode.Server.Threading;

public sealed class LowPriorityWorker : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    public LowPriorityWorker(string name, int niceness)
    {
        _thread = new Thread(() =>
        {
            ThreadNiceness.LowerCurrentThread(niceness);
            foreach (var item in _work.GetConsumingEnumerable()) item();
        }) { IsBackground = true, Name = name };
        _thread.Start();
    }

    public Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                if (cancellationToken.IsCancellationRequested) { completion.TrySetCanceled(cancellationToken); return; }
                try { completion.TrySetResult(work()); }
                catch (OperationCanceledException) { completion.TrySetCanceled(cancellationToken); }
                catch (Exception error) { completion.TrySetException(error); }
            }, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            completion.TrySetException(new ObjectDisposedException(nameof(LowPriorityWorker)));
        }
        return completion.Task;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}
