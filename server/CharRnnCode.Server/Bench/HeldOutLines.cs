// What the held-out benchmarks (first-request, lines) do to a line of a file the model never trained on:
// empty it down to its indentation, remember what it said, and put the caret there; and the one test of
// whether a completion holds code. It picks no lines itself (FirstRequestBenchmark.Positions does).
using CharRnnCode.Scoring;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Bench;

/// <summary>A file with one line emptied to its indentation: the text to open, the caret (LSP position and offset), and the line's own text, trimmed.</summary>
public sealed record EmptiedLine(string Document, Position Caret, int Offset, string Expected);

public static class HeldOutLines
{
    public static EmptiedLine Empty(string text, int lineNumber)
    {
        var lines = text.Split('\n');
        var line = lines[lineNumber];
        var indent = line.Length - line.TrimStart().Length;
        var expected = line[indent..].TrimEnd();
        lines[lineNumber] = line[..indent];
        var offset = lines.Take(lineNumber).Sum(l => l.Length + 1) + indent;
        return new EmptiedLine(string.Join('\n', lines), new Position(lineNumber, indent), offset, expected);
    }

    /// <summary>Whether a completion holds a token that is neither whitespace nor a comment: an empty or comment-only one does not.</summary>
    public static bool HasCode(string? completion) => CandidateRanking.HasCode(completion);
}
