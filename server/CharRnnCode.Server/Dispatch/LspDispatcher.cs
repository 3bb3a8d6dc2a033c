// The one way a JSON-RPC message reaches a handler. For each handler it registers one entry point with
// StreamJsonRpc, which keeps the transport's work (framing, unknown methods: MethodNotFound -32601,
// $/cancelRequest, delivery one message at a time in arrival order), and every entry point applies the
// same rules, in this order, before the handler runs:
//   1. the phase (LSP's lifecycle): a request before initialize is ServerNotInitialized (-32002), one after
//      shutdown InvalidRequest (-32600); a notification outside the serving phase is dropped;
//   2. the params, read into the handler's type: what does not fit is InvalidParams (-32602) with the
//      reader's account of the problem (a notification: dropped, with a log line);
//   3. initialize's once-only rule (after the params: a malformed initialize is InvalidParams whenever it comes);
//   4. the document, for a handler about one: an unknown one answers the handler's UnknownDocumentResult
//      (a request) or is logged and dropped (a notification).
// It does not decide what a handler answers, and it reads no params itself beyond deserialising them.
using System.Reflection;
using System.Text.Json;
using CharRnnCode.Server.Protocol;
using StreamJsonRpc;

namespace CharRnnCode.Server.Dispatch;

public sealed class LspDispatcher
{
    private readonly ServerContext _context;
    private readonly JsonRpc _rpc;

    public LspDispatcher(ServerContext context, JsonRpc rpc)
    {
        _context = context;
        _rpc = rpc;
    }

    public void Add<TParams, TResult>(IRequestHandler<TParams, TResult> handler) where TParams : class =>
        Register(handler, new RequestEntry<TParams, TResult>(this, handler, handler.HandleAsync));

    public void Add<TParams, TResult>(IDocumentRequestHandler<TParams, TResult> handler) where TParams : class, ITextDocumentParams<ITextDocument> =>
        Register(handler, new RequestEntry<TParams, TResult>(this, handler, (parameters, cancellationToken) =>
            _context.Documents.Get(parameters.TextDocument.Uri) is { } document
                ? handler.HandleAsync(parameters, document, cancellationToken)
                : Task.FromResult(handler.UnknownDocumentResult)));

    public void Add<TParams>(INotificationHandler<TParams> handler) where TParams : class =>
        Register(handler, new NotificationEntry<TParams>(this, handler, handler.Handle));

    public void Add<TParams>(IDocumentNotificationHandler<TParams> handler) where TParams : class, ITextDocumentParams<ITextDocument> =>
        Register(handler, new NotificationEntry<TParams>(this, handler, parameters =>
        {
            var uri = parameters.TextDocument.Uri;
            if (_context.Documents.Get(uri) is { } document) handler.Handle(parameters, document);
            else _context.Log.Warn($"{handler.Method} for {uri}, which is not open: ignored");
        }));

    // The entry point's one parameter takes the whole params object, so the dispatcher, not StreamJsonRpc's
    // parameter binding, decides what fits.
    private void Register(ILspHandler handler, EntryPoint entry) =>
        _rpc.AddLocalRpcMethod(entry.Method, entry, new JsonRpcMethodAttribute(handler.Method) { UseSingleObjectParameterDeserialization = true });

    private void RefuseOutsidePhase(ILspHandler handler)
    {
        if (handler.Phase != HandlerPhase.Serving) return;
        if (_context.State == ServerPhase.Created)
            throw new LocalRpcException("The server is not initialized: send initialize first.") { ErrorCode = LspErrorCodes.ServerNotInitialized };
        if (_context.State == ServerPhase.ShuttingDown)
            throw new LocalRpcException("The server is shutting down.") { ErrorCode = LspErrorCodes.InvalidRequest };
    }

    private void RefuseRepeatedInitialize(ILspHandler handler)
    {
        if (handler.Phase == HandlerPhase.BeforeInitialize && _context.State != ServerPhase.Created)
            throw new LocalRpcException($"{handler.Method} may be sent only once.") { ErrorCode = LspErrorCodes.InvalidRequest };
    }

    private bool AdmitsNotification(ILspHandler handler) => handler.Phase switch
    {
        HandlerPhase.Serving => _context.State == ServerPhase.Initialized,
        HandlerPhase.BeforeInitialize => _context.State == ServerPhase.Created,
        _ => true,
    };

    private static TParams Read<TParams>(JsonElement? parameters) where TParams : class =>
        typeof(TParams) == typeof(NoParams) ? (TParams)(object)NoParams.Value : LspJson.Parse<TParams>(parameters ?? default);

    private abstract class EntryPoint
    {
        public abstract MethodInfo Method { get; }
    }

    private sealed class RequestEntry<TParams, TResult>(LspDispatcher dispatcher, ILspHandler handler,
        Func<TParams, CancellationToken, Task<TResult>> handle) : EntryPoint where TParams : class
    {
        private static readonly MethodInfo Entry = typeof(RequestEntry<TParams, TResult>).GetMethod(nameof(InvokeAsync))!;

        public override MethodInfo Method => Entry;

        public async Task<TResult> InvokeAsync(JsonElement? parameters = null, CancellationToken cancellationToken = default)
        {
            dispatcher._context.IdleMemory.Enter();
            try
            {
                dispatcher.RefuseOutsidePhase(handler);
                var typed = Read<TParams>(parameters);
                dispatcher.RefuseRepeatedInitialize(handler);
                return await handle(typed, cancellationToken);
            }
            finally
            {
                dispatcher._context.IdleMemory.Leave();
            }
        }
    }

    private sealed class NotificationEntry<TParams>(LspDispatcher dispatcher, ILspHandler handler, Action<TParams> handle)
        : EntryPoint where TParams : class
    {
        private static readonly MethodInfo Entry = typeof(NotificationEntry<TParams>).GetMethod(nameof(Invoke))!;

        public override MethodInfo Method => Entry;

        public void Invoke(JsonElement? parameters = null)
        {
            if (!dispatcher.AdmitsNotification(handler)) return;
            dispatcher._context.IdleMemory.Enter();
            try
            {
                TParams typed;
                try
                {
                    typed = Read<TParams>(parameters);
                }
                catch (LocalRpcException error) when (error.ErrorCode == LspErrorCodes.InvalidParams)
                {
                    dispatcher._context.Log.Warn($"{handler.Method} ignored: {error.Message}");
                    return;
                }
                handle(typed);
            }
            finally
            {
                dispatcher._context.IdleMemory.Leave();
            }
        }
    }
}
