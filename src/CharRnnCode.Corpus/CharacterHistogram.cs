// Counts the characters (Unicode scalar values) of UTF-8 text as it streams past: an array for ASCII,
// which is nearly all of code, and a dictionary for the rest.
using System.Text;

namespace CharRnnCode.Corpus;

public sealed class CharacterHistogram
{
    private readonly long[] _ascii = new long[128];
    private readonly Dictionary<int, long> _other = [];

    /// <summary>Counts valid UTF-8 <paramref name="utf8"/>; returns its length in UTF-16 chars (what C# strings count).</summary>
    public long Add(ReadOnlySpan<byte> utf8)
    {
        long chars = 0;
        var i = 0;
        while (i < utf8.Length)
        {
            var b = utf8[i];
            if (b < 0x80)
            {
                _ascii[b]++;
                chars++;
                i++;
                continue;
            }
            Rune.DecodeFromUtf8(utf8[i..], out var rune, out var consumed);
            _other[rune.Value] = _other.GetValueOrDefault(rune.Value) + 1;
            chars += rune.Utf16SequenceLength;
            i += consumed;
        }
        return chars;
    }

    /// <summary>Every character seen with its count, in ordinal order of the character.</summary>
    public SortedDictionary<string, long> ToSortedDictionary()
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var c = 0; c < _ascii.Length; c++)
            if (_ascii[c] > 0) result[((char)c).ToString()] = _ascii[c];
        foreach (var (value, count) in _other) result[new Rune(value).ToString()] = count;
        return result;
    }
}
