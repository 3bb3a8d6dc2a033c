// `textDocument/didChange`: incremental edits, applied in order. What follows the document (the
// prefix-state cache, the background encoder) hears of it through the store's Changed event.
using System.Text.Json;
using CharRnnCode.Server.Protocol;
using StreamJsonRpc;

namespace CharRnnCode.Server.Features.DocumentSync;

public sealed class DidChangeHandler(ServerContext context)
{
    [JsonRpcMethod(Methods.DidChange, UseSingleObjectParameterDeserialization = true)]
    public void DidChange(JsonElement json = default)
    {
        if (context.State != ServerPhase.Initialized) return;
        var parameters = LspJson.Parse<DidChangeTextDocumentParams>(json);
        var uri = parameters.TextDocument.Uri;
        var changed = context.Documents.Change(uri, parameters.TextDocument.Version, parameters.ContentChanges);
        if (changed is null)
            context.Log.Warn($"didChange for {uri}, which is not open: ignored");
    }
}
