// `charRnn/status`: what the editor's status bar shows: the model and its state (and whether it is the
// default model, served when no checkpoint is configured), the device, the latencies of the last
// requests, the prefix-state cache's statistics, and how far the workspace load has come (its files and
// the projects' references known to Roslyn).
using CharRnnCode.Completion;
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.Status;

public sealed record StatusResult(
    string State,
    string? Checkpoint,
    string? Model,
    string Device,
    string? Error,
    bool RoslynReady,
    int RoslynDocuments,
    int OpenDocuments,
    LatencySummary Latency,
    CompletionTrace? LastCompletion,
    PrefixCacheStatistics Cache,
    long ManagedMemoryBytes,
    bool DefaultModel,
    int RoslynReferences,
    bool WorkspaceLoaded)
{
    /// <summary>The workspace cache: segments (files and open documents), characters counted, bytes held, files still queued.</summary>
    public CharRnnCode.Completion.Cache.WorkspaceCacheStatus? WorkspaceCache { get; init; }
}

public sealed class StatusHandler(ServerContext context) : IRequestHandler<NoParams, StatusResult>
{
    public string Method => Methods.Status;

    public Task<StatusResult> HandleAsync(NoParams parameters, CancellationToken cancellationToken)
    {
        var model = context.Model.Status;
        return Task.FromResult(new StatusResult(
            State: model.State switch
            {
                ModelState.NoCheckpoint => "noCheckpoint",
                ModelState.Loading => "loading",
                ModelState.Ready => "ready",
                _ => "failed",
            },
            Checkpoint: model.Checkpoint,
            Model: model.Description,
            Device: model.Device,
            Error: model.Error,
            RoslynReady: context.Reranker.IsWarm,
            RoslynDocuments: context.Reranker.DocumentCount,
            OpenDocuments: context.Documents.Count,
            Latency: context.CompletionPipeline.Latencies.Summary(),
            LastCompletion: context.CompletionPipeline.LastTrace,
            Cache: context.PrefixStates.Statistics,
            ManagedMemoryBytes: GC.GetTotalMemory(forceFullCollection: false),
            DefaultModel: model.DefaultModel,
            RoslynReferences: context.Reranker.ReferenceCount,
            // Done once the files and the projects' references are in (and any design-time build trust started).
            WorkspaceLoaded: context.WorkspaceLoading.IsCompleted && context.DesignTimeBuild.IsCompleted)
        {
            WorkspaceCache = context.WorkspaceCache.Status,
        });
    }
}
