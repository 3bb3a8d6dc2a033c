// `textDocument/didClose`: forget the document; its cached model states and its Roslyn tree go with it
// (their owners follow the store's Closed event).
using System.Text.Json;
using CharRnnCode.Server.Protocol;
using StreamJsonRpc;

namespace CharRnnCode.Server.Features.DocumentSync;

public sealed class DidCloseHandler(ServerContext context)
{
    [JsonRpcMethod(Methods.DidClose, UseSingleObjectParameterDeserialization = true)]
    public void DidClose(JsonElement json = default)
    {
        if (context.State != ServerPhase.Initialized) return;
        var parameters = LspJson.Parse<DidCloseTextDocumentParams>(json);
        var uri = parameters.TextDocument.Uri;
        context.Documents.Close(uri);
    }
}
