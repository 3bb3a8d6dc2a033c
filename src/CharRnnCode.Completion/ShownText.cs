// What an automatic completion shows, and whether it shows anything: the K candidates are samples of what the model
// would write here, so the share of them (by how many were generated as each text) that begin with a text estimates
// how sure the model is of it. Confidence is that share for the best candidate's first token (its text up to the end
// of its first word, `.Count` or `return`); the shown text is the best candidate cut at the last word boundary where
// the share still reaches the stop threshold, never shorter than that first token. A completion with nothing a user
// would not type anyway (no letter, digit or quote: a lone `)` or `});`) is held back, and so is one whose confidence
// is below the gate. Manual requests bypass all of it (the pipeline does not call it for them). It ranks nothing.
using System.Text.RegularExpressions;

namespace CharRnnCode.Completion;

/// <param name="Text">what to show ("" when held back)</param>
/// <param name="Confidence">share of the candidates that begin with the best candidate's first token</param>
/// <param name="HeldBack">why nothing is shown, or null</param>
public sealed record ShownDecision(string Text, double Confidence, string? HeldBack);

public static partial class ShownText
{
    /// <param name="ranked">the candidates, best first, each with how many generated candidates became it</param>
    /// <param name="minConfidence">below this confidence nothing is shown</param>
    /// <param name="stopAgreement">the shown text ends where fewer than this share of the candidates still agree with it (0: never cut)</param>
    public static ShownDecision Decide(IReadOnlyList<RankedCandidate> ranked, double minConfidence, double stopAgreement)
    {
        if (ranked.Count == 0) return new ShownDecision("", 0, "no candidate");
        var best = ranked[0].Text;
        var ends = WordEnds(best);
        var firstToken = FirstTokenEnd(best, ends);
        var confidence = Confidence(ranked);
        var shownEnd = firstToken;
        foreach (var end in ends)
            if (end > shownEnd && Agreement(ranked, best[..end]) >= stopAgreement) shownEnd = end;
            else if (end > shownEnd) break;
        var shown = best[..shownEnd];
        if (!HasCode(shown)) return new ShownDecision("", confidence, "nothing a user would not type anyway");
        if (confidence < minConfidence)
            return new ShownDecision("", confidence, FormattableString.Invariant($"low confidence ({confidence:0.00} < {minConfidence:0.00})"));
        return new ShownDecision(shown, confidence, null);
    }

    /// <summary>The share of the candidates that begin with the best one's first token (0 when there is none).</summary>
    public static double Confidence(IReadOnlyList<RankedCandidate> ranked)
    {
        if (ranked.Count == 0) return 0;
        var best = ranked[0].Text;
        return Agreement(ranked, best[..FirstTokenEnd(best, WordEnds(best))]);
    }

    /// <summary>The share of the candidates, counted by how many were generated as each, that begin with <paramref name="prefix"/>.</summary>
    public static double Agreement(IReadOnlyList<RankedCandidate> ranked, string prefix)
    {
        double all = 0, agreeing = 0;
        foreach (var candidate in ranked)
        {
            all += candidate.Count;
            if (candidate.Text.StartsWith(prefix, StringComparison.Ordinal)) agreeing += candidate.Count;
        }
        return all == 0 ? 0 : agreeing / all;
    }

    /// <summary>Where each word of <paramref name="text"/> ends: blanks, then a run of word characters or a run of other characters.</summary>
    public static List<int> WordEnds(string text)
    {
        var ends = new List<int>();
        for (var match = Word().Match(text); match.Success && match.Length > 0; match = match.NextMatch()) ends.Add(match.Index + match.Length);
        if (ends.Count == 0 || ends[^1] != text.Length) ends.Add(text.Length);
        return ends;
    }

    /// <summary>A letter, a digit or a quote: something the user would not type anyway as the editor closes brackets.</summary>
    public static bool HasCode(string text) => text.Any(c => char.IsLetterOrDigit(c) || c is '"' or '\'');

    /// <summary>The end of the first word that holds a letter, digit or quote (the whole text when none does).</summary>
    private static int FirstTokenEnd(string text, List<int> ends)
    {
        foreach (var end in ends)
            if (HasCode(text[..end])) return end;
        return text.Length;
    }

    [GeneratedRegex(@"\G\s*(?:[\p{L}\p{Nd}_]+|[^\p{L}\p{Nd}_\s]+)")]
    private static partial Regex Word();
}
