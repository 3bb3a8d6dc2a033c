// The prefix-state cache against the documents it follows: a state computed from an old snapshot is
// never stored past an edit that came after that snapshot, and closing a document drops its states; with
// the workspace cache on, only the last 256 characters of an encoded span are weighed.
using CharRnnCode.Completion.Documents;
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Server.Features.DocumentSync;
using LspRange = CharRnnCode.Server.Protocol.Range;

namespace CharRnnCode.Server.Tests.PrefixStates;

[Collection(TinyCheckpointCollection.Name)]
public sealed class PrefixStateCacheTests(TinyCheckpoint checkpoint)
{
    private const string Uri = "file:///work/A.cs";

    /// <summary>A cache that follows a document store in which <see cref="Uri"/> is open with a generated C# file: the store, the cache and the text.</summary>
    private static (DocumentStore Documents, PrefixStateCache Cache, string Text) OpenDocument()
    {
        var documents = new DocumentStore();
        var cache = new PrefixStateCache();
        cache.Follow(documents);
        var text = TinyModelCorpus.CSharp(seed: 7, classes: 3);
        documents.Open(new TextDocumentItem(Uri, "csharp", 1, text));
        return (documents, cache, text);
    }

    [Fact]
    public void Encoding_an_old_snapshot_after_an_edit_at_100_stores_no_state_past_100()
    {
        using var model = checkpoint.Load();
        var (documents, cache, text) = OpenDocument();
        var old = documents.Get(Uri)!;
        var at100 = CaretSnippet.PositionOf(text, 100);
        documents.Change(Uri, 2, [new TextDocumentContentChangeEvent("/* edit */", new LspRange(at100, at100))]);

        // The model thread was still working on the old text when the edit arrived.
        cache.StateAt(model, old, 500, CancellationToken.None);

        Assert.Equal([64], cache.SavedOffsets(Uri));
    }

    [Fact]
    public void The_current_snapshot_keeps_every_interval_and_the_caret_and_closing_drops_them()
    {
        using var model = checkpoint.Load();
        var (documents, cache, _) = OpenDocument();

        cache.StateAt(model, documents.Get(Uri)!, 200, CancellationToken.None);
        Assert.Equal([64, 128, 192, 200], cache.SavedOffsets(Uri));

        documents.Close(Uri);
        Assert.Empty(cache.SavedOffsets(Uri));
    }

    [Fact]
    public void Of_a_long_encoded_span_only_the_last_256_characters_ask_the_workspace_cache()
    {
        using var model = checkpoint.Load();
        var (documents, cache, text) = OpenDocument();
        var weighed = new List<int>();
        cache.Evidence = (_, _, position, network, _) => { weighed.Add(position); return network; };
        var offset = Math.Min(text.Length, 900);
        Assert.True(offset > 600, $"the generated file has only {text.Length} characters");

        var encoded = cache.StateAt(model, documents.Get(Uri)!, offset, CancellationToken.None);

        Assert.True(encoded.CharactersEncoded > 256, $"only {encoded.CharactersEncoded} characters were encoded");
        Assert.Equal(Enumerable.Range(offset - 256, 256), weighed);
    }
}
