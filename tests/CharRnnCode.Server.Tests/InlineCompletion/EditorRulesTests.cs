// The editor rules on generated text, with whole expected texts written by hand: the cut at a token
// boundary, the shaping of a candidate to its lines and block, and the merge with a closing suffix.
using CharRnnCode.Completion;

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
    public void Cut_at_token_boundary_drops_a_trailing_part_of_a_name(string generated, string expected) =>
        Assert.Equal(expected, EditorRules.CutAtTokenBoundary(generated));

    [Theory]
    [InlineData("x = 1;\n    y = 2;", 1, "x = 1;")]
    [InlineData("if (a)\n{\n    b();\n}\n}", 3, "if (a)\n{\n    b();")]
    [InlineData("a();\n}\nb();", 3, "a();")]                       // the line that closes the enclosing block goes
    [InlineData("{ a(); }\n}\nb();", 3, "{ a(); }")]               // a block the candidate opened is its own
    [InlineData("} else {\n    x();", 3, "} else {")]               // unless it is the first line: then it ends there
    [InlineData("s = \"}\";\nb();", 3, "s = \"}\";")]             // a brace in a string counts as one
    [InlineData("a();  \n\n\n", 3, "a();")]
    public void Shape_cuts_a_candidate_to_its_lines_and_its_block(string generated, int maxLines, string expected) =>
        Assert.Equal(expected, EditorRules.Shape(generated, new CompletionPlan(null, maxLines, "", null), "    "));

    [Fact]
    public void Shape_drops_blank_candidates_and_ones_that_repeat_the_next_line()
    {
        Assert.Null(EditorRules.Shape("   \n", new CompletionPlan(null, 3, "", null), "    "));
        Assert.Null(EditorRules.Shape("return x;\n", new CompletionPlan(null, 1, "", "return x;"), "    "));
        Assert.Equal("x);", EditorRules.Shape("x", new CompletionPlan(null, 1, ");", null), "    f("));
    }

    [Theory]
    [InlineData("Foo(x", ");", "Foo(x);")]
    [InlineData("x);", ")", "x);")]
    [InlineData("a(b)", ")", "a(b))")]
    [InlineData("x)", ");", "x);")]
    [InlineData("x", " ) ;", "x) ;")]                                // the suffix keeps its own spacing
    [InlineData("f(a]", ")", "f(a])")]                               // bracket kinds are not matched
    [InlineData("g([x])", "])", "g([x])])")]
    public void Merge_suffix_writes_only_the_closers_the_candidate_did_not(string candidate, string suffix, string expected) =>
        Assert.Equal(expected, EditorRules.MergeSuffix(candidate, suffix));
}
