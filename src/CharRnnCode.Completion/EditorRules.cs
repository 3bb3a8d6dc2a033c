// The rules good completion tools follow about where and how much to complete, applied before and
// after generation: how many lines a completion may span, when an automatic request is declined,
// which part of the line an item replaces so closing brackets are not doubled, and which candidates
// to drop (empty, or repeating the next line). Pure text rules on the document: no model, no Roslyn.
using CharRnnCode.Scoring;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Completion;

/// <summary>What the rules decided for one request before generation.</summary>
/// <param name="Declined">Why no completion is offered here, or null.</param>
/// <param name="MaxLines">1 for single-line completions.</param>
/// <param name="Suffix">The rest of the line after the caret when it is only closers (the item replaces it), else "".</param>
/// <param name="NextLine">The next non-blank line, trimmed: a candidate equal to it is dropped.</param>
public sealed record CompletionPlan(string? Declined, int MaxLines, string Suffix, string? NextLine);

public static class EditorRules
{
    /// <summary>An automatic request is declined when more than this much (other than closers) follows the caret.</summary>
    public const int MaxSuffixForAutomatic = 10;

    private const string Closers = ")]}>;,\"'";

    public static CompletionPlan Plan(SourceText text, int caret, bool automatic, int maxLines)
    {
        var line = text.Lines.GetLineFromPosition(caret);
        var before = text.ToString(TextSpan.FromBounds(line.Start, caret));
        var after = text.ToString(TextSpan.FromBounds(caret, line.End));
        var nextLine = NextNonBlankLine(text, line.LineNumber);

        var closersOnly = after.All(c => char.IsWhiteSpace(c) || Closers.Contains(c));
        if (!closersOnly && automatic && after.Trim().Length > MaxSuffixForAutomatic)
            return new CompletionPlan("the caret is in the middle of a long line", 1, "", nextLine);

        var lines = 1;
        if (!InLineComment(before) && after.Trim().Length == 0 && AtBlockStartOrEnd(text, line, before, nextLine))
            lines = Math.Max(1, maxLines);
        return new CompletionPlan(null, lines, closersOnly ? after : "", nextLine);
    }

    /// <summary>
    /// A generated candidate shaped by the plan: cut to its lines, trailing blanks removed, cut where
    /// it would close the enclosing block (that brace is already in the document), then merged with the
    /// closing suffix so that closers the candidate already wrote are not written twice. Null: dropped.
    /// </summary>
    public static string? Shape(string generated, CompletionPlan plan, string linePrefix)
    {
        var lines = generated.Replace("\r", "").Split('\n');
        var kept = new List<string>();
        var braces = new BracketDepth(BracketKinds.Braces);
        foreach (var candidateLine in lines.Take(plan.MaxLines))
        {
            var closesBlock = false;
            foreach (var c in candidateLine)
                if (braces.Read(c)) { closesBlock = true; break; }
            if (closesBlock && kept.Count > 0) break;
            kept.Add(candidateLine.TrimEnd());
            if (closesBlock) break;
        }
        // A multi-line candidate ending in blank lines ends where its text ends.
        while (kept.Count > 1 && kept[^1].Length == 0) kept.RemoveAt(kept.Count - 1);
        var text = string.Join("\n", kept);
        if (text.Trim().Length == 0) return null;
        if (plan.NextLine is { Length: > 0 } next && (linePrefix + kept[0]).Trim() == next) return null;
        return plan.Suffix.Length == 0 ? text : MergeSuffix(text, plan.Suffix);
    }

    /// <summary>
    /// Appends the part of <paramref name="suffix"/> the candidate does not already contain: a closer in
    /// the candidate that closes nothing the candidate opened is taken to be the suffix's, in order.
    /// "Foo(x" + ");" gives "Foo(x);", "x);" + ")" gives "x);", "a(b)" + ")" gives "a(b))".
    /// </summary>
    public static string MergeSuffix(string candidate, string suffix)
    {
        var wanted = suffix.Where(c => !char.IsWhiteSpace(c)).ToArray();
        var matched = 0;
        var brackets = new BracketDepth(BracketKinds.All);
        foreach (var c in candidate)
        {
            if (matched < wanted.Length && brackets.Depth == 0 && c == wanted[matched]) { matched++; continue; }
            brackets.Read(c);
        }
        if (matched == wanted.Length) return candidate;
        // Keep the suffix's own spacing from the first closer the candidate did not supply.
        var seen = 0;
        for (var i = 0; i < suffix.Length; i++)
        {
            if (char.IsWhiteSpace(suffix[i])) continue;
            if (seen++ == matched) return candidate + suffix[i..].TrimEnd();
        }
        return candidate;
    }

    /// <summary>
    /// A candidate that generation cut short (time budget or length) ended at its last token boundary: a
    /// trailing run of identifier or number characters may be the first half of a name, so it goes.
    /// "Assert.AreEqual (1, tim" gives "Assert.AreEqual (1, ". A candidate that stopped by itself keeps
    /// its text: it ends at a line break or a closing brace.
    /// </summary>
    public static string CutAtTokenBoundary(string generated)
    {
        var end = generated.Length;
        while (end > 0 && IsWordCharacter(generated[end - 1])) end--;
        return generated[..end];
    }

    /// <summary>Whether a candidate cut now would leave anything to show: one whole token after shaping.</summary>
    public static bool HasWholeToken(string generated, CompletionPlan plan, string linePrefix) =>
        Shape(CutAtTokenBoundary(generated), plan, linePrefix) is not null;

    private static bool IsWordCharacter(char c) => char.IsLetterOrDigit(c) || c == '_';

    /// <summary>Whether the document indents with tabs here: the line's own indentation, or the nearest non-blank line's above.</summary>
    public static bool IndentsWithTabs(SourceText text, int lineNumber)
    {
        for (var number = lineNumber; number >= 0 && number > lineNumber - 50; number--)
        {
            var line = text.Lines[number].ToString();
            if (line.Length == 0) continue;
            if (line[0] == '\t') return true;
            if (line[0] == ' ') return false;
        }
        return false;
    }

    /// <summary>The completion's indentation (after its first line) written with tabs: every <paramref name="width"/> leading spaces become one tab.</summary>
    public static string SpacesToTabs(string completion, int width)
    {
        var lines = completion.Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            var spaces = lines[i].Length - lines[i].TrimStart(' ').Length;
            lines[i] = new string('\t', spaces / width) + new string(' ', spaces % width) + lines[i][spaces..];
        }
        return string.Join('\n', lines);
    }

    /// <summary>Whether the caret's line, up to the caret, is inside a // comment (strings and chars skipped).</summary>
    public static bool InLineComment(string linePrefix)
    {
        var quote = '\0';
        for (var i = 0; i < linePrefix.Length; i++)
        {
            var c = linePrefix[i];
            if (quote != '\0')
            {
                if (c == '\\') i++;
                else if (c == quote) quote = '\0';
                continue;
            }
            if (c is '"' or '\'') quote = c;
            else if (c == '/' && i + 1 < linePrefix.Length && linePrefix[i + 1] == '/') return true;
        }
        return false;
    }

    /// <summary>
    /// Multi-line completions are offered at the start of a block (after an opening brace, or on an
    /// empty line right after one) and at its end (an empty line right before the closing brace).
    /// </summary>
    private static bool AtBlockStartOrEnd(SourceText text, TextLine line, string before, string? nextLine)
    {
        var trimmed = before.Trim();
        if (trimmed.EndsWith('{')) return true;
        if (trimmed.Length > 0) return false;
        if (nextLine is not null && nextLine.StartsWith('}')) return true;
        for (var number = line.LineNumber - 1; number >= 0; number--)
        {
            var previous = text.Lines[number].ToString().Trim();
            if (previous.Length > 0) return previous.EndsWith('{');
        }
        return false;
    }

    private static string? NextNonBlankLine(SourceText text, int lineNumber)
    {
        // Bounded look-ahead: a file of blank lines must not make a request slow.
        for (var number = lineNumber + 1; number < text.Lines.Count && number <= lineNumber + 20; number++)
        {
            var content = text.Lines[number].ToString().Trim();
            if (content.Length > 0) return content;
        }
        return null;
    }
}
