// Filler on hand-written lines: constant conditions and comparisons the shown text wrote are filler; real tests,
// `while (true)` loops and constants the user typed themselves are not.
namespace CharRnnCode.Typing.Tests;

public sealed class FillerTests
{
    [Theory]
    [InlineData("", "if ( !false )")]
    [InlineData("if (", "string.Empty != null)")]
    [InlineData("return ", "1 == 1;")]
    [InlineData("while (", "true == false)")]
    [InlineData("if (", "this != null)")]
    [InlineData("", "if (default == null) return;")]
    public void Constant_conditions_and_comparisons_the_shown_text_wrote_are_filler(string typed, string shown) =>
        Assert.True(Filler.IsFiller(typed, shown));

    [Theory]
    [InlineData("if (", "count == 0)")]
    [InlineData("", "while (true)")]
    [InlineData("return ", "x != null && y > 1;")]
    [InlineData("if (1 == 1) ", "Run();")]   // the user typed the constant comparison, not the ghost text
    [InlineData("var s = ", "\"text\";")]
    [InlineData("", "")]
    public void Real_code_is_not_filler(string typed, string shown) =>
        Assert.False(Filler.IsFiller(typed, shown));
}
