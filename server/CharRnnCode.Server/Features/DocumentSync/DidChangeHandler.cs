// `textDocument/didChange`: incremental edits, applied in order. What follows the document (the
// prefix-state cache, the background encoder) hears of it through the store's Changed event.
using CharRnnCode.Completion.Documents;
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.DocumentSync;

public sealed class DidChangeHandler(ServerContext context) : IDocumentNotificationHandler<DidChangeTextDocumentParams>
{
    public string Method => Methods.DidChange;

    public void Handle(DidChangeTextDocumentParams parameters, OpenDocument document) =>
        context.Documents.Change(document.Uri, parameters.TextDocument.Version, parameters.ContentChanges);
}
