// The bracket scanners on hand-written texts: the depth after each text and the index of the first closer
// with nothing open (blocks only, parentheses only, every kind at one depth), the brackets left open and the
// mismatched closers when kinds are matched, and the opener a closer closes, found backwards.
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

    [Theory]
    [InlineData("f(a[0], g(b))", 0, -1)]
    [InlineData("if (x) { y(", 1, -1)]         // braces and square brackets do not count
    [InlineData("a) (", 1, 1)]
    public void Parentheses_count_only_parentheses(string text, int depth, int firstUnopened) =>
        Assert.Equal((depth, firstUnopened), Scan(text, BracketKinds.Parentheses));

    /// <summary>Reads the whole text with kinds matched; returns what is left open and the indexes of the mismatched closers.</summary>
    private static (string Open, int[] Mismatched) ScanMatched(string text)
    {
        var open = new OpenBrackets();
        var mismatched = Enumerable.Range(0, text.Length).Where(i => !open.Read(text[i], i)).ToArray();
        return (string.Concat(open.Open.Select(entry => entry.Bracket)), mismatched);
    }

    [Theory]
    [InlineData("", "", new int[0])]
    [InlineData("f(a[0]) {", "{", new int[0])]
    [InlineData("(]", "(", new[] { 1 })]            // a closer of another kind closes nothing
    [InlineData("{ ( } )", "{", new[] { 4 })]       // the `}` leaves the `(` open; the `)` closes it, the `{` stays open
    [InlineData(")", "", new[] { 0 })]
    [InlineData("[a, (b", "[(", new int[0])]
    public void Open_brackets_match_kinds(string text, string open, int[] mismatched)
    {
        var scanned = ScanMatched(text);
        Assert.Equal(open, scanned.Open);
        Assert.Equal(mismatched, scanned.Mismatched);
    }

    [Fact]
    public void Open_brackets_keep_where_each_bracket_opened_and_the_innermost()
    {
        var open = new OpenBrackets();
        foreach (var (c, i) in "x = f(a[".Select((c, i) => (c, i))) open.Read(c, i);
        Assert.Equal(new[] { ('(', 5), ('[', 7) }, open.Open);
        Assert.Equal('[', open.Innermost);
        Assert.True(open.Read("=>"));               // a token longer than one character is no bracket
        Assert.False(open.Read(")"));
        Assert.True(open.Read("]"));
        Assert.Equal('(', open.Innermost);
    }

    [Theory]
    [InlineData("f(a).b", 3, 1)]
    [InlineData("g(f(a)).b", 6, 1)]
    [InlineData("x[i[0]]", 6, 1)]
    [InlineData("List<Dictionary<int, string>>", 28, 4)]
    [InlineData("f(a[0)", 5, 1)]                  // only the closer's own kind counts
    [InlineData("a)", 1, -1)]                     // the text starts before an opener
    [InlineData("a}", 1, -1)]                     // braces are not looked back through
    public void Matching_opener_scans_backwards_to_the_opener_of_the_closers_kind(string text, int closer, int opener) =>
        Assert.Equal(opener, BracketDepth.MatchingOpener(text, closer));
}
