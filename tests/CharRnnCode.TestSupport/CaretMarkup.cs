// Test documents written with the caret marked in place, one convention for every test project:
// "var x = {|caret:|}" is the text "var x = " with the caret at offset 8. It also gives the caret's line
// and column as editors count them (UTF-16 units, lines split at \n). It does not know LSP types.
namespace CharRnnCode.TestSupport;

/// <param name="Text">the document without the marker</param>
/// <param name="Offset">where the marker stood, in UTF-16 units from the start of <paramref name="Text"/></param>
public sealed record CaretMarkup(string Text, int Offset)
{
    public const string Marker = "{|caret:|}";

    /// <summary>The document and caret of <paramref name="marked"/>, which must hold exactly one <see cref="Marker"/>.</summary>
    public static CaretMarkup Parse(string marked)
    {
        var offset = marked.IndexOf(Marker, StringComparison.Ordinal);
        if (offset < 0 || marked.IndexOf(Marker, offset + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"The snippet must contain exactly one {Marker}.", nameof(marked));
        return new CaretMarkup(marked.Remove(offset, Marker.Length), offset);
    }

    /// <summary>The caret's zero-based line and column.</summary>
    public (int Line, int Character) LineAndCharacter => LineAndCharacterOf(Text, Offset);

    /// <summary>The zero-based line and column of <paramref name="offset"/> in <paramref name="text"/>.</summary>
    public static (int Line, int Character) LineAndCharacterOf(string text, int offset)
    {
        var line = 0;
        var lineStart = 0;
        for (var i = 0; i < offset; i++)
        {
            if (text[i] == '\n') { line++; lineStart = i + 1; }
        }
        return (line, offset - lineStart);
    }
}
