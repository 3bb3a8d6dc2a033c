// The protocol's life cycle and its error answers, through a real StreamJsonRpc client in process.
using System.Text.Json;
using StreamJsonRpc;

namespace CharRnnCode.Server.Tests.Protocol;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Initialize_answers_the_capabilities_the_editor_needs()
    {
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        var result = await client.InitializeAsync();
        JsonAssert.Equal("""
            {
              "capabilities": { "textDocumentSync": { "openClose": true, "change": 2 }, "inlineCompletionProvider": true },
              "serverInfo": { "name": "charrnn-server", "version": "0.1.0" }
            }
            """, result);
    }

    [Fact]
    public async Task Requests_before_initialize_are_refused_with_server_not_initialized()
    {
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        var error = await Assert.ThrowsAsync<RemoteInvocationException>(() =>
            client.InlineCompletionAsync("file:///a.cs", new Position(0, 0)));
        Assert.Equal(LspErrorCodes.ServerNotInitialized, error.ErrorCode);
    }

    [Fact]
    public async Task No_checkpoint_says_why_and_answers_empty_completions()
    {
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync();
        var message = await client.WaitForAsync(Methods.ShowMessage);
        JsonAssert.Equal(("""
            {
              "type": 2,
              "message": "CharRnnCode: no checkpoint is configured, so no completions will be offered. Set charRnnCode.checkpoint (VS Code) or
            """ + " initializationOptions.checkpoint to a file written by `charrnn train` (or start the server with --checkpoint).\"" +
                "\n" + """
            }
            """), message);
        await client.OpenAsync("file:///work/a.cs", "class A { }\n");
        var result = await client.InlineCompletionAsync("file:///work/a.cs", new Position(0, 10));
        JsonAssert.Equal("""{ "items": [] }""", result);
    }

    [Fact]
    public async Task Missing_checkpoint_is_reported_with_progress_and_the_server_keeps_serving()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"charrnn-missing-{Guid.NewGuid():N}.ckpt");
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync(new { checkpoint = missing });
        var message = await client.WaitForAsync(Methods.ShowMessage);
        JsonAssert.Equal(($$"""
            {
              "type": 1,
              "message": "CharRnnCode could not load the checkpoint: The checkpoint '{{missing}}' does not exist. Set charRnnCode.checkpoint (VS
            """ + " Code) or initializationOptions.checkpoint to a file written by `charrnn train`. Completions are off until a checkpoint loads.\"" +
                "\n" + """
            }
            """), message);
        var end = await client.WaitForAsync(Methods.Progress, p => p.GetProperty("value").GetProperty("kind").GetString() == "end");
        var token = end.GetProperty("token").GetString();
        var begin = client.Received.Single(r => r.Method == Methods.Progress && r.Params.GetProperty("value").GetProperty("kind").GetString() == "begin").Params;
        JsonAssert.Equal($$"""{ "token": "{{token}}", "value": { "title": "CharRnnCode", "message": "Loading {{Path.GetFileName(missing)}}", "cancellable": false, "kind": "begin" } }""", begin);
        JsonAssert.Equal($$"""{ "token": "{{token}}", "value": { "message": "Failed", "kind": "end" } }""", end);

        await client.OpenAsync("file:///work/a.cs", "class A { }\n");
        JsonAssert.Equal("""{ "items": [] }""", await client.InlineCompletionAsync("file:///work/a.cs", new Position(0, 10)));
        var status = await client.RequestAsync(Methods.Status, null);
        Assert.Equal("failed", status.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Corrupt_checkpoint_is_reported_and_the_server_keeps_serving()
    {
        var corrupt = Path.Combine(Path.GetTempPath(), $"charrnn-corrupt-{Guid.NewGuid():N}.ckpt");
        await File.WriteAllBytesAsync(corrupt, System.Text.Encoding.UTF8.GetBytes("this is not a checkpoint"));
        try
        {
            await using var harness = ServerHarness.Start();
            using var client = new LspTestClient(harness.ClientStream);
            await client.InitializeAsync(new { checkpoint = corrupt });
            var message = await client.WaitForAsync(Methods.ShowMessage);
            Assert.Equal(MessageType.Error, message.GetProperty("type").GetInt32());
            Assert.StartsWith("CharRnnCode could not load the checkpoint: ", message.GetProperty("message").GetString());
            Assert.Contains(corrupt, message.GetProperty("message").GetString());
            await client.OpenAsync("file:///work/a.cs", "class A { }\n");
            JsonAssert.Equal("""{ "items": [] }""", await client.InlineCompletionAsync("file:///work/a.cs", new Position(0, 10)));
        }
        finally
        {
            File.Delete(corrupt);
        }
    }

    [Fact]
    public async Task Unknown_methods_invalid_params_and_unknown_documents_get_errors_or_empty_results()
    {
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync();

        var unknown = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() => client.RequestAsync("textDocument/hover", new { }));
        Assert.Equal(LspErrorCodes.MethodNotFound, (int)unknown.ErrorCode);

        // StreamJsonRpc's client reports InvalidParams as "no method with those parameters".
        var invalid = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() =>
            client.RequestAsync(Methods.InlineCompletion, new { textDocument = 5, position = "here" }));
        Assert.Equal(LspErrorCodes.InvalidParams, (int)invalid.ErrorCode);

        var missing = await Assert.ThrowsAsync<RemoteMethodNotFoundException>(() =>
            client.RequestAsync(Methods.InlineCompletion, new { textDocument = new { uri = "file:///a.cs" } }));
        Assert.Equal(LspErrorCodes.InvalidParams, (int)missing.ErrorCode);

        JsonAssert.Equal("""{ "items": [] }""", await client.InlineCompletionAsync("file:///never-opened.cs", new Position(0, 0)));
        await client.OpenAsync("file:///work/a.cs", "class A { }\n");
        JsonAssert.Equal("""{ "items": [] }""", await client.InlineCompletionAsync("file:///work/a.cs", new Position(99, 0)));
        JsonAssert.Equal("""{ "items": [] }""", await client.InlineCompletionAsync("file:///work/a.cs", new Position(-1, -5)));
    }

    [Fact]
    public async Task Shutdown_then_exit_ends_with_zero_exit_alone_with_one()
    {
        await using (var harness = ServerHarness.Start())
        {
            using var client = new LspTestClient(harness.ClientStream);
            await client.InitializeAsync();
            var result = await client.RequestAsync(Methods.Shutdown, null);
            Assert.Equal(JsonValueKind.Null, result.ValueKind);
            var refused = await Assert.ThrowsAsync<RemoteInvocationException>(() => client.InlineCompletionAsync("file:///a.cs", new Position(0, 0)));
            Assert.Equal(LspErrorCodes.InvalidRequest, refused.ErrorCode);
            await client.NotifyAsync(Methods.Exit, null);
            Assert.Equal(0, await harness.Running.WaitAsync(TimeSpan.FromSeconds(30)));
        }
        await using (var harness = ServerHarness.Start())
        {
            using var client = new LspTestClient(harness.ClientStream);
            await client.InitializeAsync();
            await client.NotifyAsync(Methods.Exit, null);
            Assert.Equal(1, await harness.Running.WaitAsync(TimeSpan.FromSeconds(30)));
        }
    }

    [Fact]
    public async Task Settings_from_configuration_changes_are_applied_and_bad_values_reported()
    {
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync(new { temperature = 0.5, candidates = 4 });
        await client.NotifyAsync(Methods.DidChangeConfiguration, new
        {
            settings = new { charRnn = new { maxChars = 40, maxLines = 2, rerank = false, candidates = "many" } },
        });
        var warning = await client.WaitForAsync(Methods.ShowMessage, p => p.GetProperty("message").GetString()!.Contains("ignored"));
        JsonAssert.Equal("""{ "type": 2, "message": "CharRnnCode setting ignored: candidates must be a number from 1 to 32." }""", warning);
        await client.RequestAsync(Methods.Status, null); // a request after the notification: it has been applied
        JsonAssert.Equal("""
            {
              "temperature": 0.5, "topP": 0.95, "candidates": 4, "maxChars": 40, "maxLines": 2, "rerank": false,
              "timeBudgetMs": 120, "constrain": true, "constrainWaitMs": 50, "loadWorkspace": true, "trustedWorkspace": false, "workspaceCache": true, "dynamicEvaluation": false, "encodeAhead": true,
              "typeThrough": true, "invokedItems": 3,
              "minConfidence": 0.75, "minConfidenceByLanguage": {}, "stopAgreement": 0.5, "device": "cpu"
            }
            """, harness.Server.Context.Settings);
    }
}
