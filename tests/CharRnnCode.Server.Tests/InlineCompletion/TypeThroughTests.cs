// Type-through asked directly, with texts edited the way the document store edits them (SourceText
// changes): what is left of the shown candidates after the user typed their first characters, written out
// by hand, and every edit that must make the shown answer unusable. The last test goes through the real
// server with the real default model.
using CharRnnCode.Completion;
using CharRnnCode.Inference.Checkpoints;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Server.Tests.InlineCompletion;

public sealed class TypeThroughTests
{
    private const string Uri = "file:///work/Words.cs";
    private static readonly SourceText Shown = SourceText.From("var n = s.\nreturn n;\n");
    private const int Caret = 10;   // after "s."
    private static readonly CompletionOptions Settings = new();

    private static RankedCandidate Candidate(string text, double score) => new(text, score, 0, [], score);

    private static TypeThrough Remembered()
    {
        var typeThrough = new TypeThrough();
        typeThrough.Remember(Uri, Shown, Caret, Settings, [Candidate("Length;", -0.1), Candidate("LastIndexOf(c);", -0.2), Candidate("Trim();", -0.3)]);
        return typeThrough;
    }

    private static SourceText Typed(SourceText text, int at, string typed) => text.WithChanges(new TextChange(new TextSpan(at, 0), typed));

    [Fact]
    public void Typing_the_ghost_text_leaves_the_candidates_that_continue_it_in_rank_order()
    {
        var typeThrough = Remembered();
        var afterL = Typed(Shown, Caret, "L");
        Assert.Equal(["ength;", "astIndexOf(c);"], typeThrough.Continue(Uri, afterL, Caret + 1, Settings)!.Select(c => c.Text));
        var afterLe = Typed(afterL, Caret + 1, "e");
        Assert.Equal(["ngth;"], typeThrough.Continue(Uri, afterLe, Caret + 2, Settings)!.Select(c => c.Text));
        Assert.Equal(-0.1, typeThrough.Continue(Uri, afterLe, Caret + 2, Settings)![0].Score);
    }

    [Fact]
    public void Anything_else_makes_the_shown_answer_unusable()
    {
        var typeThrough = Remembered();
        Assert.Null(typeThrough.Continue(Uri, Typed(Shown, Caret, "X"), Caret + 1, Settings));                 // no candidate starts with X
        Assert.Null(typeThrough.Continue(Uri, Typed(Shown, Caret, "Length;"), Caret + 7, Settings));          // typed all of it: nothing left
        Assert.Null(typeThrough.Continue(Uri, Typed(Shown, 0, "L"), Caret + 1, Settings));                     // typed elsewhere
        Assert.Null(typeThrough.Continue(Uri, Typed(Typed(Shown, Caret, "L"), 0, " "), Caret + 1, Settings)); // and an edit elsewhere too
        Assert.Null(typeThrough.Continue(Uri, SourceText.From("var n = s.L\nreturn n;\n"), Caret + 1, Settings)); // same text, not an edit of the shown one
        Assert.Null(typeThrough.Continue("file:///work/Other.cs", Typed(Shown, Caret, "L"), Caret + 1, Settings));
        Assert.Null(typeThrough.Continue(Uri, Typed(Shown, Caret, "L"), Caret + 1, Settings with { Candidates = 4 }));
        Assert.Null(typeThrough.Continue(Uri, Shown, Caret, Settings));                                        // nothing typed
        typeThrough.Forget();
        Assert.Null(typeThrough.Continue(Uri, Typed(Shown, Caret, "L"), Caret + 1, Settings));
    }

    [Fact]
    public void A_line_break_is_not_typed_through()
    {
        var typeThrough = new TypeThrough();
        typeThrough.Remember(Uri, Shown, Caret, Settings, [Candidate("\n    x", -0.1)]);
        Assert.Null(typeThrough.Continue(Uri, Typed(Shown, Caret, "\n"), Caret + 1, Settings));
    }

    [SlowFact]
    public async Task Through_the_server_typing_the_first_character_answers_the_rest_without_generating()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    void M()\n    {\n        Console.Wri{|caret:|}\n    }\n}\n");
        var checkpoint = Path.Combine(AppContext.BaseDirectory, DefaultModel.FileName);
        await using var server = await ReadyServer.StartAsync(new { checkpoint, seed = 1, timeBudgetMs = 2000, constrainWaitMs = 10_000, maxLines = 1 }, warmReranker: true);
        var client = server.Client;
        var first = (await server.OpenAndCompleteAsync(Uri, snippet.Text, snippet.Position)).GetProperty("items");
        Assert.True(first.GetArrayLength() > 0, "no completion to type through");
        var shown = first[0].GetProperty("insertText").GetString()!;
        Assert.True(shown.Length >= 2, $"a completion too short to type through: '{shown}'");
        Assert.False(server.LastTrace.TypedThrough);

        await client.ChangeAsync(Uri, new TextDocumentContentChangeEvent(shown[..1], new CharRnnCode.Server.Protocol.Range(snippet.Position, snippet.Position)));
        var next = new Position(snippet.Position.Line, snippet.Position.Character + 1);
        var second = (await client.InlineCompletionAsync(Uri, next)).GetProperty("items");
        var trace = server.LastTrace;
        Assert.True(trace.TypedThrough, "typing the ghost text's first character generated afresh");
        Assert.Equal(0, trace.Generated);
        Assert.Equal(shown[1..], second[0].GetProperty("insertText").GetString());
        Assert.Equal(next.Character, second[0].GetProperty("range").GetProperty("start").GetProperty("character").GetInt32());

        // An edit elsewhere: the next answer is generated again.
        await client.ChangeAsync(Uri, new TextDocumentContentChangeEvent("// x\n", new CharRnnCode.Server.Protocol.Range(new Position(0, 0), new Position(0, 0))));
        await client.InlineCompletionAsync(Uri, new Position(next.Line + 1, next.Character));
        Assert.False(server.LastTrace.TypedThrough);
    }
}
