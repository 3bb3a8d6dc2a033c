// An in-process server initialized with a test's settings whose model has loaded (the status request is
// answered only after `initialized` has started the load, so the load is awaited from there): the start-up
// that the completion tests share. Disposing it disposes the client, then the server.
using System.Text.Json;
using CharRnnCode.Completion;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed class ReadyServer : IAsyncDisposable
{
    private ReadyServer(ServerHarness harness, LspTestClient client)
    {
        Harness = harness;
        Client = client;
    }

    public ServerHarness Harness { get; }
    public LspTestClient Client { get; }
    public ServerContext Context => Harness.Server.Context;

    /// <summary>The last completion request's trace.</summary>
    public CompletionTrace LastTrace => Context.CompletionPipeline.LastTrace!;

    /// <summary>Starts, initializes and waits for the model; with <paramref name="warmReranker"/> also for Roslyn.</summary>
    public static async Task<ReadyServer> StartAsync(object settings, string? rootUri = null, bool warmReranker = false)
    {
        var harness = ServerHarness.Start();
        var client = new LspTestClient(harness.ClientStream);
        var server = new ReadyServer(harness, client);
        try
        {
            await client.InitializeAsync(settings, rootUri: rootUri);
            await client.RequestAsync(Methods.Status, null);
            Assert.Equal(CharRnnCode.Completion.Modeling.ModelState.Ready, (await server.Context.Loading).State);
            if (warmReranker) await server.Context.Reranker.WhenWarm;
            return server;
        }
        catch
        {
            // A server that never got ready is not left running for the tests after this one.
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens <paramref name="text"/> as <paramref name="uri"/> and asks once at <paramref name="position"/>: the raw answer.</summary>
    public async Task<JsonElement> OpenAndCompleteAsync(string uri, string text, Position position, int triggerKind = InlineCompletionTriggerKind.Invoked)
    {
        await Client.OpenAsync(uri, text);
        return await Client.InlineCompletionAsync(uri, position, triggerKind);
    }

    /// <summary>The first item's text of an answer, "" when it has none.</summary>
    public static string FirstText(JsonElement result)
    {
        var items = result.GetProperty("items");
        return items.GetArrayLength() == 0 ? "" : items[0].GetProperty("insertText").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Harness.DisposeAsync();
    }
}
