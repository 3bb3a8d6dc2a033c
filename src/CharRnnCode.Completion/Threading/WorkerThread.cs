// One thread that runs queued work in order: the model's thread (TorchSharp's dispose scopes and grad
// mode are per thread, and a model instance is single-threaded) and Roslyn's, which runs at a lowered
// priority so that on a two-core machine it takes only the CPU the model thread leaves. A work item
// cancelled before it starts is skipped; one that throws fails its own task, never the thread.
using System.Collections.Concurrent;

namespace CharRnnCode.Completion.Threading;

public sealed class WorkerThread : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;

    /// <param name="niceness">null: the process's priority; otherwise the thread is made that much nicer (ThreadNiceness)</param>
    /// <param name="onExit">runs on the thread after the last work item, when the worker is disposed</param>
    public WorkerThread(string name, int? niceness = null, Action? onExit = null)
    {
        _thread = new Thread(() =>
        {
            if (niceness is { } value) ThreadNiceness.LowerCurrentThread(value);
            foreach (var item in _work.GetConsumingEnumerable()) item();
            onExit?.Invoke();
        })
        { IsBackground = true, Name = name };
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
            completion.TrySetException(new ObjectDisposedException(_thread.Name));
        }
        return completion.Task;
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
