// One LSP connection: StreamJsonRpc over header-delimited stdin/stdout (or any pair of streams, which
// is how the tests and the benchmark run it in process), camelCase System.Text.Json, LSP's
// $/cancelRequest, and one handler object per method. Messages are handled one at a time in arrival
// order, so edits and the requests that follow them never race.
using CharRnnCode.Server.Features.Configuration;
using CharRnnCode.Server.Features.DocumentSync;
using CharRnnCode.Server.Features.InlineCompletion;
using CharRnnCode.Server.Features.Lifecycle;
using CharRnnCode.Server.Features.Status;
using CharRnnCode.Server.Features.Workspace;
using CharRnnCode.Server.Protocol;
using Microsoft.VisualStudio.Threading;
using StreamJsonRpc;

namespace CharRnnCode.Server;

public sealed class LanguageServer : IDisposable
{
    private readonly JsonRpc _rpc;
    private readonly LspMessageHandler _messages;

    public LanguageServer(Stream input, Stream output, ServerSettings startupSettings, ServerLog log)
    {
        Context = new ServerContext(log, startupSettings);
        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions = LspJson.CreateOptions();
        _messages = new LspMessageHandler(input, output, formatter, log);
        _rpc = new JsonRpc(_messages)
        {
            // In-order, one at a time: a didChange is applied before the request that follows it is read.
            SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false),
            ExceptionStrategy = ExceptionProcessing.CommonErrorData,
        };
        var options = new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true };
        object[] handlers =
        [
            new InitializeHandler(Context), new InitializedHandler(Context), new ShutdownHandler(Context), new ExitHandler(Context),
            new DidOpenHandler(Context), new DidChangeHandler(Context), new DidCloseHandler(Context),
            new DidChangeConfigurationHandler(Context), new DidChangeWatchedFilesHandler(Context),
            new InlineCompletionHandler(Context),
            new StatusHandler(Context),
        ];
        foreach (var handler in handlers) _rpc.AddLocalRpcTarget(handler, options);
        Context.Client = _rpc;
        _rpc.Disconnected += (_, args) =>
        {
            if (args.Reason != DisconnectedReason.LocallyDisposed)
                log.Info($"connection closed: {args.Reason} {args.Description}");
            Context.Exited.TrySetResult(Context.State == ServerPhase.ShuttingDown ? 0 : 1);
        };
    }

    public ServerContext Context { get; }

    /// <summary>How many incoming frames were unusable (bad header, not JSON, not JSON-RPC).</summary>
    public int RejectedMessages => _messages.RejectedMessages;

    /// <summary>Serves until `exit` or the end of input; returns the process exit code LSP asks for.</summary>
    public async Task<int> RunAsync()
    {
        _rpc.StartListening();
        return await Context.Exited.Task;
    }

    public void Dispose()
    {
        _rpc.Dispose();
        Context.Dispose();
    }
}
