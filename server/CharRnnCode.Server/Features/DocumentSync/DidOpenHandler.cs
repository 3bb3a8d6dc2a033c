// `textDocument/didOpen`: the client now owns the document's text; keep a copy.
using System.Text.Json;
using CharRnnCode.Server.Protocol;
using StreamJsonRpc;

namespace CharRnnCode.Server.Features.DocumentSync;

public sealed class DidOpenHandler(ServerContext context)
{
    [JsonRpcMethod(Methods.DidOpen, UseSingleObjectParameterDeserialization = true)]
    public void DidOpen(JsonElement json = default)
    {
        if (context.State != ServerPhase.Initialized) return;
        var parameters = LspJson.Parse<DidOpenTextDocumentParams>(json);
        var item = parameters.TextDocument;
        if (!context.Documents.Open(item))
            context.Log.Warn($"not tracking {item.Uri}: {DocumentStore.MaxDocuments} documents are open already");
        else if (item.Text.Length > DocumentStore.MaxDocumentChars)
            context.Log.Warn($"{item.Uri} has {item.Text.Length} characters, more than {DocumentStore.MaxDocumentChars}: no completions for it");
    }
}
