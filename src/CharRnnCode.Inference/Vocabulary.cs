// The character vocabulary: every distinct character of the training split, in ordinal order, after
// one reserved id (0) for characters never seen in training. It does not normalise text (no case
// folding, no Unicode normalisation): a code model must see exactly what the files contain.
namespace CharRnnCode.Inference;

public sealed class Vocabulary
{
    private readonly char[] _characters;                  // id -> character; id 0 is the unknown slot
    private readonly Dictionary<char, int> _ids;

    public const char UnknownCharacter = '\uFFFD';

    private Vocabulary(char[] characters)
    {
        _characters = characters;
        _ids = new Dictionary<char, int>(characters.Length);
        for (var id = 1; id < characters.Length; id++) _ids[characters[id]] = id;
    }

    public int Size => _characters.Length;
    public int UnknownId => 0;

    /// <summary>The known characters in id order (without the unknown slot).</summary>
    public IReadOnlyList<char> Characters => _characters[1..];

    public int Encode(char character) => _ids.TryGetValue(character, out var id) ? id : UnknownId;

    public char Decode(int id) => id > 0 && id < _characters.Length ? _characters[id] : UnknownCharacter;

    public int[] Encode(ReadOnlySpan<char> text)
    {
        var ids = new int[text.Length];
        for (var i = 0; i < text.Length; i++) ids[i] = Encode(text[i]);
        return ids;
    }

    public static Vocabulary Build(ReadOnlySpan<char> trainingText)
    {
        var seen = new HashSet<char>();
        foreach (var character in trainingText) seen.Add(character);
        return FromCharacters(seen);
    }

    public static Vocabulary FromCharacters(IEnumerable<char> characters)
    {
        var known = characters.Distinct().Order().ToList();
        return new Vocabulary([UnknownCharacter, .. known]);
    }

    /// <summary>The fraction of <paramref name="text"/>'s characters the vocabulary knows (1 for empty text).</summary>
    public double Coverage(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return 1;
        var known = 0;
        foreach (var character in text) if (_ids.ContainsKey(character)) known++;
        return (double)known / text.Length;
    }

    /// <summary>The known characters as one string, for storage in a checkpoint.</summary>
    public string Serialize() => new(_characters, 1, _characters.Length - 1);

    public static Vocabulary Deserialize(string characters) => new([UnknownCharacter, .. characters]);
}
