// The editor rule that ends a completion cut short at a token boundary, with whole expected texts.
using CharRnnCode.Server.Features.InlineCompletion;

namespace CharRnnCode.Server.Tests.InlineCompletion;

public sealed class EditorRulesTests
{
    [Theory]
    [InlineData("Assert.AreEqual (1, tim", "Assert.AreEqual (1, ")]
    [InlineData("string path = new DateT", "string path = new ")]
    [InlineData("this.i", "this.")]
    [InlineData("count = 12", "count = ")]
    [InlineData("Console.WriteLine(", "Console.WriteLine(")]
    [InlineData("return x;", "return x;")]
    [InlineData("teLin", "")]
    [InlineData("", "")]
    public void CutAtTokenBoundary_DropsATrailingPartOfAName(string generated, string expected) =>
        Assert.Equal(expected, EditorRules.CutAtTokenBoundary(generated));
}
