// The decoding constraint asked directly, at caret-marked places of real code compiled by Roslyn: which
// characters it allows next. Expected answers are written from C#'s rules, not computed by the code.
using CharRnnCode.Scoring;
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
    public void AfterAStringsDot_OnlyItsMembersAreWritten_AndTheNameEndsOnlyWhenWhole()
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
    public void AtAStatementStart_LocalsAndKeywordsAreReachable_InventedNamesAreNot()
    {
        var constraint = At(Method);
        Assert.True(constraint.Allowed("count")!('e'));
        Assert.True(constraint.Allowed("counter")!(' '));
        Assert.True(constraint.Allowed("countr")!('y'));     // no name starts "countr" (the user's typo): free
        Assert.True(constraint.Allowed("retur")!('n'));
        Assert.False(constraint.Allowed("coun")!('x'));
    }

    [Fact]
    public void WhereAnExpressionStarts_OnlyKeywordsThatStartOneAreReachable()
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
    public void ANewDeclarationsName_IsFree()
    {
        var constraint = At(Method.Replace("{|caret:|}", "int totalC{|caret:|}"));
        var next = constraint.Allowed("ount")!;
        Assert.True(next('x') && next('Q') && next(' ') && next('='));
    }

    [Fact]
    public void AnUnknownReceiver_LeavesTheModelFree()
    {
        var constraint = At(Method.Replace("{|caret:|}", "var q = missingThing.Va{|caret:|}"));
        var next = constraint.Allowed("");
        Assert.True(next is null || (next('x') && next('l')));
    }

    [Fact]
    public void InsideAStringLiteral_NamesAreNotConstrained_ButTheLineMayNotEnd()
    {
        var constraint = At(Method.Replace("{|caret:|}", "Console.WriteLine(\"Hel{|caret:|}"));
        var next = constraint.Allowed("lo wor")!;
        Assert.True(next('q'));
        Assert.False(next('\n'));
        Assert.True(constraint.Allowed("lo\");")!('\n'));
    }

    [Fact]
    public void ABracket_ClosesOnlyWhatIsOpen_AndTheLineEndsOnlyWhenTheCandidatesBracketsAreClosed()
    {
        var constraint = At(Method);
        Assert.False(constraint.Allowed("counter")!(')'));
        Assert.True(constraint.Allowed("Console.WriteLine(counter")!(')'));
        Assert.False(constraint.Allowed("Console.WriteLine(counter")!('\n'));
        Assert.True(constraint.Allowed("Console.WriteLine(counter);")!('\n'));
        Assert.False(constraint.Allowed("items[0")!(')'));
    }

    [Fact]
    public void AStaticReceiver_OffersItsStaticMembers()
    {
        var constraint = At(Method.Replace("{|caret:|}", "Console.Wri{|caret:|}"));
        Assert.True(constraint.Allowed("")!('t'));
        Assert.True(constraint.Allowed("teLine")!('('));
        Assert.False(constraint.Allowed("teLin")!('('));
    }

    [Fact]
    public void AtABlankLineInABody_TheCompletionStartsWithCode_NotALineEndACommentOrADirective()
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
    public void AtABlankLineBetweenMembers_ACommentOrADirectiveMayCome()
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
    public void AfterACastToABuiltInType_AnExpressionStarts_AndOtherParenthesesLeaveTheNameFree()
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
    public void Value_IsANameOnlyInASetter()
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
