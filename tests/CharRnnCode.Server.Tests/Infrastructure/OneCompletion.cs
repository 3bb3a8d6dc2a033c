// One inline completion from a fresh in-process server: initialize with the given settings, wait for the
// model and Roslyn to be ready, open the caret-marked snippet and ask once. For tests that look at a single
// answer and its trace; it does not retry.
using CharRnnCode.Completion;
using CharRnnCode.Server.Features.InlineCompletion;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Tests.Infrastructure;

public static class OneCompletion
{
    /// <summary>The first item's text ("" when there is none) and the request's trace.</summary>
    public static async Task<(string Text, CompletionTrace Trace)> RequestAsync(string marked, object settings, string uri = "file:///work/Snippet.cs")
    {
        var snippet = CaretSnippet.Parse(marked);
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync(settings);
        await client.RequestAsync(Methods.Status, null);
        Assert.Equal(CharRnnCode.Completion.Modeling.ModelState.Ready, (await harness.Server.Context.Loading).State);
        await harness.Server.Context.Reranker.WhenWarm;
        await client.OpenAsync(uri, snippet.Text);
        var items = (await client.InlineCompletionAsync(uri, snippet.Position)).GetProperty("items");
        var text = items.GetArrayLength() == 0 ? "" : items[0].GetProperty("insertText").GetString()!;
        return (text, harness.Server.Context.CompletionPipeline.LastTrace!);
    }
}
