// `initialized`: the client is ready for server-to-client messages, so the checkpoint load and the
// workspace load start here (they report progress and failures through the client).
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.Lifecycle;

public sealed class InitializedHandler(ServerContext context) : INotificationHandler<NoParams>
{
    public string Method => Methods.Initialized;

    public void Handle(NoParams parameters)
    {
        _ = CheckpointLoader.Start(context);
        if (context.Settings.LoadWorkspace)
            context.WorkspaceLoading = Workspace.WorkspaceLoader.LoadAsync(context, context.WorkspaceFolders);
    }
}
