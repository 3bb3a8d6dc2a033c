// The typing replay: each chosen line starts emptied to its indentation and the simulated user writes it keystroke by
// keystroke, asking for ghost text after every keystroke (an automatic request, awaited before the next keystroke), as
// three users: one with ghost text alone, one with the completion list alone (IntelliSense), one with both, taking
// whichever saves more at each point. A suggestion is one ghost text from when it is shown until it is replaced by one
// that is not its continuation (typing through it, or taking part of it, keeps it the same suggestion); it is accepted
// when any of it is taken with Tab or Ctrl+Right, and of no use when not even its first word is what the user writes.
// It owns no model and no server: the ghost text comes from an IGhostTextSource.
using System.Diagnostics;
using Microsoft.CodeAnalysis.CSharp;

namespace CharRnnCode.Typing;

/// <summary>Where ghost text comes from: the language server over LSP, or the completion pipeline in process.</summary>
public interface IGhostTextSource
{
    /// <summary>The editor's text of <paramref name="path"/> is now <paramref name="text"/> (the first call opens it).</summary>
    Task SetTextAsync(string path, string text);

    /// <summary>The ghost text an automatic request at <paramref name="caret"/> shows, "" for none.</summary>
    Task<string> RequestAsync(string path, int caret);
}

public enum TypingUser
{
    /// <summary>Ghost text alone.</summary>
    GhostText,
    /// <summary>The completion list alone: what every C# editor has.</summary>
    IntelliSense,
    /// <summary>Both shown; the user takes whichever saves more at each point.</summary>
    Combined,
}

/// <summary>One line as one user wrote it.</summary>
/// <param name="Keys">keystrokes spent on the line</param>
/// <param name="Shown">suggestions shown (ghost text; for the IntelliSense user, list openings with a selection)</param>
/// <param name="Accepted">shown suggestions of which something was taken</param>
/// <param name="NoUse">shown suggestions whose first word (the list's selected item) was never what the user wrote</param>
/// <param name="AcceptedChars">characters that came from accepted suggestions</param>
/// <param name="LatenciesMs">each ghost-text request (for the IntelliSense user: each list opened and filtered)</param>
/// <param name="FirstTokenRight">the ghost text at the line's start began with the line's first token</param>
/// <param name="LineStartKept">characters the user kept of the suggestion shown at the line's start</param>
public sealed record TypedLineOutcome(TypingUser User, int Characters, int Keys, int Shown, int Accepted, int NoUse, int AcceptedChars,
    IReadOnlyList<double> LatenciesMs, bool FirstTokenRight, int LineStartKept, IReadOnlyList<string> Actions)
{
    /// <summary>Shown ghost texts that were filler (Filler: a constant condition or comparison).</summary>
    public int Filler { get; init; }
}

public sealed class TypingReplay(IGhostTextSource? ghost, IntelliSensePeer? intelliSense)
{
    /// <summary>The users this replay can play: ghost text needs a source, the list needs the peer.</summary>
    public IReadOnlyList<TypingUser> Users =>
    [
        .. ghost is null ? Array.Empty<TypingUser>() : [TypingUser.GhostText],
        .. intelliSense is null ? Array.Empty<TypingUser>() : [TypingUser.IntelliSense],
        .. ghost is null || intelliSense is null ? Array.Empty<TypingUser>() : [TypingUser.Combined],
    ];

    /// <summary>One line, written by one user, in the file whose text on disk is <paramref name="fileText"/>.</summary>
    public async Task<TypedLineOutcome> TypeAsync(TypingLine line, string fileText, TypingUser user)
    {
        var usesGhost = user != TypingUser.IntelliSense;
        var usesList = user != TypingUser.GhostText;
        if (usesGhost && ghost is null) throw new InvalidOperationException("ghost text needs a source");
        if (usesList && intelliSense is null) throw new InvalidOperationException("the completion list needs the IntelliSense peer");

        var text = line.Emptied(fileText);
        var caret = line.Start;
        var written = 0;
        var keys = 0;
        var latencies = new List<double>();
        var actions = new List<string>();
        var suggestions = new SuggestionTally();
        var lists = new SuggestionTally();
        OpenList? list = null;
        var firstTokenRight = false;
        var lineStartKept = 0;
        var lineStartSuggestion = -1;
        Keystrokes? last = null;
        var previousGhost = "";
        var filler = 0;

        if (usesGhost) await ghost!.SetTextAsync(line.Path, text);
        if (usesList) intelliSense!.SetText(line.Path, text);
        while (written < line.Text.Length)
        {
            var rest = line.Text[written..];
            var shownGhost = "";
            if (usesGhost)
            {
                var clock = Stopwatch.StartNew();
                shownGhost = await ghost!.RequestAsync(line.Path, caret);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                var continues = last is not null && previousGhost.Length > last.Inserted.Length && shownGhost.Length > 0
                                && previousGhost.StartsWith(last.Inserted, StringComparison.Ordinal)
                                && previousGhost[last.Inserted.Length..] == shownGhost;
                if (shownGhost.Length == 0) suggestions.End();
                else if (!continues)
                {
                    suggestions.Start(SimulatedUser.FirstWordMatches(rest, shownGhost));
                    if (Filler.IsFiller(line.Text[..written], shownGhost)) filler++;
                }
                if (written == 0)
                {
                    firstTokenRight = shownGhost.Length > 0 && FirstToken(shownGhost) == FirstToken(line.Text);
                    lineStartSuggestion = shownGhost.Length > 0 ? suggestions.Count - 1 : -1;
                }
                previousGhost = shownGhost;
            }

            ListSelection? selection = null;
            if (usesList)
            {
                var clock = Stopwatch.StartNew();
                if (last is { Action: TypingAction.Type } && (last.Inserted[0] == '.' || SimulatedUser.IsIdentifierChar(last.Inserted[0])))
                {
                    // A list stays open while the user types the identifier it opened for; a `.` or a new identifier opens another.
                    if (list is null || last.Inserted[0] == '.' || caret - 1 < list.SpanStart)
                    {
                        lists.End();
                        list = await intelliSense!.OpenAsync(line.Path, caret, last.Inserted[0]);
                        if (list is not null) lists.Start(false);
                    }
                    if (list is not null) selection = intelliSense!.Selected(list, text, caret);
                }
                else
                {
                    list = null;
                    lists.End();
                }
                if (selection is not null)
                {
                    var remaining = SimulatedUser.LeadingIdentifier(rest);
                    if (remaining.Length > 0 && selection.ItemText == selection.TypedPrefix + remaining) lists.MarkUsable();
                }
                if (list is not null && user == TypingUser.IntelliSense) latencies.Add(clock.Elapsed.TotalMilliseconds);
            }

            var step = SimulatedUser.Next(rest, shownGhost, selection);
            switch (step.Action)
            {
                case TypingAction.AcceptGhost or TypingAction.AcceptGhostWords:
                    suggestions.Accept(step.Inserted.Length);
                    if (suggestions.Count - 1 == lineStartSuggestion) lineStartKept += step.Inserted.Length;
                    break;
                case TypingAction.CommitListItem:
                    lists.Accept(step.Inserted.Length);
                    list = null;
                    lists.End();
                    break;
            }
            actions.Add(step.Action == TypingAction.Type ? step.Inserted : $"[{step.Action}:{step.Inserted}]");
            text = text.Insert(caret, step.Inserted);
            caret += step.Inserted.Length;
            written += step.Inserted.Length;
            keys += step.Keys;
            last = step;
            if (usesGhost) await ghost!.SetTextAsync(line.Path, text);
            if (usesList) intelliSense!.SetText(line.Path, text);
        }
        suggestions.End();
        lists.End();
        // The line is written: its file goes back to its text on disk for the next line.
        if (usesGhost) await ghost!.SetTextAsync(line.Path, fileText);
        if (usesList) intelliSense!.SetText(line.Path, fileText);

        var tally = user == TypingUser.IntelliSense ? lists : suggestions;
        return new TypedLineOutcome(user, line.Text.Length, keys, tally.Count, tally.AcceptedCount, tally.NoUseCount, tally.AcceptedChars,
            latencies, firstTokenRight, lineStartKept, actions)
        { Filler = user == TypingUser.IntelliSense ? 0 : filler };
    }

    /// <summary>The first C# token of a text (a word, a literal or an operator), "" when it holds none.</summary>
    public static string FirstToken(string text)
    {
        var token = SyntaxFactory.ParseToken(text.TrimStart());
        return token.Text;
    }

    /// <summary>The suggestions of one line: each started, then accepted or not, usable or not.</summary>
    private sealed class SuggestionTally
    {
        private bool _open;
        private bool _accepted;
        private bool _usable;

        public int Count { get; private set; }
        public int AcceptedCount { get; private set; }
        public int NoUseCount { get; private set; }
        public int AcceptedChars { get; private set; }

        public void Start(bool usable)
        {
            End();
            _open = true;
            _accepted = false;
            _usable = usable;
            Count++;
        }

        public void MarkUsable() => _usable |= _open;

        public void Accept(int chars)
        {
            if (!_open) return;
            if (!_accepted) AcceptedCount++;
            _accepted = true;
            _usable = true;
            AcceptedChars += chars;
        }

        public void End()
        {
            if (_open && !_usable) NoUseCount++;
            _open = false;
        }
    }
}
