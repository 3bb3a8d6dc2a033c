// Invented names on hand-written training texts and samples, C# (Roslyn's lexer) and C (clang's): the shares of
// distinct names and of uses that the training text never has, with strings, comments, keywords and a name cut
// at the sample's end left out; and the per-temperature summary over several samples.
using CharRnnCode.Scoring;

namespace CharRnnCode.Evaluation.Tests;

public sealed class InventedNamesTests
{
    private const string CSharpTraining = "class Counter { int total; void Add(int value) { total += value; } }\n";

    [Fact]
    public void A_csharp_sample_counts_names_the_training_text_never_uses()
    {
        var scorer = new CSharpScorer();
        var known = KnownNames.From([CSharpTraining], scorer);
        Assert.Equal(4, known.Count); // Counter, total, Add, value

        const string sample = "class Counter { int totals; void Add(int value) { totals += value; Log(\"total\"); } }\n";
        // Names: Counter, totals, Add, value, totals, value, Log; invented: totals (twice) and Log.
        Assert.Equal(new NameInvention(Distinct: 5, DistinctInvented: 2, Occurrences: 7, OccurrencesInvented: 3, Invented: ["totals", "Log"]),
            known.Measure(sample, scorer.Identifiers(sample)), new InventionComparer());
    }

    [Fact]
    public void A_name_cut_by_the_end_of_the_sample_and_contextual_keywords_are_left_out()
    {
        var scorer = new CSharpScorer();
        var known = KnownNames.From([CSharpTraining], scorer);
        const string sample = "var count = tot";
        Assert.Equal(new NameInvention(1, 1, 1, 1, ["count"]), known.Measure(sample, scorer.Identifiers(sample)), new InventionComparer());
    }

    [Fact]
    public void A_c_sample_is_read_with_clangs_lexer()
    {
        using var scorer = new CScorer();
        var known = KnownNames.From(["static int total;\nint add(int value) { total += value; return total; }\n"], scorer);
        const string sample = "int add(int value) { totl += value; /* total */ return printk(\"%d\", totl); }\n";
        // Names: add, value, totl, value, printk, totl; invented: totl (twice) and printk.
        Assert.Equal(new NameInvention(4, 2, 6, 3, ["totl", "printk"]), known.Measure(sample, scorer.Identifiers(sample)), new InventionComparer());
    }

    [Fact]
    public void The_summary_gives_both_shares_over_the_samples_of_a_temperature()
    {
        var scorer = new CSharpScorer();
        var known = KnownNames.From([CSharpTraining], scorer);
        string[] samples = ["class Counter { int totals; void Add(int value) { totals += value; Log(\"total\"); } }\n", "var count = tot"];
        var result = FreeRunning.Evaluate((count, length, temperature, seed) => samples,
            new FreeRunningOptions { Temperatures = [0.8], SamplesPerTemperature = 2, SampleLength = 100 }, scorer, knownNames: known);
        var summary = Assert.Single(result.Temperatures);
        // Distinct: (2 + 1) of (5 + 1); uses: (3 + 1) of (7 + 1).
        Assert.Equal(0.5, summary.InventedDistinctShare);
        Assert.Equal(0.5, summary.InventedOccurrenceShare);
        Assert.Equal(["Log (1)", "count (1)", "totals (1)"], summary.CommonInventedNames); // ordinal order among equals

        var unmeasured = FreeRunning.Evaluate((count, length, temperature, seed) => samples,
            new FreeRunningOptions { Temperatures = [0.8], SamplesPerTemperature = 2, SampleLength = 100 }, scorer);
        Assert.Null(unmeasured.Temperatures[0].InventedDistinctShare);
    }

    private sealed class InventionComparer : IEqualityComparer<NameInvention>
    {
        public bool Equals(NameInvention? x, NameInvention? y) => x is not null && y is not null
            && (x.Distinct, x.DistinctInvented, x.Occurrences, x.OccurrencesInvented) == (y.Distinct, y.DistinctInvented, y.Occurrences, y.OccurrencesInvented)
            && x.Invented.SequenceEqual(y.Invented);

        public int GetHashCode(NameInvention obj) => obj.Distinct;
    }
}
