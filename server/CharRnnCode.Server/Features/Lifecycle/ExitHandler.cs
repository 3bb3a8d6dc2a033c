// `exit`: ends the connection; exit code 0 after a shutdown request, 1 without one, as LSP specifies.
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.Lifecycle;

public sealed class ExitHandler(ServerContext context) : INotificationHandler<NoParams>
{
    public string Method => Methods.Exit;

    public HandlerPhase Phase => HandlerPhase.Always;

    public void Handle(NoParams parameters)
    {
        var code = context.State == ServerPhase.ShuttingDown ? 0 : 1;
        context.Log.Info($"exit ({code})");
        context.Exited.TrySetResult(code);
    }
}
