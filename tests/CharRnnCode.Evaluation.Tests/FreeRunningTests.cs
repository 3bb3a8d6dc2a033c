// Free-running metrics on fixed samples: where a sample is cut, what parses, bracket balance, and the
// per-temperature summary computed from them.
using CharRnnCode.Scoring;

namespace CharRnnCode.Evaluation.Tests;

public sealed class FreeRunningTests
{
    private const string Good = "using System;\nclass A\n{\n    void M() { Console.WriteLine(1); }\n}\nclass B\n{\n    int x;\n";
    private const string Inventive = "class C\n{\n    void M() { total = count + 1; }\n}\n";
    private const string Broken = "class D\n{\n    void M() { int = ; }\n}\n";

    [Fact]
    public void A_sample_is_cut_at_its_last_line_end_with_brace_depth_zero()
    {
        Assert.Equal((0, Good.IndexOf("class B", StringComparison.Ordinal)), FreeRunning.BalancedRegion(Good));
        Assert.Equal((0, 0), FreeRunning.BalancedRegion("class A\n{\n    int x;\n"));
        Assert.Equal((0, 0), FreeRunning.BalancedRegion("class A\n"));
        Assert.Equal((0, "x;\nvar s = \"{\"; // }\n".Length), FreeRunning.BalancedRegion("x;\nvar s = \"{\"; // }\nclass E {\n"));
    }

    [Fact]
    public void A_sample_that_starts_inside_a_block_is_cut_after_its_last_unmatched_brace()
    {
        const string sample = "        return x;\n    }\n}\n\nclass F\n{\n    int y;\n}\nclass G\n{\n";
        var start = sample.IndexOf("\nclass F", StringComparison.Ordinal);
        Assert.Equal((start, sample.IndexOf("class G", StringComparison.Ordinal)), FreeRunning.BalancedRegion(sample));
        var analysis = FreeRunning.Analyze(sample, 1.0, new CSharpScorer());
        Assert.True(analysis.Parses);
        Assert.True(analysis.ParsesToEnd);
    }

    [Fact]
    public void Brackets_balance_unless_one_closes_the_wrong_bracket()
    {
        Assert.Equal((true, 0), FreeRunning.Brackets("if (a[0] == f(b)) { g(\")\"); "));
        Assert.Equal((false, 2), FreeRunning.Brackets("f(a]; }"));
    }

    [Fact]
    public void Summaries_count_parses_errors_and_undefined_names_per_thousand_characters()
    {
        var samples = new[] { Good, Inventive, Broken };
        var result = FreeRunning.Evaluate((count, length, temperature, seed) => samples, new FreeRunningOptions
        {
            Temperatures = [0.5],
            SamplesPerTemperature = 3,
            SampleLength = 100,
        }, new CSharpScorer());

        Assert.Equal([true, true, false], result.Samples.Select(s => s.Parses));
        Assert.Equal([true, true, false], result.Samples.Select(s => s.ParsesToEnd));
        Assert.Equal(["total", "count"], result.Samples[1].UndefinedNames!.Select(n => n.Name));
        var chars = samples.Sum(s => s.Length);
        var summary = Assert.Single(result.Temperatures);
        Assert.Equal(0.5, summary.Temperature);
        Assert.Equal(2.0 / 3, summary.ParseRate, 12);
        Assert.Equal(1000.0 * 2 / chars, summary.UndefinedPer1000!.Value, 12);
        Assert.Equal(1000.0 * result.Samples[2].RealSyntaxErrors / chars, summary.SyntaxErrorsPer1000, 12);
        Assert.True(result.Samples[2].RealSyntaxErrors > 0);
        Assert.Equal(0, result.Samples[0].RealSyntaxErrors); // only the cut-off `}` at its end
        Assert.Equal(["count (1)", "total (1)"], summary.CommonUndefinedNames);
    }
}
