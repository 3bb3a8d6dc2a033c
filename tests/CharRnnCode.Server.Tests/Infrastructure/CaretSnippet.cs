// Test documents written with the caret marked in place (CaretMarkup's "{|caret:|}", shared with the other
// test projects), with the caret as the LSP position the server is asked at.

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed record CaretSnippet(string Text, int Offset, Position Position)
{
    public static CaretSnippet Parse(string marked)
    {
        var (text, offset) = CaretMarkup.Parse(marked);
        return new CaretSnippet(text, offset, PositionOf(text, offset));
    }

    /// <summary>The LSP position of <paramref name="offset"/>: lines and characters counted in UTF-16 units, as LSP counts them.</summary>
    public static Position PositionOf(string text, int offset)
    {
        var (line, character) = CaretMarkup.LineAndCharacterOf(text, offset);
        return new Position(line, character);
    }
}
