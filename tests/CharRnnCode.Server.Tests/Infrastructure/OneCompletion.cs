// One inline completion from a fresh in-process server: initialize with the given settings, wait for the
// model and Roslyn to be ready, open the caret-marked snippet and ask once. For tests that look at a single
// answer and its trace; it does not retry.
using CharRnnCode.Completion;

namespace CharRnnCode.Server.Tests.Infrastructure;

public static class OneCompletion
{
    /// <summary>The first item's text ("" when there is none) and the request's trace.</summary>
    public static async Task<(string Text, CompletionTrace Trace)> RequestAsync(string marked, object settings, string uri = "file:///work/Snippet.cs")
    {
        var snippet = CaretSnippet.Parse(marked);
        await using var server = await ReadyServer.StartAsync(settings, warmReranker: true);
        var result = await server.OpenAndCompleteAsync(uri, snippet.Text, snippet.Position);
        return (ReadyServer.FirstText(result), server.LastTrace);
    }
}
