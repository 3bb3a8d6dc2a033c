// `shutdown`: stop serving; the process ends on the `exit` that follows.
using CharRnnCode.Server.Protocol;
using StreamJsonRpc;

namespace CharRnnCode.Server.Features.Lifecycle;

public sealed class ShutdownHandler(ServerContext context)
{
    [JsonRpcMethod(Methods.Shutdown)]
    public object? Shutdown()
    {
        context.EnsureServing();
        context.State = ServerPhase.ShuttingDown;
        context.Log.Info("shutdown requested");
        return null;
    }
}
