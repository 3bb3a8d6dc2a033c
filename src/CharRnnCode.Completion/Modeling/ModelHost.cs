// Owns the loaded model and the one thread that runs it. TorchSharp's dispose scopes and grad mode are
// per thread and a model instance is single-threaded, so every use of the model, loading included, is
// queued here and runs in order on that thread. Beside it, a second instance of the same weights on
// the plain C# stepper serves the background encoder on its own thread (WithIdleModel), so encoding
// ahead never queues in front of a request. It does not decide what to generate (the completion
// pipeline does) and never throws for a bad checkpoint: the failure becomes the status the user sees.
using System.Diagnostics;
using CharRnnCode.Common;
using CharRnnCode.Completion.Threading;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;

namespace CharRnnCode.Completion.Modeling;

public enum ModelState { NoCheckpoint, Loading, Ready, Failed }

/// <summary>What the model thread holds, as the status bar and the log report it.</summary>
public sealed record ModelStatus(ModelState State, string? Checkpoint, string? Description, string Device, string? Error, double? LoadMs)
{
    /// <summary>The checkpoint is the default model that ships with the server (none was configured).</summary>
    public bool DefaultModel { get; init; }

    public static readonly ModelStatus None = new(ModelState.NoCheckpoint, null, null, "cpu", null, null);
}

public sealed class ModelHost : IDisposable
{
    private readonly WorkerThread _thread;
    private CharLanguageModel? _model; // only touched on the model thread
    private bool _ownsModel; // false for a model the caller loaded (UseAsync): the caller disposes it; only touched on the model thread
    private CharLanguageModel? _idleModel; // guarded by _idleGate
    private readonly object _idleGate = new();
    private volatile ModelStatus _status = ModelStatus.None;

    public ModelHost()
    {
        _thread = new WorkerThread("charrnn-model", onExit: () =>
        {
            if (_ownsModel) _model?.Dispose();
            lock (_idleGate) _idleModel?.Dispose();
        });
    }

    public ModelStatus Status => _status;

    /// <summary>Raised on the model thread whenever the loaded model changes (or is unloaded): states computed with the old one are void.</summary>
    public event Action? ModelChanged;

    /// <summary>Runs <paramref name="work"/> on the caller's thread with the background copy of the model; false when none is loaded.</summary>
    public bool WithIdleModel(Action<CharLanguageModel> work)
    {
        lock (_idleGate)
        {
            if (_idleModel is null) return false;
            work(_idleModel);
            return true;
        }
    }

    /// <summary>Loads a checkpoint (or unloads, for null). Failures are returned in the status, never thrown.</summary>
    /// <param name="defaultModel">The checkpoint is the default model; the status says so.</param>
    public Task<ModelStatus> LoadAsync(string? checkpoint, string device, int? threads, bool defaultModel = false)
    {
        // Loading from the moment it is asked for, not from when the model thread gets to it: a status asked
        // for in between must not read "no checkpoint" (an editor would stop waiting for the model).
        if (checkpoint is not null)
            _status = new ModelStatus(ModelState.Loading, checkpoint, null, device, null, null) { DefaultModel = defaultModel };
        return RunOnThreadAsync(() =>
        {
            Serve(null, owned: true);
            if (checkpoint is null)
                return _status = ModelStatus.None with { Device = device };
            _status = new ModelStatus(ModelState.Loading, checkpoint, null, device, null, null) { DefaultModel = defaultModel };
            var clock = Stopwatch.StartNew();
            try
            {
                if (!File.Exists(checkpoint))
                    throw new UserError($"The checkpoint '{checkpoint}' does not exist. Set charRnnCode.checkpoint (VS Code) or initializationOptions.checkpoint to a file written by `charrnn " +
                        $"train`.");
                var weights = Checkpoint.Load(checkpoint);
                _model = CharLanguageModel.FromCheckpoint(weights, device, threads);
                var idle = CharLanguageModel.FromCheckpoint(weights, "cpu", 1, StepperChoice.Plain);
                // The first steps of a model pay for the JIT; pay here, not in the user's first request.
                WarmUp(_model);   // the idle copy runs the same (now compiled) code
                lock (_idleGate) _idleModel = idle;
                ModelChanged?.Invoke();
                return _status = new ModelStatus(ModelState.Ready, checkpoint, _model.Description, device, null, clock.Elapsed.TotalMilliseconds) { DefaultModel = defaultModel };
            }
            // Every failure, out-of-memory included, ends in a terminal status that says why: a load that threw past
            // here would leave the status at "loading" for good. The arrays of a failed load are garbage by now.
            catch (Exception error)
            {
                var message = error is UserError ? error.Message : $"{error.GetType().Name}: {error.Message}";
                return _status = new ModelStatus(ModelState.Failed, checkpoint, null, device, message, null) { DefaultModel = defaultModel };
            }
        });
    }

    /// <summary>Serves a model the caller has loaded already (an evaluation's, a benchmark's), instead of a checkpoint
    /// this host loads: it is not warmed up, has no background copy (nothing is encoded ahead) and is not disposed
    /// here. The caller must not use it while a request may run on the model thread.</summary>
    /// <param name="checkpoint">where it came from, for the status only</param>
    public Task<ModelStatus> UseAsync(CharLanguageModel model, string? checkpoint = null, string device = "cpu") =>
        RunOnThreadAsync(() =>
        {
            Serve(model, owned: false);
            return _status = new ModelStatus(ModelState.Ready, checkpoint, model.Description, device, null, 0);
        });

    /// <summary>
    /// Puts <paramref name="model"/> in the place of the served one (on the model thread): the old model goes if this host
    /// owns it, the idle copy always (it belongs to the old model), and whoever keeps state for a model hears of the change.
    /// </summary>
    private void Serve(CharLanguageModel? model, bool owned)
    {
        if (_ownsModel) _model?.Dispose();
        _model = model;
        _ownsModel = owned;
        lock (_idleGate)
        {
            _idleModel?.Dispose();
            _idleModel = null;
        }
        ModelChanged?.Invoke();
    }

    /// <summary>Runs <paramref name="work"/> with the model on the model thread; null when no model is loaded.</summary>
    public Task<T?> RunAsync<T>(Func<CharLanguageModel, T> work, CancellationToken cancellationToken) where T : class =>
        RunOnThreadAsync(() =>
        {
            cancellationToken.ThrowIfCancellationRequested();
            return _model is null ? null : work(_model);
        });

    // The step's kernels are compiled fully optimised on their first call (AggressiveOptimization), so a short
    // pass through both paths (reading a context, generating K candidates) is enough to have them compiled
    // before the first request; no pause for the runtime to recompile hot methods is needed.
    private static void WarmUp(CharLanguageModel model)
    {
        const string page = "class C\n{\n    void M(int count)\n    {\n        for (var i = 0; i < count; i++)\n        {\n            Console.WriteLine(i);\n        }\n    }\n}\n";
        var state = model.Advance(model.InitialState(), page);
        model.Generate(state, new GenerationOptions(8, 16, 1.0, Seed: 1));
    }

    private Task<T> RunOnThreadAsync<T>(Func<T> work) => _thread.RunAsync(work, CancellationToken.None);

    public void Dispose() => _thread.Dispose();
}
