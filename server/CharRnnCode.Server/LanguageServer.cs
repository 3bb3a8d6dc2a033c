// One LSP connection: StreamJsonRpc over header-delimited stdin/stdout (or any pair of streams, which
// is how the tests and the benchmark run it in process), camelCase System.Text.Json, LSP's
// $/cancelRequest, and one handler per method, each reached through LspDispatcher (lifecycle phase,
// params, document). Messages are handled one at a time in arrival order, so edits and the requests
// that follow them never race.
using CharRnnCode.Server.Dispatch;
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
        var dispatcher = new LspDispatcher(Context, _rpc);
        dispatcher.Add(new InitializeHandler(Context));
        dispatcher.Add(new InitializedHandler(Context));
        dispatcher.Add(new ShutdownHandler(Context));
        dispatcher.Add(new ExitHandler(Context));
        dispatcher.Add(new DidOpenHandler(Context));
        dispatcher.Add(new DidChangeHandler(Context));
        dispatcher.Add(new DidCloseHandler(Context));
        dispatcher.Add(new DidChangeConfigurationHandler(Context));
        dispatcher.Add(new DidChangeWatchedFilesHandler(Context));
        dispatcher.Add(new InlineCompletionHandler(Context));
        dispatcher.Add(new StatusHandler(Context));
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
