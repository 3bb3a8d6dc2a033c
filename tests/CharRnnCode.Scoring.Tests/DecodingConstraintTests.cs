// The decoding constraint asked directly, at caret-marked places of real code compiled by Roslyn: which
// characters it allows next. Expected answers are written from C#'s rules, not computed by the code.
using CharRnnCode.TestSupport;

namespace CharRnnCode.Scoring.Tests;

public sealed class DecodingConstraintTests
{
    private static DecodingConstraint At(string marked)
    {
        var (text, position) = CaretMarkup.Parse(marked);
        var scorer = new CompletionScorer();
        return new DecodingConstraint(scorer.Prepare("/work/A.cs", text, position));
    }

    private const string Method = """
        using System;
        class C
        {
            int M(string[] items)
            {
                var s = "abc";
                int counter = 0;
                {|caret:|}
            }
        }
        """;

    [Fact]
    public void After_a_strings_dot_only_its_members_are_written_and_the_name_ends_only_when_whole()
    {
        var constraint = At(Method.Replace("{|caret:|}", "var n = s.Len{|caret:|}"));
        var next = constraint.Allowed("")!;
        Assert.True(next('g'));
        Assert.False(next('x'));
        Assert.False(next(';'));             // "Len" is not a member
        var afterG = constraint.Allowed("gth")!;
        Assert.True(afterG(';'));            // Length is
        Assert.True(afterG('.'));
        Assert.False(afterG('h'));
    }

    [Fact]
    public void At_a_statement_start_locals_and_keywords_are_reachable_invented_names_are_not()
    {
        var constraint = At(Method);
        Assert.True(constraint.Allowed("count")!('e'));
        Assert.True(constraint.Allowed("counter")!(' '));
        Assert.True(constraint.Allowed("countr")!('y'));     // no name starts "countr" (the user's typo): free
        Assert.True(constraint.Allowed("retur")!('n'));
        Assert.False(constraint.Allowed("coun")!('x'));
    }

    [Fact]
    public void Where_an_expression_starts_only_keywords_that_start_one_are_reachable()
    {
        var constraint = At(Method.Replace("{|caret:|}", "if (!{|caret:|}"));
        Assert.True(constraint.Allowed("thi")!('s'));
        Assert.True(constraint.Allowed("counte")!('r'));
        Assert.False(constraint.Allowed("")!('r'));     // readonly, ref, return: no expression starts with them
        Assert.False(constraint.Allowed("")!('w'));     // while is a statement
        var statement = At(Method);
        Assert.True(statement.Allowed("whil")!('e'));
    }

    [Fact]
    public void A_new_declarations_name_is_free()
    {
        var constraint = At(Method.Replace("{|caret:|}", "int totalC{|caret:|}"));
        var next = constraint.Allowed("ount")!;
        Assert.True(next('x') && next('Q') && next(' ') && next('='));
    }

    [Fact]
    public void An_unknown_receiver_leaves_the_model_free()
    {
        var constraint = At(Method.Replace("{|caret:|}", "var q = missingThing.Va{|caret:|}"));
        var next = constraint.Allowed("");
        Assert.True(next is null || (next('x') && next('l')));
    }

    [Fact]
    public void Inside_a_string_literal_names_are_not_constrained_but_the_line_may_not_end()
    {
        var constraint = At(Method.Replace("{|caret:|}", "Console.WriteLine(\"Hel{|caret:|}"));
        var next = constraint.Allowed("lo wor")!;
        Assert.True(next('q'));
        Assert.False(next('\n'));
        Assert.True(constraint.Allowed("lo\");")!('\n'));
    }

    [Fact]
    public void A_bracket_closes_only_what_is_open_and_the_line_ends_only_when_the_candidates_brackets_are_closed()
    {
        var constraint = At(Method);
        Assert.False(constraint.Allowed("counter")!(')'));
        Assert.True(constraint.Allowed("Console.WriteLine(counter")!(')'));
        Assert.False(constraint.Allowed("Console.WriteLine(counter")!('\n'));
        Assert.True(constraint.Allowed("Console.WriteLine(counter);")!('\n'));
        Assert.False(constraint.Allowed("items[0")!(')'));
    }

    [Fact]
    public void A_static_receiver_offers_its_static_members()
    {
        var constraint = At(Method.Replace("{|caret:|}", "Console.Wri{|caret:|}"));
        Assert.True(constraint.Allowed("")!('t'));
        Assert.True(constraint.Allowed("teLine")!('('));
        Assert.False(constraint.Allowed("teLin")!('('));
    }

    [Fact]
    public void At_a_blank_line_in_a_body_the_completion_starts_with_code_not_a_line_end_a_comment_or_a_directive()
    {
        var constraint = At(Method);
        var first = constraint.Allowed("")!;
        Assert.False(first('\n'));
        Assert.False(first('/'));
        Assert.False(first('#'));
        Assert.True(first('c'));             // counter
        Assert.True(first('}'));             // the block may end here
        Assert.True(first(' '));
        Assert.False(constraint.Allowed("  ")!('/'));
        Assert.True(constraint.Allowed("counter++; ")!('/'));   // a comment after code is the model's choice
        Assert.True(constraint.Allowed("counter++;")!('\n'));
    }

    [Fact]
    public void At_a_blank_line_between_members_a_comment_or_a_directive_may_come()
    {
        var constraint = At("""
            class C
            {
                int a;
                {|caret:|}
                int M() => a;
            }
            """);
        var first = constraint.Allowed("")!;
        Assert.True(first('/'));
        Assert.True(first('#'));
    }

    [Fact]
    public void After_a_cast_to_a_built_in_type_an_expression_starts_and_other_parentheses_leave_the_name_free()
    {
        var cast = At(Method.Replace("{|caret:|}", "var t = (object){|caret:|}"));
        Assert.True(cast.Allowed("count")!('e'));
        Assert.False(cast.Allowed("")!('z'));               // no name or expression keyword starts with z
        var call = At(Method.Replace("{|caret:|}", "var u = M(items){|caret:|}"));
        var next = call.Allowed("");
        Assert.True(next is null || next('z'));
        var size = At(Method.Replace("{|caret:|}", "var w = sizeof(int){|caret:|}"));
        var afterSize = size.Allowed("");
        Assert.True(afterSize is null || afterSize('z'));
    }

    [Fact]
    public void Value_is_a_name_only_in_a_setter()
    {
        Assert.False(At(Method).Allowed("va")!('l'));       // only var

        var setter = At("""
            class C
            {
                int _n;
                int N
                {
                    get => _n;
                    set
                    {
                        {|caret:|}
                    }
                }
            }
            """);
        Assert.True(setter.Allowed("_n = va")!('l'));
    }
}
