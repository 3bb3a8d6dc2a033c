// What the handlers share: the open documents, the settings, the model thread, Roslyn, the completion
// pipeline, the lifecycle state and the way back to the client. One per connection. Handlers run one at
// a time in arrival order (the connection's synchronization context), so only work they hand to other
// threads (the model, Roslyn) needs its own synchronisation.
using System.Text.Json;
using CharRnnCode.Completion;
using CharRnnCode.Completion.Cache;
using CharRnnCode.Completion.Documents;
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Server.Features.Configuration;
using CharRnnCode.Server.Protocol;
using CharRnnCode.Server.Threading;
using StreamJsonRpc;

namespace CharRnnCode.Server;

public enum ServerPhase { Created, Initialized, ShuttingDown }

public sealed class ServerContext : IDisposable
{
    public ServerContext(ServerLog log, ServerSettings startupSettings)
    {
        Log = log;
        Settings = startupSettings;
        Model = new ModelHost();
        PrefixStates.Follow(Documents);
        Model.ModelChanged += PrefixStates.Clear;
        Encoder = new BackgroundPrefixEncoder(PrefixStates, Model, log);
        Encoder.Follow(Documents);
        Encoder.Enabled = startupSettings.EncodeAhead;
        Reranker = new RoslynReranker(log);
        Reranker.Follow(Documents);
        WorkspaceCache = new WorkspaceCache(RoslynReranker.TryRead);
        WorkspaceCache.Follow(Documents);
        CompletionPipeline = new CompletionPipeline(Model, PrefixStates, Encoder, Reranker, Documents, WorkspaceCache);
        CompletionPipeline.UseWorkspaceCache(startupSettings.WorkspaceCache);
        IdleMemory = new IdleMemoryTrimmer(log);
    }

    public ServerLog Log { get; }
    public DocumentStore Documents { get; } = new();
    public ModelHost Model { get; }
    /// <summary>The model states of the open documents' prefixes; follows the documents, cleared when the model changes.</summary>
    public PrefixStateCache PrefixStates { get; } = new();
    /// <summary>Fills PrefixStates ahead of requests, at idle.</summary>
    public BackgroundPrefixEncoder Encoder { get; }
    public RoslynReranker Reranker { get; }
    /// <summary>The character n-gram over the workspace and the open documents that completions mix in (workspaceCache).</summary>
    public WorkspaceCache WorkspaceCache { get; }
    public CompletionPipeline CompletionPipeline { get; }
    /// <summary>Gives memory back when the client goes quiet; the dispatcher tells it when messages are handled.</summary>
    public IdleMemoryTrimmer IdleMemory { get; }
    public ServerSettings Settings { get; set; }
    public ServerPhase State { get; set; } = ServerPhase.Created;
    public bool ClientSupportsProgress { get; set; }
    /// <summary>The client's workspace folders (local paths), from initialize.</summary>
    public IReadOnlyList<string> WorkspaceFolders { get; set; } = [];
    /// <summary>The workspace load in flight (or done): the number of C# files given to Roslyn.</summary>
    public Task<int> WorkspaceLoading { get; set; } = Task.FromResult(0);
    /// <summary>1 once dynamic evaluation (WorkspaceAdaptation) has started; it runs at most once.</summary>
    public int AdaptationStarted;
    /// <summary>The background adaptation (dynamicEvaluation) in flight or done: whether the adapted model is served.</summary>
    public Task<bool> Adaptation { get; set; } = Task.FromResult(false);
    /// <summary>1 once MSBuild's design-time build of the workspace has started (it runs at most once, and only when trusted).</summary>
    public int DesignTimeBuildStarted;
    /// <summary>The design-time build started when trust was granted after the workspace load (or done); tests wait on it.</summary>
    public Task<bool> DesignTimeBuild { get; set; } = Task.FromResult(false);
    public JsonRpc? Client { get; set; }
    public int? ExitCode { get; set; }
    public TaskCompletionSource<int> Exited { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    /// <summary>The checkpoint load in flight (or done): tests and the benchmark wait on it.</summary>
    public Task<ModelStatus> Loading { get; set; } = Task.FromResult(ModelStatus.None);

    public Task ShowMessageAsync(int type, string message) => NotifyAsync(Methods.ShowMessage, new ShowMessageParams(type, message));

    public Task LogMessageAsync(int type, string message) => NotifyAsync(Methods.LogMessage, new LogMessageParams(type, message));

    /// <summary>Sends a notification; a client that has gone away is not an error worth more than a log line.</summary>
    public async Task NotifyAsync(string method, object parameters)
    {
        if (Client is null) return;
        try
        {
            await Client.NotifyWithParameterObjectAsync(method, parameters);
        }
        catch (Exception error) when (error is ConnectionLostException or ObjectDisposedException or IOException)
        {
            Log.Warn($"could not send {method}: {error.Message}");
        }
    }

    /// <summary>Asks the client for a progress token; false when it refuses or does not answer.</summary>
    public async Task<bool> CreateProgressAsync(string token)
    {
        if (Client is null) return false;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Client.InvokeWithParameterObjectAsync(Methods.WorkDoneProgressCreate, new WorkDoneProgressCreateParams(token), timeout.Token);
            return true;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            Log.Warn($"the client refused a progress token: {error.Message}");
            return false;
        }
    }

    /// <summary>Reads settings from the client, reporting (not failing on) values it cannot use.</summary>
    public ServerSettings ApplySettings(JsonElement? json)
    {
        var problems = new List<string>();
        Settings = Settings.With(json, problems);
        Encoder.Enabled = Settings.EncodeAhead;
        CompletionPipeline.UseWorkspaceCache(Settings.WorkspaceCache);
        foreach (var problem in problems)
            _ = ShowMessageAsync(MessageType.Warning, $"CharRnnCode setting ignored: {problem}.");
        return Settings;
    }

    public void Dispose()
    {
        IdleMemory.Dispose();
        Encoder.Dispose();
        Model.Dispose();
        Reranker.Dispose();
        WorkspaceCache.Dispose();
    }
}
