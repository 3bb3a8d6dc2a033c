// Owns the loaded model and the one thread that runs it. TorchSharp's dispose scopes and grad mode are
// per thread and a model instance is single-threaded, so every use of the model, loading included, is
// queued here and runs in order on that thread. It does not decide what to generate (the completion
// engine does) and never throws for a bad checkpoint: the failure becomes the status the user sees.
using System.Collections.Concurrent;
using System.Diagnostics;
using CharRnnCode.Common;
using CharRnnCode.Model;

namespace CharRnnCode.Server.Modeling;

public enum ModelState { NoCheckpoint, Loading, Ready, Failed }

/// <summary>What the model thread holds, as the status bar and the log report it.</summary>
public sealed record ModelStatus(ModelState State, string? Checkpoint, string? Description, string Device, string? Error, double? LoadMs)
{
    public static readonly ModelStatus None = new(ModelState.NoCheckpoint, null, null, "cpu", null, null);
}

public sealed class ModelHost : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly Thread _thread;
    private CharLanguageModel? _model; // only touched on the model thread
    private volatile ModelStatus _status = ModelStatus.None;

    public ModelHost()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "charrnn-model" };
        _thread.Start();
    }

    public ModelStatus Status => _status;

    /// <summary>The prefix states of the open documents; belongs to the loaded model and is cleared with it.</summary>
    public PrefixStateCache States { get; } = new();

    /// <summary>Loads a checkpoint (or unloads, for null). Failures are returned in the status, never thrown.</summary>
    public Task<ModelStatus> LoadAsync(string? checkpoint, string device, int? threads) =>
        RunOnThreadAsync(() =>
        {
            _model?.Dispose();
            _model = null;
            States.Clear();
            if (checkpoint is null)
                return _status = ModelStatus.None with { Device = device };
            _status = new ModelStatus(ModelState.Loading, checkpoint, null, device, null, null);
            var clock = Stopwatch.StartNew();
            try
            {
                if (!File.Exists(checkpoint))
                    throw new UserError($"The checkpoint '{checkpoint}' does not exist. Set charRnnCode.checkpoint (VS Code) or initializationOptions.checkpoint to a file written by `charrnn train`.");
                _model = CharLanguageModel.Load(checkpoint, device, threads);
                return _status = new ModelStatus(ModelState.Ready, checkpoint, _model.Description, device, null, clock.Elapsed.TotalMilliseconds);
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                var message = error is UserError ? error.Message : $"{error.GetType().Name}: {error.Message}";
                return _status = new ModelStatus(ModelState.Failed, checkpoint, null, device, message, null);
            }
        });

    /// <summary>Runs <paramref name="work"/> with the model on the model thread; null when no model is loaded.</summary>
    public Task<T?> RunAsync<T>(Func<CharLanguageModel, T> work, CancellationToken cancellationToken) where T : class =>
        RunOnThreadAsync(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _model is null ? null : work(_model);
        });

    private Task<T> RunOnThreadAsync<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            _work.Add(() =>
            {
                try { completion.SetResult(work()); }
                catch (Exception error) { completion.SetException(error); }
            });
        }
        catch (InvalidOperationException)
        {
            completion.SetException(new ObjectDisposedException(nameof(ModelHost)));
        }
        return completion.Task;
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable()) item();
        _model?.Dispose();
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _thread.Join(TimeSpan.FromSeconds(10));
    }
}
