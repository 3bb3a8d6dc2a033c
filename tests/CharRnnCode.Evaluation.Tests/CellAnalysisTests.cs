// Syntactic facts per character from Roslyn's tree, and the ranking of cells against them.
namespace CharRnnCode.Evaluation.Tests;

public sealed class CellAnalysisTests
{
    [Fact]
    public void Every_character_is_labelled_with_its_syntactic_facts()
    {
        const string text = "if (a == \"x\") { b(); } // c\n";
        var facts = SyntacticFacts.Label(text);
        string Row(string fact) => string.Concat(facts[fact].Select(v => v.ToString("0")));
        Assert.Equal("0000000001110000000000000000", Row(SyntacticFacts.InString));
        Assert.Equal("0000000000000000000000011110", Row(SyntacticFacts.InComment));
        Assert.Equal("0000111111110000000000000000", Row(SyntacticFacts.InIfCondition));
        Assert.Equal("0000000000000011111110000000", Row(SyntacticFacts.BraceDepth));
        Assert.Equal("0001111111110000010000000000", Row(SyntacticFacts.InParentheses));
        Assert.Equal("0000100000000000100000000000", Row(SyntacticFacts.IdentifierStart));
    }

    [Fact]
    public void Cells_are_ranked_by_how_closely_they_track_a_fact()
    {
        double[] fact = [0, 0, 1, 1, 0, 1];
        var activations = new float[6, 3];
        for (var t = 0; t < 6; t++)
        {
            activations[t, 0] = (float)fact[t] * 2 - 1;          // tracks it exactly
            activations[t, 1] = t;                               // unrelated trend
            activations[t, 2] = 1 - (float)fact[t] * 0.5f;       // tracks it by switching off
        }
        var ranked = CellAnalysis.Rank([activations], new Dictionary<string, double[]> { ["f"] = fact }, top: 2);
        Assert.Equal([("f", 0, 0, 1.0), ("f", 0, 2, -1.0)], ranked.Select(r => (r.Fact, r.Layer, r.Cell, Math.Round(r.Correlation, 9))));
    }
}
