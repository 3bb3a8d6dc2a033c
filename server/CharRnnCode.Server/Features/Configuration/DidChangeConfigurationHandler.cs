// `workspace/didChangeConfiguration`: new settings apply to the next request; a new checkpoint,
// device or thread count reloads the model.
using System.Text.Json;
using CharRnnCode.Server.Features.Lifecycle;
using CharRnnCode.Server.Protocol;
using StreamJsonRpc;

namespace CharRnnCode.Server.Features.Configuration;

public sealed class DidChangeConfigurationHandler(ServerContext context)
{
    [JsonRpcMethod(Methods.DidChangeConfiguration, UseSingleObjectParameterDeserialization = true)]
    public void DidChangeConfiguration(JsonElement json = default)
    {
        if (context.State != ServerPhase.Initialized) return;
        var parameters = LspJson.Parse<DidChangeConfigurationParams>(json);
        var before = context.Settings;
        var after = context.ApplySettings(parameters.Settings);
        context.Log.Info($"settings: {after}");
        if (after.Checkpoint != before.Checkpoint || after.Device != before.Device || after.Threads != before.Threads)
            _ = CheckpointLoader.Start(context);
    }
}
