// `shutdown`: stop serving; the process ends on the `exit` that follows.
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.Lifecycle;

public sealed class ShutdownHandler(ServerContext context) : IRequestHandler<NoParams, object?>
{
    public string Method => Methods.Shutdown;

    public Task<object?> HandleAsync(NoParams parameters, CancellationToken cancellationToken)
    {
        context.State = ServerPhase.ShuttingDown;
        context.Log.Info("shutdown requested");
        return Task.FromResult<object?>(null);
    }
}
