// `textDocument/didClose`: forget the document; its cached model states and its Roslyn tree go with it
// (their owners follow the store's Closed event).
using CharRnnCode.Completion.Documents;
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.DocumentSync;

public sealed class DidCloseHandler(ServerContext context) : IDocumentNotificationHandler<DidCloseTextDocumentParams>
{
    public string Method => Methods.DidClose;

    public void Handle(DidCloseTextDocumentParams parameters, OpenDocument document) => context.Documents.Close(document.Uri);
}
