// The one ranking of completion candidates, with scores written by hand: the order follows the stated
// formula (log p per character minus 1.0 per syntax error and 0.5 per undefined name), and a scored
// candidate without code never wins over one with code.
namespace CharRnnCode.Scoring.Tests;

public sealed class CandidateRankingTests
{
    private static CompletionScore Clean => new(0, []);

    [Fact]
    public void Penalties_order_scored_candidates()
    {
        var ranked = CandidateRanking.Rank(
        [
            new RankingInput("Foo(x);", -0.2, new CompletionScore(1, [])),        // -1.2
            new RankingInput("Bar(y);", -0.9, Clean),                              // -0.9
            new RankingInput("Baz(z);", -0.3, new CompletionScore(0, ["z"])),      // -0.8
        ]);
        Assert.Equal(["Baz(z);", "Bar(y);", "Foo(x);"], ranked.Select(item => item.Text));
        Assert.Equal([-0.8, -0.9, -1.2], ranked.Select(item => Math.Round(item.Score, 6)));
    }

    [Fact]
    public void A_scored_candidate_without_code_ranks_after_every_candidate_with_code()
    {
        var ranked = CandidateRanking.Rank(
        [
            new RankingInput("/// <summary>", -0.1, Clean),
            new RankingInput("#endregion", -0.2, Clean),
            new RankingInput("x = y +;", -0.5, new CompletionScore(2, ["y"])),   // -3.0, but code
        ]);
        Assert.Equal(["x = y +;", "/// <summary>", "#endregion"], ranked.Select(item => item.Text));
    }

    [Fact]
    public void Without_roslyn_the_likelihood_alone_orders_comments_included()
    {
        var ranked = CandidateRanking.Rank(
        [
            new RankingInput("x = 1;", -0.5, null),
            new RankingInput("// note", -0.1, null),
            new RankingInput("y = 2;", -0.5, null),
        ]);
        Assert.Equal(["// note", "x = 1;", "y = 2;"], ranked.Select(item => item.Text));
    }

    [Theory]
    [InlineData("x", true)]
    [InlineData("}", true)]
    [InlineData("return; // done", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("// a comment", false)]
    [InlineData("/* a */", false)]
    [InlineData("/// <summary>", false)]
    [InlineData("#endregion", false)]
    public void Has_code_is_any_token_beyond_whitespace_comments_and_directives(string text, bool expected) =>
        Assert.Equal(expected, CandidateRanking.HasCode(text));
}
