// The one ranking of completion candidates, shared by the language server (what the editor shows) and every
// "re-ranked" row of `charrnn eval` (what the report claims about the editor): the model's log-probability per
// generated character minus fixed penalties for what Roslyn says each candidate breaks. A candidate without
// code (a comment, a directive) has nothing for those penalties to judge, so among scored candidates it ranks
// after every one with code: otherwise the ranking would reward writing nothing. It does not score
// candidates itself (CompletionScorer does) and its weights are not tuned to any corpus.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
namespace CharRnnCode.Scoring;

/// <summary>A candidate as the ranking sees it: its text, the model's log-probability per generated character
/// and, when Roslyn scored it, what it introduces.</summary>
public sealed record RankingInput(string Text, double LogProbabilityPerChar, CompletionScore? Roslyn);

/// <summary>A candidate with the parts of its score and the score itself.</summary>
public sealed record RankedItem(string Text, double LogProbabilityPerChar, int SyntaxErrorsIntroduced,
    IReadOnlyList<string> UndefinedIdentifiers, double Score, int InputIndex);

public static class CandidateRanking
{
    /// <summary>Nats per character taken off for each syntax error a candidate introduces.</summary>
    public const double SyntaxErrorWeight = 1.0;
    /// <summary>Nats per character taken off for each undefined identifier a candidate introduces.</summary>
    public const double UndefinedIdentifierWeight = 0.5;

    /// <summary>The formula in words, for reports.</summary>
    public static string Formula =>
        FormattableString.Invariant($"score = log p per character - {SyntaxErrorWeight:0.0#} x syntax errors introduced - {UndefinedIdentifierWeight:0.0#} x undefined identifiers introduced; ") +
        "candidates without code after those with code";

    /// <summary>The model's log-probability of a candidate per character it generated (a stopping line end included);
    /// an empty generation is 0 characters long and counts as one, so that its score is its log-probability.</summary>
    public static double PerCharacter(double logProbability, int generatedCharacters) => logProbability / Math.Max(1, generatedCharacters);

    /// <summary>Whether a candidate can be shown at all: the editor never offers one that is only whitespace
    /// (the server's editor rules drop it before ranking), so the ranking never sees it.</summary>
    public static bool IsShowable(string text) => text.Trim().Length > 0;

    /// <summary>Whether a completion holds a C# token: whitespace, comments and directives alone are not code.</summary>
    public static bool HasCode(string? text) =>
        text is not null && SyntaxFactory.ParseTokens(text, options: CSharpScorer.ParseOptions).Any(token => !token.IsKind(SyntaxKind.EndOfFileToken));

    public static double Score(double logProbabilityPerChar, int syntaxErrorsIntroduced, int undefinedIdentifiersIntroduced) =>
        logProbabilityPerChar - SyntaxErrorWeight * Math.Max(0, syntaxErrorsIntroduced) - UndefinedIdentifierWeight * undefinedIdentifiersIntroduced;

    /// <summary>Best first. Roslyn's penalties apply to a candidate only when it carries a score, and only then does
    /// a candidate without code go after those with code; ties keep the input order (a stable sort), so the same
    /// candidates in the same order always give the same winner.</summary>
    public static List<RankedItem> Rank(IReadOnlyList<RankingInput> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        return [.. candidates
            .Select((candidate, index) =>
            {
                var errors = Math.Max(0, candidate.Roslyn?.SyntaxErrorsIntroduced ?? 0);
                var undefined = candidate.Roslyn?.UndefinedIdentifiersIntroduced ?? [];
                var judged = candidate.Roslyn is null || HasCode(candidate.Text);
                return (Judged: judged, Item: new RankedItem(candidate.Text, candidate.LogProbabilityPerChar, errors, undefined,
                    Score(candidate.LogProbabilityPerChar, errors, undefined.Count), index));
            })
            .OrderByDescending(pair => pair.Judged)
            .ThenByDescending(pair => pair.Item.Score)
            .ThenBy(pair => pair.Item.InputIndex)
            .Select(pair => pair.Item)];
    }
}
