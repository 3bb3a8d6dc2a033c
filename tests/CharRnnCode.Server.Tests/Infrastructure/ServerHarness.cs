// The real language server, in process, on one end of an in-memory duplex stream. Tests talk to it
// through a StreamJsonRpc client (LspTestClient) or raw bytes (RawLspConnection), the same framing a
// process would see on stdin/stdout.
using CharRnnCode.Server.Features.Configuration;
using Nerdbank.Streams;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed class ServerHarness : IAsyncDisposable
{
    private ServerHarness(LanguageServer server, Stream clientStream, Stream serverStream, Task<int> running)
    {
        Server = server;
        ClientStream = clientStream;
        _serverStream = serverStream;
        Running = running;
    }

    private readonly Stream _serverStream;

    public LanguageServer Server { get; }
    public Stream ClientStream { get; }
    public Task<int> Running { get; }

    public static ServerHarness Start(ServerSettings? settings = null, ServerLog? log = null)
    {
        var (clientStream, serverStream) = FullDuplexStream.CreatePair();
        var server = new LanguageServer(serverStream, serverStream, settings ?? new ServerSettings(), log ?? ServerLog.None);
        var running = server.RunAsync();
        return new ServerHarness(server, clientStream, serverStream, running);
    }

    public async ValueTask DisposeAsync()
    {
        ClientStream.Dispose();
        await Task.WhenAny(Running, Task.Delay(TimeSpan.FromSeconds(10)));
        Server.Dispose();
        _serverStream.Dispose();
    }
}
