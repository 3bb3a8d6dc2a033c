// The replay's figures for one user over all lines, with 95 % bootstrap intervals over lines: keystrokes saved
// (1 - keystrokes / characters), suggestions shown, acceptance rate, the share shown that was of no use, characters
// kept per acceptance, first-token accuracy and characters kept at line starts, latency p50 and p95; and the paired
// comparisons a reader asks for (ghost text over IntelliSense, what ghost text adds to IntelliSense). It computes
// from outcomes; it types nothing.
using System.Text.Json.Serialization;
using CharRnnCode.Common;

namespace CharRnnCode.Typing;

public sealed record TypingFigures(
    [property: JsonPropertyName("lines")] int Lines,
    [property: JsonPropertyName("characters")] int Characters,
    [property: JsonPropertyName("keystrokes")] int Keystrokes,
    [property: JsonPropertyName("keystrokesSaved")] double KeystrokesSaved,
    [property: JsonPropertyName("keystrokesSavedInterval")] Estimate KeystrokesSavedInterval,
    [property: JsonPropertyName("suggestionsShown")] int SuggestionsShown,
    [property: JsonPropertyName("acceptRate")] double AcceptRate,
    [property: JsonPropertyName("acceptRateInterval")] Estimate AcceptRateInterval,
    [property: JsonPropertyName("wrongShownShare")] double WrongShownShare,
    [property: JsonPropertyName("wrongShownShareInterval")] Estimate WrongShownShareInterval,
    [property: JsonPropertyName("charsPerAcceptance")] double CharsPerAcceptance,
    [property: JsonPropertyName("charsPerAcceptanceInterval")] Estimate CharsPerAcceptanceInterval,
    [property: JsonPropertyName("firstTokenAccuracy")] double FirstTokenAccuracy,
    [property: JsonPropertyName("firstTokenAccuracyInterval")] Estimate FirstTokenAccuracyInterval,
    [property: JsonPropertyName("charsKeptPerLineStart")] double CharsKeptPerLineStart,
    [property: JsonPropertyName("latencyP50Ms")] double LatencyP50Ms,
    [property: JsonPropertyName("latencyP95Ms")] double LatencyP95Ms)
{
    /// <summary>The share of shown suggestions that were filler (a constant condition or comparison; Filler).</summary>
    [JsonPropertyName("fillerShownShare")]
    public Estimate FillerShownShare { get; init; } = new(0, 0, 0);

    public static TypingFigures Of(IReadOnlyList<TypedLineOutcome> lines, long seed)
    {
        double[] Of(Func<TypedLineOutcome, double> value) => [.. lines.Select(value)];
        var characters = Of(l => l.Characters);
        var keys = Of(l => l.Keys);
        var shown = Of(l => l.Shown);
        var accepted = Of(l => l.Accepted);
        var saved = Bootstrap.Interval(lines.Count, indices =>
        {
            var total = indices.Sum(i => characters[i]);
            return total == 0 ? 0 : 1 - indices.Sum(i => keys[i]) / total;
        }, seed);
        var acceptRate = Bootstrap.Ratio(accepted, shown, seed);
        var wrong = Bootstrap.Ratio(Of(l => l.NoUse), shown, seed);
        var perAcceptance = Bootstrap.Ratio(Of(l => l.AcceptedChars), accepted, seed);
        var firstToken = Bootstrap.Mean(Of(l => l.FirstTokenRight ? 1 : 0), seed);
        var latencies = lines.SelectMany(l => l.LatenciesMs).Order().ToArray();
        return new TypingFigures(lines.Count, (int)characters.Sum(), (int)keys.Sum(), saved.Value, saved, (int)shown.Sum(), acceptRate.Value, acceptRate,
            wrong.Value, wrong, perAcceptance.Value, perAcceptance, firstToken.Value, firstToken, lines.Count == 0 ? 0 : lines.Average(l => l.LineStartKept),
            Percentile(latencies, 0.50), Percentile(latencies, 0.95))
        {
            FillerShownShare = Bootstrap.Ratio(Of(l => l.Filler), shown, seed),
        };
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}

/// <summary>The three users on the same lines, and the paired differences between them.</summary>
/// <param name="GhostOverIntelliSense">keystrokes saved with ghost text alone divided by those saved with IntelliSense alone</param>
/// <param name="CombinedGain">keystrokes saved by the combined user minus by IntelliSense alone, in points, paired over lines: what ghost text adds to an editor that already has IntelliSense</param>
public sealed record TypingReport(
    [property: JsonPropertyName("ghostText")] TypingFigures? GhostText,
    [property: JsonPropertyName("intellisense")] TypingFigures? IntelliSense,
    [property: JsonPropertyName("combined")] TypingFigures? Combined,
    [property: JsonPropertyName("ghostOverIntelliSense")] double? GhostOverIntelliSense,
    [property: JsonPropertyName("combinedGain")] Estimate? CombinedGain)
{
    public static TypingReport Of(IReadOnlyList<TypedLineOutcome> outcomes, long seed)
    {
        List<TypedLineOutcome> For(TypingUser user) => [.. outcomes.Where(o => o.User == user)];
        var ghost = For(TypingUser.GhostText);
        var list = For(TypingUser.IntelliSense);
        var both = For(TypingUser.Combined);
        TypingFigures? Figures(List<TypedLineOutcome> lines) => lines.Count == 0 ? null : TypingFigures.Of(lines, seed);
        var (g, i, c) = (Figures(ghost), Figures(list), Figures(both));
        Estimate? gain = null;
        if (both.Count > 0 && both.Count == list.Count)
            gain = Bootstrap.Interval(both.Count, indices =>
            {
                var total = indices.Sum(k => (double)both[k].Characters);
                return total == 0 ? 0 : (indices.Sum(k => (double)list[k].Keys) - indices.Sum(k => (double)both[k].Keys)) / total;
            }, seed);
        return new TypingReport(g, i, c, g is null || i is null || i.KeystrokesSaved == 0 ? null : g.KeystrokesSaved / i.KeystrokesSaved, gain);
    }
}

/// <summary>The ghost-text user's figures at one setting of the gate (minConfidence) and the stop rule (stopAgreement).</summary>
/// <param name="IsDefault">the setting the server uses when none is given</param>
public sealed record TypingSweepPoint(double MinConfidence, double StopAgreement, bool IsDefault, TypingFigures Figures);

/// <summary>One setting of the gate and the stop rule (CompletionOptions.MinConfidence, StopAgreement).</summary>
public sealed record GateSetting(double MinConfidence, double StopAgreement);
