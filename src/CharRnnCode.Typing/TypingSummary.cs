// The replay's figures for one user over all lines, with 95 % bootstrap intervals over lines: keystrokes saved
// (1 - keystrokes / characters), suggestions shown, acceptance rate, the share shown that was of no use, characters
// kept per acceptance, first-token accuracy and characters kept at line starts, latency p50 and p95; and the paired
// comparisons a reader asks for (ghost text over IntelliSense, what ghost text adds to IntelliSense). It computes
// from outcomes; it types nothing.
using System.Text.Json.Serialization;
using CharRnnCode.Common;

namespace CharRnnCode.Typing;

/// <summary>
/// What a simulated user's typing came to; every figure is named where it is set (an object initializer). A figure
/// with an interval is that interval's value, so the two cannot disagree.
/// </summary>
public sealed record TypingFigures
{
    [JsonPropertyName("lines")]
    public int Lines { get; init; }

    [JsonPropertyName("characters")]
    public int Characters { get; init; }

    [JsonPropertyName("keystrokes")]
    public int Keystrokes { get; init; }

    [JsonPropertyName("keystrokesSaved")]
    public double KeystrokesSaved => KeystrokesSavedInterval.Value;

    [JsonPropertyName("keystrokesSavedInterval")]
    public Estimate KeystrokesSavedInterval { get; init; } = new(0, 0, 0);

    [JsonPropertyName("suggestionsShown")]
    public int SuggestionsShown { get; init; }

    [JsonPropertyName("acceptRate")]
    public double AcceptRate => AcceptRateInterval.Value;

    [JsonPropertyName("acceptRateInterval")]
    public Estimate AcceptRateInterval { get; init; } = new(0, 0, 0);

    [JsonPropertyName("wrongShownShare")]
    public double WrongShownShare => WrongShownShareInterval.Value;

    [JsonPropertyName("wrongShownShareInterval")]
    public Estimate WrongShownShareInterval { get; init; } = new(0, 0, 0);

    [JsonPropertyName("charsPerAcceptance")]
    public double CharsPerAcceptance => CharsPerAcceptanceInterval.Value;

    [JsonPropertyName("charsPerAcceptanceInterval")]
    public Estimate CharsPerAcceptanceInterval { get; init; } = new(0, 0, 0);

    [JsonPropertyName("firstTokenAccuracy")]
    public double FirstTokenAccuracy => FirstTokenAccuracyInterval.Value;

    [JsonPropertyName("firstTokenAccuracyInterval")]
    public Estimate FirstTokenAccuracyInterval { get; init; } = new(0, 0, 0);

    [JsonPropertyName("charsKeptPerLineStart")]
    public double CharsKeptPerLineStart { get; init; }

    [JsonPropertyName("latencyP50Ms")]
    public double LatencyP50Ms { get; init; }

    [JsonPropertyName("latencyP95Ms")]
    public double LatencyP95Ms { get; init; }

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
        return new TypingFigures
        {
            Lines = lines.Count,
            Characters = (int)characters.Sum(),
            Keystrokes = (int)keys.Sum(),
            KeystrokesSavedInterval = saved,
            SuggestionsShown = (int)shown.Sum(),
            AcceptRateInterval = acceptRate,
            WrongShownShareInterval = wrong,
            CharsPerAcceptanceInterval = perAcceptance,
            FirstTokenAccuracyInterval = firstToken,
            CharsKeptPerLineStart = lines.Count == 0 ? 0 : lines.Average(l => l.LineStartKept),
            LatencyP50Ms = Percentile(latencies, 0.50),
            LatencyP95Ms = Percentile(latencies, 0.95),
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
