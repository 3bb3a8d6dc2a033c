// How deep a text is in brackets as it is read left to right, one character (or one lexer token) at a
// time, and where it closes a bracket it never opened: what the editor rules, the server's stop rule, the
// free-running cut and the C header guesses ask of code. BracketDepth counts without matching kinds;
// OpenBrackets matches them (a closer closes the innermost open bracket only when it is of its kind:
// the free-running balance and the decoding constraint's guards); MatchingOpener scans backwards from a
// closer to its opener (the decoding constraint's receivers). Strings and comments are the caller's
// concern: feed a lexer's punctuation tokens, or skip them, where they must not count.
namespace CharRnnCode.Scoring;

/// <summary>Which brackets a <see cref="BracketDepth"/> counts.</summary>
public enum BracketKinds
{
    /// <summary>Only { and }: blocks.</summary>
    Braces,
    /// <summary>( [ { open and ) ] } close, all at one depth.</summary>
    All,
    /// <summary>Only ( and ): argument lists, conditions, casts.</summary>
    Parentheses,
}

/// <summary>
/// The bracket depth of what has been read so far. A closer with nothing open is reported by
/// <see cref="Read(char)"/> and leaves the depth at zero, so reading can go on after it.
/// </summary>
public struct BracketDepth(BracketKinds kinds)
{
    public int Depth { get; private set; }

    /// <summary>Reads one character; true when it closes a bracket the text read so far never opened.</summary>
    public bool Read(char c)
    {
        if (IsOpener(c)) { Depth++; return false; }
        if (!IsCloser(c)) return false;
        if (Depth == 0) return true;
        Depth--;
        return false;
    }

    /// <summary>Reads one lexer token: it counts when it is a single bracket character.</summary>
    public bool Read(string token) => token.Length == 1 && Read(token[0]);

    private readonly bool IsOpener(char c) => kinds switch
    {
        BracketKinds.Braces => c == '{',
        BracketKinds.Parentheses => c == '(',
        _ => c is '(' or '[' or '{',
    };

    private readonly bool IsCloser(char c) => kinds switch
    {
        BracketKinds.Braces => c == '}',
        BracketKinds.Parentheses => c == ')',
        _ => c is ')' or ']' or '}',
    };

    /// <summary>
    /// The index of the opener that the closer at <paramref name="closer"/> closes, read backwards and counting
    /// only the closer's own kind: ) ( and ] [, and &gt; &lt; for type arguments. -1 when the text starts first
    /// or <paramref name="closer"/> is not one of those closers.
    /// </summary>
    public static int MatchingOpener(string text, int closer)
    {
        var opener = text[closer] switch { ')' => '(', ']' => '[', '>' => '<', _ => '\0' };
        if (opener == '\0') return -1;
        var depth = 0;
        for (var i = closer; i >= 0; i--)
        {
            if (text[i] == text[closer]) depth++;
            else if (text[i] == opener && --depth == 0) return i;
        }
        return -1;
    }
}

/// <summary>
/// The brackets ( [ { still open in what has been read so far, innermost last, kinds matched: a closer closes the
/// innermost open bracket when it is of its kind; otherwise it is a mismatch and closes nothing.
/// </summary>
public sealed class OpenBrackets
{
    private readonly List<(char Bracket, int At)> _open = [];

    /// <summary>The open brackets, outermost first, with the position each was read at.</summary>
    public IReadOnlyList<(char Bracket, int At)> Open => _open;

    /// <summary>The innermost open bracket; '\0' when none is open.</summary>
    public char Innermost => _open.Count == 0 ? '\0' : _open[^1].Bracket;

    /// <summary>Reads one character read at <paramref name="at"/>; false when it is a closer that does not match the innermost open bracket.</summary>
    public bool Read(char c, int at = 0)
    {
        if (c is '(' or '[' or '{') { _open.Add((c, at)); return true; }
        var opener = c switch { ')' => '(', ']' => '[', '}' => '{', _ => '\0' };
        if (opener == '\0') return true;
        if (Innermost != opener) return false;
        _open.RemoveAt(_open.Count - 1);
        return true;
    }

    /// <summary>Reads one lexer token: it counts when it is a single bracket character.</summary>
    public bool Read(string token, int at = 0) => token.Length != 1 || Read(token[0], at);
}
