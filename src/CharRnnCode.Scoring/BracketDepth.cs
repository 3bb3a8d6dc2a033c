// How deep a text is in brackets as it is read left to right, one character (or one lexer token) at a
// time, and where it closes a bracket it never opened: what the editor rules, the server's stop rule and
// the free-running cut all ask of generated code. It counts every bracket it is given: strings and
// comments are the caller's concern (feed it a lexer's punctuation tokens where they must not count), and
// bracket kinds are not matched against each other (FreeRunning.Brackets and DecodingConstraint do that).
namespace CharRnnCode.Scoring;

/// <summary>Which brackets a <see cref="BracketDepth"/> counts.</summary>
public enum BracketKinds
{
    /// <summary>Only { and }: blocks.</summary>
    Braces,
    /// <summary>( [ { open and ) ] } close, all at one depth.</summary>
    All,
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

    private readonly bool IsOpener(char c) => kinds == BracketKinds.Braces ? c == '{' : c is '(' or '[' or '{';

    private readonly bool IsCloser(char c) => kinds == BracketKinds.Braces ? c == '}' : c is ')' or ']' or '}';
}
