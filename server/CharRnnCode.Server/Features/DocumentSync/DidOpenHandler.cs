// `textDocument/didOpen`: the client now owns the document's text; keep a copy.
using CharRnnCode.Completion.Documents;
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.DocumentSync;

public sealed class DidOpenHandler(ServerContext context) : INotificationHandler<DidOpenTextDocumentParams>
{
    public string Method => Methods.DidOpen;

    public void Handle(DidOpenTextDocumentParams parameters)
    {
        var item = parameters.TextDocument;
        if (!context.Documents.Open(item))
            context.Log.Warn($"not tracking {item.Uri}: {DocumentStore.MaxDocuments} documents are open already");
        else if (item.Text.Length > DocumentStore.MaxDocumentChars)
            context.Log.Warn($"{item.Uri} has {item.Text.Length} characters, more than {DocumentStore.MaxDocumentChars}: no completions for it");
    }
}
