// What the simulated user does at one point of a line: press Tab to take the whole ghost text when the rest of the
// line starts with it; else take it word by word (Ctrl+Right, one keystroke a word) while the words match, if that
// saves keystrokes; press Tab on the completion list's selected item when it completes the identifier being typed
// exactly; else type the next character. Where several save keystrokes, the one that saves most wins. It decides;
// it asks nothing of a model, a server or Roslyn.
using System.Text.RegularExpressions;

namespace CharRnnCode.Typing;

public enum TypingAction
{
    /// <summary>One character typed.</summary>
    Type,
    /// <summary>Tab on the whole ghost text.</summary>
    AcceptGhost,
    /// <summary>Ctrl+Right, once per word, on the leading words of the ghost text.</summary>
    AcceptGhostWords,
    /// <summary>Tab on the completion list's selected item.</summary>
    CommitListItem,
}

/// <summary>One decision: the text it puts into the line and what it cost in keystrokes.</summary>
public sealed record Keystrokes(TypingAction Action, string Inserted, int Keys)
{
    public int Saved => Inserted.Length - Keys;
}

/// <summary>The completion list's selected item, and what of the identifier it replaces was typed already.</summary>
/// <param name="TypedPrefix">the identifier's characters before the caret that the item replaces</param>
public sealed record ListSelection(string ItemText, string TypedPrefix);

public static partial class SimulatedUser
{
    /// <param name="rest">what the user still has to write on this line</param>
    /// <param name="ghost">the ghost text at the caret, "" for none</param>
    /// <param name="list">the completion list's selection, null when no list is open</param>
    public static Keystrokes Next(string rest, string ghost, ListSelection? list)
    {
        if (rest.Length == 0) throw new ArgumentException("the line is already written", nameof(rest));
        var best = new Keystrokes(TypingAction.Type, rest[..1], 1);
        foreach (var option in new[] { AcceptGhost(rest, ghost), AcceptWords(rest, ghost), Commit(rest, list) })
            if (option is not null && option.Saved > best.Saved) best = option;
        return best;
    }

    /// <summary>The ghost text split as Ctrl+Right takes it: blanks, then a run of word characters or a run of other characters.</summary>
    public static List<string> Words(string ghost)
    {
        var words = new List<string>();
        for (var at = 0; at < ghost.Length;)
        {
            var match = Word().Match(ghost, at);
            var length = match.Success && match.Index == at ? match.Length : ghost.Length - at; // blanks alone at the end
            words.Add(ghost.Substring(at, length));
            at += length;
        }
        return words;
    }

    /// <summary>The identifier that continues at the start of <paramref name="text"/> ("" when none does).</summary>
    public static string LeadingIdentifier(string text)
    {
        var length = 0;
        while (length < text.Length && IsIdentifierChar(text[length])) length++;
        return text[..length];
    }

    public static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Whether the first word of the ghost text is what the user goes on to write: else none of it could be used.</summary>
    public static bool FirstWordMatches(string rest, string ghost) =>
        ghost.Length > 0 && rest.StartsWith(Words(ghost)[0], StringComparison.Ordinal);

    private static Keystrokes? AcceptGhost(string rest, string ghost) =>
        ghost.Length > 0 && rest.StartsWith(ghost, StringComparison.Ordinal) ? new Keystrokes(TypingAction.AcceptGhost, ghost, 1) : null;

    private static Keystrokes? AcceptWords(string rest, string ghost)
    {
        var taken = 0;
        var words = 0;
        foreach (var word in Words(ghost))
        {
            if (string.CompareOrdinal(rest, taken, word, 0, word.Length) != 0 || taken + word.Length > rest.Length) break;
            taken += word.Length;
            words++;
        }
        return words == 0 ? null : new Keystrokes(TypingAction.AcceptGhostWords, rest[..taken], words);
    }

    private static Keystrokes? Commit(string rest, ListSelection? list)
    {
        if (list is null) return null;
        var remaining = LeadingIdentifier(rest);
        return remaining.Length > 0 && list.ItemText == list.TypedPrefix + remaining
            ? new Keystrokes(TypingAction.CommitListItem, remaining, 1)
            : null;
    }

    [GeneratedRegex(@"\s*(?:[\p{L}\p{Nd}_]+|[^\p{L}\p{Nd}_\s]+)")]
    private static partial Regex Word();
}
