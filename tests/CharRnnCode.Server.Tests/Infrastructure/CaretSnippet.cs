// Test documents written with the caret marked in place: "var x = {|caret:|}" is the text without the
// marker and the LSP position where it stood. Lines are counted in UTF-16 units, as LSP counts them.
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed record CaretSnippet(string Text, int Offset, Position Position)
{
    public const string Marker = "{|caret:|}";

    public static CaretSnippet Parse(string marked)
    {
        var offset = marked.IndexOf(Marker, StringComparison.Ordinal);
        if (offset < 0 || marked.IndexOf(Marker, offset + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"The snippet must contain exactly one {Marker}.", nameof(marked));
        var text = marked.Remove(offset, Marker.Length);
        return new CaretSnippet(text, offset, PositionOf(text, offset));
    }

    public static Position PositionOf(string text, int offset)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        }
        return new Position(line, offset - lineStart);
    }
}
