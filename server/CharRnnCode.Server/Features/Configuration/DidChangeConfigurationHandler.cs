// `workspace/didChangeConfiguration`: new settings apply to the next request; a new checkpoint,
// device or thread count reloads the model; trust granted to the workspace (trustedWorkspace turning true)
// lets MSBuild read its projects once the workspace load is done; dynamicEvaluation turning true starts the
// background adaptation once the workspace load is done; workspaceCache turning false empties the cache and
// turning true reads the workspace into it again.
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Features.Lifecycle;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.Configuration;

public sealed class DidChangeConfigurationHandler(ServerContext context) : INotificationHandler<DidChangeConfigurationParams>
{
    public string Method => Methods.DidChangeConfiguration;

    public void Handle(DidChangeConfigurationParams parameters)
    {
        var before = context.Settings;
        var after = context.ApplySettings(parameters.Settings);
        context.Log.Info($"settings: {after}");
        if (after.Checkpoint != before.Checkpoint || after.Device != before.Device || after.Threads != before.Threads)
            _ = CheckpointLoader.Start(context);
        if (!before.TrustedWorkspace && after.TrustedWorkspace && after.LoadWorkspace && context.State == ServerPhase.Initialized)
            context.DesignTimeBuild = BuildAfterLoadAsync(context);
        if (before.WorkspaceCache && !after.WorkspaceCache) context.WorkspaceCache.Clear();
        if (!before.WorkspaceCache && after.WorkspaceCache && after.LoadWorkspace && context.State == ServerPhase.Initialized)
            _ = Workspace.WorkspaceLoader.FillWorkspaceCacheAsync(context);
        if (!before.DynamicEvaluation && after.DynamicEvaluation && context.State == ServerPhase.Initialized)
            _ = AdaptAfterLoadAsync(context);
    }

    private static async Task AdaptAfterLoadAsync(ServerContext context)
    {
        await context.WorkspaceLoading;   // the loader starts it by itself if the setting came before it finished
        await Workspace.WorkspaceAdaptation.StartIfWanted(context);
    }

    private static async Task<bool> BuildAfterLoadAsync(ServerContext context)
    {
        await context.WorkspaceLoading;   // the loader builds by itself if trust came before it reached the projects
        return await Workspace.WorkspaceLoader.DesignTimeBuildAsync(context);
    }
}
