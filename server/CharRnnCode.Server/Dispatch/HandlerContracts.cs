// What a handler declares to the dispatcher (LspDispatcher): its method, the phase of the connection it
// runs in, its typed params, and whether it is about one open document. A handler holds only its own
// logic: refusing or dropping messages outside its phase, reading params and finding the document are
// the dispatcher's. It does not say how handlers are registered (LanguageServer does).
using CharRnnCode.Completion.Documents;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Dispatch;

/// <summary>When in the connection's life a handler runs, as LSP orders it.</summary>
public enum HandlerPhase
{
    /// <summary>
    /// Between initialize and shutdown. A request earlier is refused with ServerNotInitialized, one after
    /// shutdown with InvalidRequest; a notification outside this phase is dropped.
    /// </summary>
    Serving,

    /// <summary>Only while the server is not yet initialized (initialize itself); later, InvalidRequest.</summary>
    BeforeInitialize,

    /// <summary>At any time (exit).</summary>
    Always,
}

/// <summary>The params of a method that reads none: whatever the client sends as params is not looked at.</summary>
public sealed record NoParams
{
    public static NoParams Value { get; } = new();
}

public interface ILspHandler
{
    /// <summary>The method name, as the protocol spells it (<see cref="Protocol.Methods"/>).</summary>
    string Method { get; }

    HandlerPhase Phase => HandlerPhase.Serving;
}

/// <summary>A request: answered with a result or an error.</summary>
public interface IRequestHandler<in TParams, TResult> : ILspHandler where TParams : class
{
    Task<TResult> HandleAsync(TParams parameters, CancellationToken cancellationToken);
}

/// <summary>A request about one open document; one that names a document that is not open is answered <see cref="UnknownDocumentResult"/>.</summary>
public interface IDocumentRequestHandler<in TParams, TResult> : ILspHandler where TParams : class, ITextDocumentParams<ITextDocument>
{
    TResult UnknownDocumentResult { get; }

    Task<TResult> HandleAsync(TParams parameters, OpenDocument document, CancellationToken cancellationToken);
}

/// <summary>A notification: no answer, so what cannot be served is dropped (and logged where it is the client's mistake).</summary>
public interface INotificationHandler<in TParams> : ILspHandler where TParams : class
{
    void Handle(TParams parameters);
}

/// <summary>A notification about one open document; one that names a document that is not open is logged and dropped.</summary>
public interface IDocumentNotificationHandler<in TParams> : ILspHandler where TParams : class, ITextDocumentParams<ITextDocument>
{
    void Handle(TParams parameters, OpenDocument document);
}
