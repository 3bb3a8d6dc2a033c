// Ghost text from the real server, as an editor asks for it: the document opened once (textDocument/didOpen), each
// edit sent as one ranged textDocument/didChange (the text between what stayed before and after it), and an automatic
// textDocument/inlineCompletion request at the caret, the first item being what the editor shows. Positions are in
// UTF-16 code units, as LSP's default encoding. It chooses no lines and measures nothing; the replay does.
using System.Text.Json;
using CharRnnCode.Server.Protocol;
using CharRnnCode.Typing;
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
        var change = new TextDocumentContentChangeEvent(inserted, new Protocol.Range(PositionOf(old, start), PositionOf(old, end)));
        _open[path] = (open.Version + 1, text);
        await client.NotifyWithParameterObjectAsync(Methods.DidChange,
            new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, open.Version + 1), [change]));
    }

    public async Task<string> RequestAsync(string path, int caret)
    {
        var text = _open[path].Text;
        var answer = await client.InvokeWithParameterObjectAsync<JsonElement>(Methods.InlineCompletion,
            new InlineCompletionParams(new TextDocumentIdentifier(UriOf(path)), PositionOf(text, caret), new InlineCompletionContext(InlineCompletionTriggerKind.Automatic)));
        var items = answer.ValueKind switch
        {
            JsonValueKind.Array => answer,
            JsonValueKind.Object when answer.TryGetProperty("items", out var list) => list,
            _ => default,
        };
        if (items.ValueKind != JsonValueKind.Array || items.GetArrayLength() == 0) return "";
        var item = items[0];
        var insert = item.GetProperty("insertText").GetString() ?? "";
        var start = item.TryGetProperty("range", out var range) ? OffsetOf(text, range.GetProperty("start")) : caret;
        if (start > caret) return "";
        // An item may start before the caret (it then repeats what is typed); the editor shows what follows the caret.
        var typed = text[start..caret];
        return insert.StartsWith(typed, StringComparison.Ordinal) ? insert[typed.Length..] : "";
    }

    private static Position PositionOf(string text, int offset)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        return new Position(line, offset - lineStart);
    }

    private static int OffsetOf(string text, JsonElement position)
    {
        var line = position.GetProperty("line").GetInt32();
        var character = position.GetProperty("character").GetInt32();
        var offset = 0;
        for (var l = 0; l < line && offset < text.Length; offset++)
            if (text[offset] == '\n') l++;
        return Math.Min(text.Length, offset + character);
    }
}
