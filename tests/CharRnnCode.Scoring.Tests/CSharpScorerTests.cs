// CSharpScorer against real Roslyn compilations and the SDK's reference assemblies: good, broken and
// cut-off snippets, the names of undefined identifiers, and names that other source files define.
namespace CharRnnCode.Scoring.Tests;

public sealed class CSharpScorerTests
{
    private static readonly CSharpScorer Scorer = new();

    [Fact]
    public void Well_formed_code_has_no_syntax_errors_and_no_undefined_names()
    {
        var score = Scorer.ScoreSnippet("""
            using System;
            using System.Collections.Generic;
            class Counter
            {
                private readonly Dictionary<string, int> _counts = new();
                public void Add(string word)
                {
                    _counts[word] = _counts.TryGetValue(word, out var n) ? n + 1 : 1;
                    Console.WriteLine($"{word}: {_counts[word]}");
                }
            }
            """);
        Assert.Empty(score.SyntaxErrors);
        Assert.Empty(score.UndefinedIdentifiers);
        Assert.True(score.Parses);
    }

    [Fact]
    public void A_missing_semicolon_inside_the_text_is_a_real_syntax_error()
    {
        const string code = "class C\n{\n    void M()\n    {\n        int a = 1\n        int b = 2;\n    }\n}\n";
        var score = Scorer.ScoreSnippet(code);
        var issue = Assert.Single(score.SyntaxErrors);
        Assert.Equal(("CS1002", code.IndexOf("1\n", StringComparison.Ordinal) + 1, false), (issue.Id, issue.Position, issue.OnlyCutOffAtEnd));
        Assert.Equal(1, score.RealSyntaxErrorCount);
    }

    [Fact]
    public void Text_cut_off_at_its_end_is_told_apart_from_broken_text()
    {
        var score = Scorer.ScoreSnippet("class C\n{\n    void M()\n    {\n        if (x == 1)\n        {\n            Run(");
        Assert.NotEmpty(score.SyntaxErrors);
        Assert.All(score.SyntaxErrors, issue => Assert.True(issue.OnlyCutOffAtEnd, issue.ToString()));
        Assert.Equal(0, score.RealSyntaxErrorCount);
    }

    [Fact]
    public void Undefined_identifiers_are_named_in_text_order()
    {
        var score = Scorer.ScoreSnippet("""
            using System;
            class C
            {
                void M(string text)
                {
                    int total = count + text.Length;
                    Widget w = null;
                    Console.WriteLin(total);
                    var list = new System.Collections.Generic.Lisst<int>();
                    var e = ConsoleColor.Purple;
                    var n = text.Lenght;
                }
            }
            """);
        Assert.Empty(score.SyntaxErrors);
        Assert.Equal(["count", "Widget", "WriteLin", "Lisst", "Purple", "Lenght"], score.UndefinedIdentifiers);
        Assert.Equal(["CS0103", "CS0246", "CS0117", "CS0234", "CS0117", "CS1061"],
            score.UndefinedIdentifierIssues.Select(issue => issue.Id));
    }

    [Fact]
    public void Names_defined_in_context_sources_resolve()
    {
        const string snippet = "class UsesHelper { int M() => Helper.Twice(21); }";
        Assert.Equal(["Helper"], Scorer.ScoreSnippet(snippet).UndefinedIdentifiers);
        var withContext = Scorer.ScoreSnippet(snippet, ["static class Helper { public static int Twice(int x) => 2 * x; }"]);
        Assert.Empty(withContext.UndefinedIdentifiers);
        Assert.Empty(withContext.SyntaxErrors);
    }

    [Fact]
    public void Top_level_statements_are_scored_like_any_other_code()
    {
        var score = Scorer.ScoreSnippet("var greeting = \"hi\";\nSystem.Console.WriteLine(greting);\n");
        Assert.Empty(score.SyntaxErrors);
        Assert.Equal(["greting"], score.UndefinedIdentifiers);
    }
}
