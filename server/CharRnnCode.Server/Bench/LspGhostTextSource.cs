// Ghost text from the real server, as an editor asks for it: the document opened once (textDocument/didOpen), each
// edit sent as one ranged textDocument/didChange (the text between what stayed before and after it), and an automatic
// textDocument/inlineCompletion request at the caret, the first item being what the editor shows. Positions are in
// UTF-16 code units, as LSP's default encoding. It chooses no lines and measures nothing; the replay does.
using System.Text.Json;
using CharRnnCode.Server.Features.DocumentSync;
using CharRnnCode.Server.Protocol;
using CharRnnCode.Typing;
using Microsoft.CodeAnalysis.Text;
using StreamJsonRpc;

namespace CharRnnCode.Server.Bench;

public sealed class LspGhostTextSource(JsonRpc client) : IGhostTextSource
{
    private readonly Dictionary<string, (int Version, string Text)> _open = new(StringComparer.Ordinal);

    public static string UriOf(string path) => new Uri(path).AbsoluteUri;

    public async Task SetTextAsync(string path, string text)
    {
        var uri = UriOf(path);
        if (!_open.TryGetValue(path, out var open))
        {
            _open[path] = (1, text);
            await client.NotifyWithParameterObjectAsync(Methods.DidOpen, new DidOpenTextDocumentParams(new TextDocumentItem(uri, "csharp", 1, text)));
            return;
        }
        if (open.Text == text) return;
        var old = open.Text;
        var (start, end, inserted) = TextEdit.Between(old, text);
        // Offsets become LSP positions as the server turns them back (UTF-16 units, SourceText's lines).
        var before = SourceText.From(old);
        var change = new TextDocumentContentChangeEvent(inserted, new Protocol.Range(LspDocuments.ToPosition(before, start), LspDocuments.ToPosition(before, end)));
        _open[path] = (open.Version + 1, text);
        await client.NotifyWithParameterObjectAsync(Methods.DidChange,
            new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, open.Version + 1), [change]));
    }

    public async Task<string> RequestAsync(string path, int caret)
    {
        var text = _open[path].Text;
        var source = SourceText.From(text);
        var answer = await client.InvokeWithParameterObjectAsync<JsonElement>(Methods.InlineCompletion,
            new InlineCompletionParams(new TextDocumentIdentifier(UriOf(path)), LspDocuments.ToPosition(source, caret), new InlineCompletionContext(InlineCompletionTriggerKind.Automatic)));
        var items = answer.ValueKind switch
        {
            JsonValueKind.Array => answer,
            JsonValueKind.Object when answer.TryGetProperty("items", out var list) => list,
            _ => default,
        };
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0) return "";
        var item = items[0];
        var insert = item.GetProperty("insertText").GetString() ?? "";
        var start = item.TryGetProperty("range", out var range)
            ? LspDocuments.ToOffset(source, range.GetProperty("start").Deserialize<Position>(LspJson.Options)!)
            : caret;
        if (start > caret) return "";
        // An item may start before the caret (it then repeats what is typed); the editor shows what follows the caret.
        var typed = text[start..caret];
        return insert.StartsWith(typed, StringComparison.Ordinal) ? insert[typed.Length..] : "";
    }
}
