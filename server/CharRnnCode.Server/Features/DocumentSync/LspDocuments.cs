// LSP's view of the open documents: positions (line and UTF-16 character) to offsets and back, and the
// didOpen and didChange payloads applied to the completion library's DocumentStore. It keeps no state;
// the store does, and knows nothing of the protocol.
using CharRnnCode.Completion.Documents;
using CharRnnCode.Server.Protocol;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Server.Features.DocumentSync;

public static class LspDocuments
{
    /// <summary>Opens (or reopens) the document of a didOpen; false when the store is full.</summary>
    public static bool Open(this DocumentStore store, TextDocumentItem item) =>
        store.Open(item.Uri, item.LanguageId, item.Version, item.Text);

    /// <summary>Applies a didChange's changes in order, each range read against the text the changes before it left.</summary>
    public static (OpenDocument Document, int FirstChangedOffset)? Change(this DocumentStore store, string uri, int version, IReadOnlyList<TextDocumentContentChangeEvent> changes) =>
        store.Change(uri, version, changes.Select(change => change is null ? null : new DocumentEdit(change.Text ?? "",
            change.Range is not { } range ? null : text => (ToOffset(text, range.Start), ToOffset(text, range.End)))).ToList());

    /// <summary>
    /// LSP position to offset. Out-of-range positions are clamped as the protocol asks: a character past
    /// the end of its line means the end of the line; a line past the end means the end of the text.
    /// </summary>
    public static int ToOffset(SourceText text, Position position)
    {
        if (position.Line < 0) return 0;
        if (position.Line >= text.Lines.Count) return text.Length;
        var line = text.Lines[position.Line];
        return line.Start + Math.Clamp(position.Character, 0, line.End - line.Start);
    }

    /// <summary>True when the position names a line of the text (the character may still be clamped).</summary>
    public static bool IsInRange(SourceText text, Position position) =>
        position.Line >= 0 && position.Line < text.Lines.Count && position.Character >= 0;

    public static Position ToPosition(SourceText text, int offset)
    {
        var line = text.Lines.GetLineFromPosition(Math.Clamp(offset, 0, text.Length));
        return new Position(line.LineNumber, offset - line.Start);
    }
}
