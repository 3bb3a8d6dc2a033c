// The bracket-depth scanner on hand-written texts: the depth after each text and the index of the first
// closer with nothing open, for blocks only and for every bracket kind.
using CharRnnCode.Scoring;

namespace CharRnnCode.Scoring.Tests;

public sealed class BracketDepthTests
{
    /// <summary>Reads the whole text; returns the final depth and the index of the first closer with nothing open (-1: none).</summary>
    private static (int Depth, int FirstUnopened) Scan(string text, BracketKinds kinds)
    {
        var scanner = new BracketDepth(kinds);
        var first = -1;
        for (var i = 0; i < text.Length; i++)
            if (scanner.Read(text[i]) && first < 0) first = i;
        return (scanner.Depth, first);
    }

    [Theory]
    [InlineData("", 0, -1)]
    [InlineData("x = 1;", 0, -1)]
    [InlineData("if (a) {", 1, -1)]
    [InlineData("{ { }", 1, -1)]
    [InlineData("{ }\n}", 0, 4)]
    [InlineData("} x {", 1, 0)]                  // the depth stays at zero after the unopened closer
    [InlineData("f(a[0]) {", 1, -1)]             // parentheses and square brackets are not blocks
    [InlineData("s = \"{\";", 1, -1)]            // a brace in a string counts: strings are the caller's
    [InlineData("// }", 0, 3)]                   // and so are comments
    public void Braces_count_only_blocks(string text, int depth, int firstUnopened) =>
        Assert.Equal((depth, firstUnopened), Scan(text, BracketKinds.Braces));

    [Theory]
    [InlineData("Foo(x", 1, -1)]
    [InlineData("a(b)", 0, -1)]
    [InlineData("x);", 0, 1)]
    [InlineData("f(a[i]", 1, -1)]
    [InlineData("(]", 0, -1)]                    // kinds are not matched: `]` closes the `(`
    [InlineData("{ a[0] }}", 0, 8)]
    public void All_counts_every_bracket_kind_at_one_depth(string text, int depth, int firstUnopened) =>
        Assert.Equal((depth, firstUnopened), Scan(text, BracketKinds.All));

    [Fact]
    public void A_token_counts_only_when_it_is_one_bracket()
    {
        var scanner = new BracketDepth(BracketKinds.Braces);
        Assert.False(scanner.Read("{"));
        Assert.False(scanner.Read("{}"));
        Assert.False(scanner.Read("class"));
        Assert.Equal(1, scanner.Depth);
        Assert.False(scanner.Read("}"));
        Assert.True(scanner.Read("}"));
        Assert.Equal(0, scanner.Depth);
    }
}
