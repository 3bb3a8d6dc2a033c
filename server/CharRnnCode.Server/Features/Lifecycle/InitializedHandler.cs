// `initialized`: the client is ready for server-to-client messages, so the checkpoint load and the
// workspace load start here (they report progress and failures through the client).
using System.Text.Json;
using CharRnnCode.Server.Protocol;
using StreamJsonRpc;

namespace CharRnnCode.Server.Features.Lifecycle;

public sealed class InitializedHandler(ServerContext context)
{
    [JsonRpcMethod(Methods.Initialized, UseSingleObjectParameterDeserialization = true)]
    public void Initialized(JsonElement? parameters = null)
    {
        if (context.State != ServerPhase.Initialized) return;
        _ = CheckpointLoader.Start(context);
        if (context.Settings.LoadWorkspace)
            context.WorkspaceLoading = Workspace.WorkspaceLoader.LoadAsync(context, context.WorkspaceFolders);
    }
}
