// `exit`: ends the connection; exit code 0 after a shutdown request, 1 without one, as LSP specifies.
using CharRnnCode.Server.Protocol;
using StreamJsonRpc;

namespace CharRnnCode.Server.Features.Lifecycle;

public sealed class ExitHandler(ServerContext context)
{
    [JsonRpcMethod(Methods.Exit)]
    public void Exit()
    {
        var code = context.State == ServerPhase.ShuttingDown ? 0 : 1;
        context.Log.Info($"exit ({code})");
        context.Exited.TrySetResult(code);
    }
}
