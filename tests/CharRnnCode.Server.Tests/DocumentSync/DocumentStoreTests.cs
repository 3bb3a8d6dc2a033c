// Incremental edits in UTF-16 positions, applied in order, with the protocol's clamping of positions
// outside the text; both on the store and through the server.
using CharRnnCode.Completion.Documents;
using CharRnnCode.Server.Features.DocumentSync;
using Range = CharRnnCode.Server.Protocol.Range;

namespace CharRnnCode.Server.Tests.DocumentSync;

public sealed class DocumentStoreTests
{
    private static TextDocumentContentChangeEvent Edit(int line, int character, int endLine, int endCharacter, string text) =>
        new(text, new Range(new Position(line, character), new Position(endLine, endCharacter)));

    [Fact]
    public void Changes_are_applied_in_order_in_utf_16_units()
    {
        var store = new DocumentStore();
        // "😀" is two UTF-16 units: the character after it is at 2 on its line.
        store.Open(new TextDocumentItem("file:///a.cs", "csharp", 1, "var s = \"😀x\";\r\nint y;\n"));
        var result = store.Change("file:///a.cs", 2,
        [
            Edit(0, 11, 0, 12, "z"),        // x -> z, after the surrogate pair
            Edit(1, 4, 1, 5, "count"),      // y -> count (line 1 starts after \r\n)
            Edit(2, 0, 2, 0, "// end\n"),   // insert at the very end
            Edit(1, 0, 1, 0, "static "),    // sees the result of the edits before it
        ]);
        Assert.NotNull(result);
        Assert.Equal("var s = \"😀z\";\r\nstatic int count;\n// end\n", result.Value.Document.Text!.ToString());
        Assert.Equal(2, result.Value.Document.Version);
        Assert.Equal(11, result.Value.FirstChangedOffset);
    }

    [Fact]
    public void Positions_outside_the_text_are_clamped()
    {
        var store = new DocumentStore();
        store.Open(new TextDocumentItem("file:///a.cs", "csharp", 1, "ab\ncd"));
        var result = store.Change("file:///a.cs", 2, [Edit(0, 99, 0, 99, "!"), Edit(42, 0, 43, 7, "?"), Edit(-3, -3, -2, -1, "^")]);
        Assert.Equal("^ab!\ncd?", result!.Value.Document.Text!.ToString());
    }

    [Fact]
    public void Full_replacement_and_unknown_documents()
    {
        var store = new DocumentStore();
        Assert.Null(store.Change("file:///nope.cs", 1, [new TextDocumentContentChangeEvent("x")]));
        store.Open(new TextDocumentItem("file:///a.cs", "csharp", 1, "old"));
        var result = store.Change("file:///a.cs", 2, [new TextDocumentContentChangeEvent("new text")]);
        Assert.Equal(("new text", 0), (result!.Value.Document.Text!.ToString(), result.Value.FirstChangedOffset));
        Assert.True(store.Close("file:///a.cs"));
        Assert.False(store.Close("file:///a.cs"));
    }

    [Fact]
    public void Huge_documents_are_tracked_without_text()
    {
        var store = new DocumentStore();
        store.Open(new TextDocumentItem("file:///huge.cs", "csharp", 1, new string('x', DocumentStore.MaxDocumentChars + 1)));
        Assert.Null(store.Get("file:///huge.cs")!.Text);
        // Incremental edits cannot apply to text the store does not hold; a full replacement brings it back.
        store.Change("file:///huge.cs", 2, [Edit(0, 0, 0, 0, "y")]);
        Assert.Null(store.Get("file:///huge.cs")!.Text);
        store.Change("file:///huge.cs", 3, [new TextDocumentContentChangeEvent("small")]);
        Assert.Equal("small", store.Get("file:///huge.cs")!.Text!.ToString());
    }

    [Fact]
    public async Task Through_the_server_edits_follow_their_order_on_the_wire()
    {
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync();
        await client.OpenAsync("file:///work/b.cs", "");
        var expected = "";
        foreach (var c in "class B { int x; }")
        {
            var snippet = CaretSnippet.PositionOf(expected, expected.Length);
            await client.ChangeAsync("file:///work/b.cs", Edit(snippet.Line, snippet.Character, snippet.Line, snippet.Character, c.ToString()));
            expected += c;
        }
        await client.RequestAsync(Methods.Status, null);
        Assert.Equal(expected, harness.Server.Context.Documents.Get("file:///work/b.cs")!.Text!.ToString());
    }
}
