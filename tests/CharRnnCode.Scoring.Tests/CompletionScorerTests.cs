// CompletionScorer on a real workspace compilation: completions that add or repair syntax errors, that use
// names which exist or do not (locals, members after a `.` before or inside the completion, types from other
// documents), words in strings and comments, scored by the cheap syntax-first path and by full binding, which
// must agree on these cases; typing inside a body binds that body alone, any other edit the whole document.
using CharRnnCode.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring.Tests;

public sealed class CompletionScorerTests
{
    private const string Document = """
        using System;
        using System.Collections.Generic;

        class Inventory
        {
            private readonly List<string> _items = new();

            public int Count(string prefix)
            {
                int total = 0;
                foreach (var item in _items)
                {
                    {|caret:|}
                }
                return total;
            }
        }
        """;

    /// <summary>The document with <paramref name="caretLine"/> typed at the caret, prepared with the caret after it.</summary>
    private static (CompletionScorer Scorer, CompletionContext Context) Prepare(string caretLine, string document = Document)
    {
        var typed = CaretMarkup.Parse(document.Replace(CaretMarkup.Marker, caretLine + CaretMarkup.Marker, StringComparison.Ordinal));
        var scorer = new CompletionScorer();
        return (scorer, scorer.Prepare("/src/Inventory.cs", typed.Text, typed.Offset));
    }

    private static void AssertBothPaths(CompletionScorer scorer, CompletionContext context, string completion,
        int syntaxErrorsIntroduced, string[] undefined)
    {
        var fast = scorer.Score(context, completion);
        var exact = scorer.ScoreExact(context, completion);
        Assert.Equal($"{syntaxErrorsIntroduced} [{string.Join(", ", undefined)}]",
            $"{fast.SyntaxErrorsIntroduced} [{string.Join(", ", fast.UndefinedIdentifiersIntroduced)}]");
        Assert.Equal($"{syntaxErrorsIntroduced} [{string.Join(", ", undefined)}]",
            $"{exact.SyntaxErrorsIntroduced} [{string.Join(", ", exact.UndefinedIdentifiersIntroduced)}]");
    }

    [Fact]
    public void A_completion_that_uses_names_in_scope_is_clean()
    {
        var (scorer, context) = Prepare("");
        AssertBothPaths(scorer, context, "if (item.StartsWith(prefix)) total++;", 0, []);
        Assert.True(scorer.Score(context, "if (item.StartsWith(prefix)) total++;").IsClean);
    }

    [Fact]
    public void A_completion_that_invents_a_variable_is_caught()
    {
        var (scorer, context) = Prepare("");
        AssertBothPaths(scorer, context, "if (item.StartsWith(prefx)) count++;", 0, ["prefx", "count"]);
    }

    [Fact]
    public void A_completion_that_introduces_a_syntax_error_versus_one_that_fixes_one()
    {
        var (scorer, context) = Prepare("total += item.Length");
        Assert.Equal(1, context.RegionSyntaxErrors); // the line lacks its `;`
        AssertBothPaths(scorer, context, ";", -1, []);
        AssertBothPaths(scorer, context, " * (2", 1, []); // `)` missing, and still no `;`
    }

    [Fact]
    public void After_a_dot_the_receivers_members_are_what_counts()
    {
        var (scorer, context) = Prepare("Console.");
        Assert.True(context.AfterDot);
        Assert.Contains("WriteLine", (IReadOnlySet<string>)context.ReceiverMembers!);
        AssertBothPaths(scorer, context, "WriteLine(item);", -2, []);
        AssertBothPaths(scorer, context, "WriteLin(item);", -2, ["WriteLin"]);

        var (scorer2, onLocal) = Prepare("item.");
        Assert.Contains("Length", (IReadOnlySet<string>)onLocal.ReceiverMembers!);
        Assert.Contains("AsSpan", (IReadOnlySet<string>)onLocal.ReceiverMembers!); // an extension method, from `using System;`
        AssertBothPaths(scorer2, onLocal, "Trim();", -2, []);
        AssertBothPaths(scorer2, onLocal, "Lenght;", -2, ["Lenght"]);
    }

    [Fact]
    public void Invented_members_after_a_dot_inside_the_completion_are_caught()
    {
        var (scorer, context) = Prepare("");
        AssertBothPaths(scorer, context, "total += item.Lenght;", 0, ["Lenght"]);
        AssertBothPaths(scorer, context, "total += item.Trim().Length;", 0, []);
        AssertBothPaths(scorer, context, "total += item?.Trim().Lenght ?? 0;", 0, ["Lenght"]);
        AssertBothPaths(scorer, context, "Console.WriteLin(item);", 0, ["WriteLin"]);
        AssertBothPaths(scorer, context, "total += item.AsSpan().Length;", 0, []); // an extension method in scope
        AssertBothPaths(scorer, context, "total += System.IO.Pth.GetFileName(item).Length;", 0, ["Pth"]);
        AssertBothPaths(scorer, context, "var text = new System.Text.StringBuilder { Capacty = 10 };", 0, ["Capacty"]);
        AssertBothPaths(scorer, context, "var text = new System.Text.StringBuilder { Capacity = 10 };", 0, []);
        AssertBothPaths(scorer, context, "total += value;", 0, ["value"]); // a keyword only in setters
    }

    [Fact]
    public void A_member_of_a_receiver_that_does_not_bind_is_reported_unresolved_not_guessed()
    {
        var (scorer, context) = Prepare("");
        var declaredHere = scorer.Score(context, "var upper = item.ToUpperInvariant(); total += upper.Lenght;");
        Assert.Empty(declaredHere.UndefinedIdentifiersIntroduced);
        Assert.Equal(["Lenght"], declaredHere.UnresolvedMembers);
        var invented = scorer.Score(context, "total += stock.Count;");
        Assert.Equal(["stock"], invented.UndefinedIdentifiersIntroduced);
        Assert.Equal(["Count"], invented.UnresolvedMembers);
    }

    [Fact]
    public void Words_in_strings_and_comments_are_never_names()
    {
        var (scorer, context) = Prepare("");
        AssertBothPaths(scorer, context, "Console.WriteLine(\"totl of itms\"); // countr is not a name", 0, []);

        var (scorer2, inString) = Prepare("Console.WriteLine(\"items: ");
        Assert.Empty(scorer2.Score(inString, "countr and totl\");").UndefinedIdentifiersIntroduced);
        Assert.Empty(scorer2.ScoreExact(inString, "countr and totl\");").UndefinedIdentifiersIntroduced);

        var (scorer3, inComment) = Prepare("// the total of ");
        AssertBothPaths(scorer3, inComment, "itms seen so far", 0, []);
    }

    [Fact]
    public void A_word_being_typed_is_continued_not_judged_twice()
    {
        var (scorer, context) = Prepare("Consol");
        Assert.Equal("Consol", context.PartialWord);
        AssertBothPaths(scorer, context, "e.WriteLine(total);", -1, []);
        AssertBothPaths(scorer, context, "eX.WriteLine(total);", -1, ["ConsoleX"]);
    }

    [Fact]
    public void Types_from_other_documents_of_the_workspace_resolve_until_removed()
    {
        var scorer = new CompletionScorer();
        scorer.SetDocument("/src/Pricing.cs", "static class Pricing { public static int Of(string item) => item.Length; }");
        var (text, position) = CaretMarkup.Parse(Document);
        var context = scorer.Prepare("/src/Inventory.cs", text, position);
        Assert.True(scorer.Score(context, "total += Pricing.Of(item);").IsClean);
        Assert.True(scorer.ScoreExact(context, "total += Pricing.Of(item);").IsClean);

        Assert.True(scorer.RemoveDocument("/src/Pricing.cs"));
        var without = scorer.Prepare("/src/Inventory.cs", text, position);
        Assert.Equal(["Pricing"], scorer.Score(without, "total += Pricing.Of(item);").UndefinedIdentifiersIntroduced);
        Assert.Equal(["Pricing"], scorer.ScoreExact(without, "total += Pricing.Of(item);").UndefinedIdentifiersIntroduced);
    }

    [Fact]
    public void Declarations_inside_the_completion_define_their_names()
    {
        var (scorer, context) = Prepare("");
        AssertBothPaths(scorer, context, "var upper = item.ToUpperInvariant(); total += upper.Length;", 0, []);
        AssertBothPaths(scorer, context, "_items.ForEach(x => total += x.Length);", 0, []);
    }

    [Fact]
    public void An_edited_document_is_updated_in_place()
    {
        var scorer = new CompletionScorer();
        var (text, position) = CaretMarkup.Parse(Document);
        scorer.Prepare("/src/Inventory.cs", text, position);
        var edited = text.Replace("int total = 0;", "int total = 0; int bonus = 2;", StringComparison.Ordinal);
        var context = scorer.Prepare("/src/Inventory.cs", edited, position + "int bonus = 2;".Length + 1);
        Assert.Equal(["/src/Inventory.cs"], scorer.DocumentPaths);
        Assert.Contains("bonus", (IReadOnlySet<string>)context.NamesInScope);
        Assert.True(scorer.Score(context, "total += bonus;").IsClean);
    }

    [Fact]
    public void An_editors_next_text_is_reparsed_where_it_changed_and_the_rest_of_the_tree_is_kept()
    {
        var scorer = new CompletionScorer();
        var (text, position) = CaretMarkup.Parse(Document.Replace("class Inventory\n{", "class Inventory\n{\n    public void Other() { Console.WriteLine(1); }", StringComparison.Ordinal));
        var first = SourceText.From(text);
        var before = scorer.Prepare("/src/Inventory.cs", first, position, CancellationToken.None);
        var typed = first.WithChanges(new TextChange(new TextSpan(position, 0), "total"));
        var after = scorer.Prepare("/src/Inventory.cs", typed, position + 5, CancellationToken.None);

        Assert.Equal("total", after.PartialWord);
        static MethodDeclarationSyntax Other(CompletionContext context) =>
            context.Tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().Single(m => m.Identifier.Text == "Other");
        Assert.True(Other(after).IsIncrementallyIdenticalTo(Other(before)), "the member the edit did not touch was parsed again");
        Assert.Equal(typed.ToString(), after.Text.ToString());
    }

    [Fact]
    public void The_same_text_and_caret_give_the_same_context_and_another_caret_a_new_one()
    {
        var scorer = new CompletionScorer();
        var (text, position) = CaretMarkup.Parse(Document);
        var source = SourceText.From(text);
        var context = scorer.Prepare("/src/Inventory.cs", source, position, CancellationToken.None);
        Assert.Same(context, scorer.Prepare("/src/Inventory.cs", source, position, CancellationToken.None));
        Assert.NotSame(context, scorer.Prepare("/src/Inventory.cs", source, position - 1, CancellationToken.None));
        scorer.SetDocument("/src/Other.cs", "class Other { }");   // another document: a new compilation
        Assert.NotSame(context, scorer.Prepare("/src/Inventory.cs", source, position, CancellationToken.None));
    }

    [Fact]
    public void Texts_that_do_not_descend_from_each_other_are_compared_and_still_give_the_right_names()
    {
        var scorer = new CompletionScorer();
        var (text, position) = CaretMarkup.Parse(Document);
        scorer.Prepare("/src/Inventory.cs", SourceText.From(text), position, CancellationToken.None);
        var longer = string.Concat(Enumerable.Repeat("// filler line to cross a comparison block\n", 300));
        var edited = longer + text.Replace("int total = 0;", "int total = 0; int bonus = 2;", StringComparison.Ordinal);
        var caret = longer.Length + position + "int bonus = 2;".Length + 1;
        var context = scorer.Prepare("/src/Inventory.cs", SourceText.From(edited), caret, CancellationToken.None);
        Assert.Contains("bonus", (IReadOnlySet<string>)context.NamesInScope);
        Assert.Equal(edited, context.Text.ToString());
        Assert.True(scorer.Score(context, "total += bonus;").IsClean);
    }

    [Theory]
    [InlineData("/* total")]
    [InlineData("#if DEBUG")]
    public void A_completion_that_leaves_trivia_open_is_scored_as_a_syntax_error(string completion)
    {
        var (scorer, context) = Prepare("");
        Assert.True(scorer.Score(context, completion).SyntaxErrorsIntroduced >= 1);
        Assert.True(scorer.ScoreExact(context, completion).SyntaxErrorsIntroduced >= 1);
    }

    /// <summary>Document prepared once, then <paramref name="line"/> typed at its caret and prepared with the caret after it.</summary>
    private static (CompletionScorer Scorer, CompletionContext Before, CompletionContext After) TypedAtTheCaret(string line)
    {
        var (scorer, _, first, position) = PreparedOnce();
        var before = scorer.Prepare("/src/Inventory.cs", first, position, CancellationToken.None);   // the context kept for this text and caret
        var typed = first.WithChanges(new TextChange(new TextSpan(position, 0), line));
        return (scorer, before, scorer.Prepare("/src/Inventory.cs", typed, position + line.Length, CancellationToken.None));
    }

    /// <summary>A scorer that has prepared <paramref name="document"/> once at its caret: the full parse and binding typing starts from.</summary>
    private static (CompletionScorer Scorer, string Text, SourceText First, int Position) PreparedOnce(string document = Document)
    {
        var scorer = new CompletionScorer();
        var (text, position) = CaretMarkup.Parse(document);
        var first = SourceText.From(text);
        scorer.Prepare("/src/Inventory.cs", first, position, CancellationToken.None);
        return (scorer, text, first, position);
    }

    [Fact]
    public void Typing_inside_a_method_body_binds_the_body_alone_and_sees_its_new_locals_and_every_other_name()
    {
        var (scorer, before, after) = TypedAtTheCaret("var bonus = 2;\n");

        Assert.False(before.BodyBoundAlone);
        Assert.True(after.BodyBoundAlone, "an edit inside the body rebound the whole document");
        Assert.Equal(["Count", "_items", "bonus", "item", "prefix", "total"],
            after.NamesInScope.Where(name => name is "_items" or "bonus" or "Count" or "item" or "prefix" or "total").Order(StringComparer.Ordinal));
        Assert.True(scorer.Score(after, "total += bonus + _items.Count;").IsClean);
        Assert.Equal(["Nowhere"], scorer.Score(after, "total += Nowhere;").UndefinedIdentifiersIntroduced);
    }

    [Fact]
    public void An_edit_outside_the_body_or_in_another_document_is_seen_by_the_next_request()
    {
        var (scorer, text, first, position) = PreparedOnce();

        // A field added outside the body: the document is bound again, and the field is in scope.
        var fieldAt = text.IndexOf("private readonly", StringComparison.Ordinal);
        const string field = "private int _bonus;\n    ";
        var withField = first.WithChanges(new TextChange(new TextSpan(fieldAt, 0), field));
        var afterField = scorer.Prepare("/src/Inventory.cs", withField, position + field.Length, CancellationToken.None);
        Assert.False(afterField.BodyBoundAlone);
        Assert.Contains("_bonus", (IReadOnlySet<string>)afterField.NamesInScope);

        // Another document declares a type; then a keystroke inside the body: the type is in scope.
        scorer.SetDocument("/src/Helper.cs", "static class Helper { public static int Twice(int x) => 2 * x; }");
        var typed = withField.WithChanges(new TextChange(new TextSpan(position + field.Length, 0), "t"));
        var afterType = scorer.Prepare("/src/Inventory.cs", typed, position + field.Length + 1, CancellationToken.None);
        Assert.Contains("Helper", (IReadOnlySet<string>)afterType.NamesInScope);
        Assert.True(scorer.Score(afterType, "otal += Helper.Twice(_bonus);", replaceLength: 0).IsClean);
    }

    [Fact]
    public void Typing_inside_a_method_body_parses_that_method_alone_at_its_place_in_the_document()
    {
        const string line = "var bonus = 2;\n            _items.";
        var (scorer, before, after) = TypedAtTheCaret(line);
        var (text, position) = CaretMarkup.Parse(Document);
        var typed = after.Text;

        Assert.False(before.MethodParsedAlone);
        Assert.True(after.MethodParsedAlone, "an edit inside the body re-parsed the whole document");
        // The method starts at the blank line before it: its leading trivia.
        var methodStart = text.IndexOf("    public int Count", StringComparison.Ordinal) - 1;
        Assert.Equal(methodStart, after.RootOffset);
        Assert.Equal(position + line.Length - methodStart, after.PositionInRoot);
        Assert.StartsWith("\n    public int Count(string prefix)", after.CaretRoot.ToFullString(), StringComparison.Ordinal);
        Assert.Contains("var bonus = 2;", after.CaretRoot.ToFullString(), StringComparison.Ordinal);
        // It ends with the line break after its `}`: its trailing trivia.
        Assert.Equal(TextSpan.FromBounds(methodStart, typed.ToString().IndexOf("\n}", StringComparison.Ordinal) + 1), after.Region);

        // The names, the receiver's members and the constraint are those the whole document gives.
        Assert.Contains("bonus", (IReadOnlySet<string>)after.NamesInScope);
        Assert.Contains("prefix", (IReadOnlySet<string>)after.NamesInScope);
        Assert.True(after.AfterDot);
        Assert.Contains("Add", (IReadOnlySet<string>)after.ReceiverMembers!);
        Assert.DoesNotContain("Length", (IReadOnlySet<string>)after.ReceiverMembers!);
        var constraint = new DecodingConstraint(after);
        Assert.True(constraint.Allowed("Ad")!('d'));
        Assert.False(constraint.Allowed("Ad")!('x'));
        Assert.True(scorer.Score(after, "Add(prefix);").IsClean);
        Assert.Equal(["Nowhere"], scorer.Score(after, "Add(Nowhere);").UndefinedIdentifiersIntroduced);

        // A candidate that replaces text past the method is judged on the whole document, parsed then.
        var toEnd = typed.Length - (position + line.Length);
        Assert.True(scorer.Score(after, "Add(prefix);", replaceLength: toEnd).SyntaxErrorsIntroduced >= 1);
        Assert.Equal(typed.ToString(), after.Tree.GetText().ToString());
    }

    [Fact]
    public void An_edit_that_closes_the_method_early_parses_the_document()
    {
        const string typed = "}";
        var (scorer, _, first, position) = PreparedOnce();
        var edited = first.WithChanges(new TextChange(new TextSpan(position, 0), typed));
        var context = scorer.Prepare("/src/Inventory.cs", edited, position + typed.Length, CancellationToken.None);
        Assert.False(context.MethodParsedAlone);
        Assert.Equal(edited.ToString(), context.Tree.GetText().ToString());
    }

    [Fact]
    public void A_method_with_preprocessor_directives_is_not_parsed_alone_and_a_new_method_is_after_one_full_parse()
    {
        var document = Document.Replace("int total = 0;", "int total = 0;\n#if DEBUG\n        total = 1;\n#endif", StringComparison.Ordinal)
            .Replace("    private readonly", "    public void Other()\n    {\n        \n    }\n\n    private readonly", StringComparison.Ordinal);
        var (scorer, text, first, position) = PreparedOnce(document);
        var typed = first.WithChanges(new TextChange(new TextSpan(position, 0), "t"));
        Assert.False(scorer.Prepare("/src/Inventory.cs", typed, position + 1, CancellationToken.None).MethodParsedAlone);

        // In Other: the first keystroke there parses the document (the edits since its last parse span two methods), the next one Other alone.
        var inOther = text.IndexOf("{\n        \n    }", StringComparison.Ordinal) + "{\n        ".Length;
        var once = typed.WithChanges(new TextChange(new TextSpan(inOther, 0), "v"));
        var onceContext = scorer.Prepare("/src/Inventory.cs", once, inOther + 1, CancellationToken.None);
        var twice = once.WithChanges(new TextChange(new TextSpan(inOther + 1, 0), "a"));
        var twiceContext = scorer.Prepare("/src/Inventory.cs", twice, inOther + 2, CancellationToken.None);
        Assert.False(onceContext.MethodParsedAlone);
        Assert.True(twiceContext.MethodParsedAlone);
        Assert.Equal("va", twiceContext.PartialWord);
        Assert.Contains("_items", (IReadOnlySet<string>)twiceContext.NamesInScope);
    }

    [Fact]
    public void Keystroke_by_keystroke_the_method_alone_gives_what_a_whole_parse_of_the_same_text_gives()
    {
        // The fast path against the plain one: each keystroke prepared incrementally (the method alone) and by a
        // scorer that sees the text for the first time (the whole document parsed and bound).
        var (scorer, _, current, position) = PreparedOnce();
        const string typed = "var first = _items[0];\n            total += first.Length + prefix.Le";
        for (var i = 0; i < typed.Length; i++)
        {
            current = current.WithChanges(new TextChange(new TextSpan(position + i, 0), typed[i].ToString()));
            var alone = scorer.Prepare("/src/Inventory.cs", current, position + i + 1, CancellationToken.None);
            var whole = new CompletionScorer().Prepare("/src/Inventory.cs", current.ToString(), position + i + 1);
            var at = $"after {typed[..(i + 1)].ReplaceLineEndings(" ")}";
            Assert.True(alone.MethodParsedAlone, at);
            Assert.False(whole.MethodParsedAlone, at);
            Assert.Equal(whole.NamesInScope.Order(StringComparer.Ordinal), alone.NamesInScope.Order(StringComparer.Ordinal));
            Assert.Equal(whole.ReceiverMembers?.Order(StringComparer.Ordinal), alone.ReceiverMembers?.Order(StringComparer.Ordinal));
            Assert.Equal(whole.PartialWord, alone.PartialWord);
            Assert.Equal(whole.Region, alone.Region);
            Assert.Equal(whole.RegionSyntaxErrors, alone.RegionSyntaxErrors);
            Assert.Equal(scorer.Score(whole, "ngth;").UndefinedIdentifiersIntroduced, scorer.Score(alone, "ngth;").UndefinedIdentifiersIntroduced);
            foreach (var generated in new[] { "", "ngth", "ngth + _items." })
                Assert.Equal(AllowedAfter(new DecodingConstraint(whole), generated), AllowedAfter(new DecodingConstraint(alone), generated));
        }

        static string AllowedAfter(DecodingConstraint constraint, string generated) =>
            constraint.Allowed(generated) is { } allowed ? new string([.. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_.( ;".Where(c => allowed(c))]) : "(any)";
    }
}
