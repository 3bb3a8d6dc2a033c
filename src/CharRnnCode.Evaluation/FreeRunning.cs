// Free-running samples, measured as the seed looked at them: does what the model writes parse, does it use
// names that exist, are its brackets balanced. A sample is cut at its last line end where brace depth is back
// to zero before it is parsed as a compilation unit (so a sample that simply stops inside a method does not
// count as broken); a sample that starts inside a block (it closes braces it never opened) is first cut after
// its last unmatched `}` line. Errors and undefined names are counted per 1,000 characters of the whole
// sample, leaving out errors that are only the sample ending too soon. The corpus's language decides the scorer
// (Roslyn for C#, libclang for C: see CorpusLanguage) and its lexer the braces, brackets and names; given the
// training split's names, each sample also says how many of its names are invented (InventedNames).
// It does not generate text itself: callers pass a sampler (a checkpoint, the model being trained, a baseline).
using System.Text.Json.Serialization;
using CharRnnCode.Common;
using CharRnnCode.Scoring;

namespace CharRnnCode.Evaluation;

/// <summary>Writes <paramref name="count"/> samples of <paramref name="length"/> characters at a temperature.</summary>
public delegate IReadOnlyList<string> Sampler(int count, int length, double temperature, long seed);

public sealed record FreeRunningOptions
{
    public int SamplesPerTemperature { get; init; } = 24;
    public int SampleLength { get; init; } = 1000;
    public IReadOnlyList<double> Temperatures { get; init; } = [0.2, 0.5, 0.8, 1.0, 1.2];
    public long Seed { get; init; } = 1;
}

/// <summary>One sample: the region [<see cref="RegionStart"/>, <see cref="RegionEnd"/>) is what is parsed for
/// the parse rate; <see cref="ParsesToEnd"/>: from the region's start to the sample's end, no syntax error
/// but the ones its cut-off end explains. <see cref="UndefinedNames"/>: null where the scorer cannot tell (C).</summary>
public sealed record SampleAnalysis
{
    public double Temperature { get; init; }
    public string Text { get; init; } = "";
    public int RegionStart { get; init; }
    public int RegionEnd { get; init; }
    public bool Parses { get; init; }
    public bool ParsesToEnd { get; init; }
    public int RealSyntaxErrors { get; init; }
    public IReadOnlyList<SyntaxIssue> SyntaxErrors { get; init; } = [];
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public IReadOnlyList<NameIssue>? UndefinedNames { get; init; }
    public bool BracketsBalanced { get; init; }
    public int BracketMismatches { get; init; }
    /// <summary>Its names against the training split's; null when no training split was given.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public NameInvention? Invention { get; init; }
}

/// <param name="UndefinedPer1000">null (and left out of report.json) where the scorer cannot tell undefined names (C)</param>
/// <param name="CommonUndefinedNames">null where the scorer cannot tell undefined names (C)</param>
public sealed record TemperatureSummary(
    double Temperature, int Samples, double ParseRate, double ParseToEndRate, double SyntaxErrorsPer1000,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? UndefinedPer1000,
    double BracketBalanceRate, double CutShare,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? CommonUndefinedNames)
{
    /// <summary>The parse rate with its 95 % bootstrap interval over the samples.</summary>
    public Estimate ParseRateInterval { get; init; } = new(ParseRate, ParseRate, ParseRate);

    /// <summary>Share of the samples' distinct names (counted once per sample) that the training split never uses; null when not measured.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? InventedDistinctShare { get; init; }
    /// <summary>Share of the samples' name tokens that are uses of such names; null when not measured.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? InventedOccurrenceShare { get; init; }
    /// <summary>The invented names most samples use, with the number of samples: "kfreeze (3)".</summary>
    public IReadOnlyList<string> CommonInventedNames { get; init; } = [];
}

public sealed record FreeRunningResult(IReadOnlyList<TemperatureSummary> Temperatures, IReadOnlyList<SampleAnalysis> Samples);

public static class FreeRunning
{
    /// <param name="knownNames">the training split's names, to count invented ones; null leaves them unmeasured</param>
    public static FreeRunningResult Evaluate(Sampler sampler, FreeRunningOptions options, ICodeScorer scorer,
        IProgress<(double Temperature, int Done, int Total)>? progress = null, CancellationToken cancellationToken = default, KnownNames? knownNames = null)
    {
        var analyses = new List<SampleAnalysis>();
        var summaries = new List<TemperatureSummary>();
        var total = options.Temperatures.Count * options.SamplesPerTemperature;
        foreach (var (temperature, index) in options.Temperatures.Select((t, i) => (t, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var samples = sampler(options.SamplesPerTemperature, options.SampleLength, temperature, options.Seed + index);
            var these = new List<SampleAnalysis>();
            foreach (var sample in samples)
            {
                cancellationToken.ThrowIfCancellationRequested();
                these.Add(Analyze(sample, temperature, scorer, knownNames));
                progress?.Report((temperature, analyses.Count + these.Count, total));
            }
            analyses.AddRange(these);
            summaries.Add(Summarize(temperature, these));
        }
        return new FreeRunningResult(summaries, analyses);
    }

    public static TemperatureSummary Summarize(double temperature, IReadOnlyList<SampleAnalysis> samples)
    {
        var chars = Math.Max(1, samples.Sum(sample => sample.Text.Length));
        double Share(Func<SampleAnalysis, bool> test) => samples.Count == 0 ? 0 : samples.Count(test) / (double)samples.Count;
        var undefinedMeasured = samples.All(sample => sample.UndefinedNames is not null);
        var inventions = samples.Select(sample => sample.Invention).OfType<NameInvention>().ToList();
        var inventionMeasured = samples.Count > 0 && inventions.Count == samples.Count;
        static double Ratio(int part, int whole) => whole == 0 ? 0 : part / (double)whole;
        return new TemperatureSummary(
            temperature, samples.Count,
            ParseRate: Share(sample => sample.Parses),
            ParseToEndRate: Share(sample => sample.ParsesToEnd),
            SyntaxErrorsPer1000: 1000.0 * samples.Sum(sample => sample.RealSyntaxErrors) / chars,
            UndefinedPer1000: undefinedMeasured ? 1000.0 * samples.Sum(sample => sample.UndefinedNames!.Count) / chars : null,
            BracketBalanceRate: Share(sample => sample.BracketsBalanced),
            CutShare: samples.Sum(sample => sample.RegionEnd - sample.RegionStart) / (double)chars,
            CommonUndefinedNames: undefinedMeasured ? MostFrequent(samples.SelectMany(sample => sample.UndefinedNames!.Select(name => name.Name))) : null)
        {
            ParseRateInterval = Bootstrap.Mean([.. samples.Select(sample => sample.Parses ? 1.0 : 0.0)], seed: 1),
            InventedDistinctShare = inventionMeasured ? Ratio(inventions.Sum(i => i.DistinctInvented), inventions.Sum(i => i.Distinct)) : null,
            InventedOccurrenceShare = inventionMeasured ? Ratio(inventions.Sum(i => i.OccurrencesInvented), inventions.Sum(i => i.Occurrences)) : null,
            CommonInventedNames = MostFrequent(inventions.SelectMany(invention => invention.Invented)),
        };
    }

    private static List<string> MostFrequent(IEnumerable<string> names) =>
        [.. names.GroupBy(name => name, StringComparer.Ordinal).OrderByDescending(group => group.Count()).ThenBy(group => group.Key, StringComparer.Ordinal)
            .Take(8).Select(group => $"{group.Key} ({group.Count()})")];

    public static SampleAnalysis Analyze(string sample, double temperature, ICodeScorer scorer, KnownNames? knownNames = null)
    {
        var tokens = scorer.Tokens(sample);
        var (start, end) = BalancedRegion(sample, tokens);
        var parses = end > start && !string.IsNullOrWhiteSpace(sample[start..end]) && scorer.ParseErrors(sample[start..end]).Count == 0;
        var parsesToEnd = !string.IsNullOrWhiteSpace(sample[start..]) && scorer.ParseErrors(sample[start..]).All(issue => issue.OnlyCutOffAtEnd);
        var whole = scorer.Score(sample);
        var (balanced, mismatches) = Brackets(tokens);
        return new SampleAnalysis
        {
            Temperature = temperature,
            Text = sample,
            RegionStart = start,
            RegionEnd = end,
            Parses = parses,
            ParsesToEnd = parsesToEnd,
            RealSyntaxErrors = whole.RealSyntaxErrorCount,
            SyntaxErrors = whole.SyntaxErrors,
            UndefinedNames = scorer.ReportsUndefinedNames ? whole.UndefinedIdentifierIssues : null,
            BracketsBalanced = balanced,
            BracketMismatches = mismatches,
            Invention = knownNames?.Measure(sample, scorer.Identifiers(sample)),
        };
    }

    /// <summary>The part of a C# sample that is parsed (see the overload over tokens).</summary>
    public static (int Start, int End) BalancedRegion(string text) => BalancedRegion(text, CSharpScorer.Lex(text));

    /// <summary>The part of a sample that is parsed: from the line after its last unmatched `}` (0 when every `}`
    /// closes a `{` of the sample) to its last line end where brace depth has just returned to zero, that is, the
    /// line's last token is a `}` or `;` at depth zero (braces in strings and comments do not count; a line that
    /// only opens a declaration, `class B`, is not a place to cut). Empty (End &lt;= Start) when there is none.
    /// <paramref name="tokens"/>: the text's tokens by the language's lexer.</summary>
    public static (int Start, int End) BalancedRegion(string text, IReadOnlyList<CodeToken> tokens)
    {
        var braces = new BracketDepth(BracketKinds.Braces);
        var (start, end) = (0, 0);
        var last = "";
        var next = 0;
        for (var i = 0; i < text.Length; i++)
        {
            for (; next < tokens.Count && tokens[next].Start <= i; next++)
            {
                if (tokens[next].Start != i) continue;
                last = tokens[next].Kind == CodeTokenKind.Punctuation ? tokens[next].Text : "";
                if (braces.Read(last))
                {
                    // The sample began inside a block: what came before cannot parse on its own.
                    var lineEnd = text.IndexOf('\n', i);
                    start = end = lineEnd < 0 ? text.Length : lineEnd + 1;
                    last = "";
                }
            }
            if (text[i] == '\n' && i >= start && braces.Depth == 0 && last is "}" or ";" && !InsideToken(tokens, next, i))
                end = i + 1;
        }
        return (start, end);
    }

    // A line end inside a verbatim or raw string is not a line end of the code.
    private static bool InsideToken(IReadOnlyList<CodeToken> tokens, int next, int position) =>
        next > 0 && tokens[next - 1].Start <= position && position < tokens[next - 1].End;

    /// <summary>Brackets of a C# text (see the overload over tokens).</summary>
    public static (bool Balanced, int Mismatches) Brackets(string text) => Brackets(CSharpScorer.Lex(text));

    /// <summary>Whether every closing bracket closes the innermost open one ((), [], {}; unclosed at the end is
    /// fine: the sample was cut), and how many did not.</summary>
    public static (bool Balanced, int Mismatches) Brackets(IReadOnlyList<CodeToken> tokens)
    {
        var open = new OpenBrackets();
        var mismatches = 0;
        foreach (var token in tokens.Where(token => token.Kind == CodeTokenKind.Punctuation))
            if (!open.Read(token.Text)) mismatches++;
        return (mismatches == 0, mismatches);
    }

    /// <summary>A sampler over any character model: each sample continues <paramref name="prime"/>, constrained by <paramref name="allowed"/> when given.</summary>
    public static Sampler From(ICharModel model, string prime = "\n", Func<string, Func<char, bool>?>? allowed = null) =>
        (count, length, temperature, seed) => [.. model.Continue(prime, new ContinuationRequest(count, length, temperature, Seed: seed, Allowed: allowed))
            .Select(continuation => continuation.Text)];

    /// <summary>Constrained decoding for samples that start a new file: Roslyn's view of an empty C# file (the reference assemblies' namespaces and types, the keywords).</summary>
    public static Func<string, Func<char, bool>?> ConstrainedFromEmptyFile() =>
        new DecodingConstraint(new CompletionScorer().Prepare("<sample>.cs", "", 0)).Allowed;
}
