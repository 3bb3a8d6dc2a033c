// Hostile and careless input, as raw bytes: thousands of malformed, random and out-of-order messages,
// after which a valid request must still succeed; and memory that stays bounded over 10,000 requests.
using System.Text;
using System.Text.Json;
using LspRange = CharRnnCode.Server.Protocol.Range;

namespace CharRnnCode.Server.Tests.Protocol;

[Collection(TinyCheckpointCollection.Name)]
public sealed class MalformedInputTests(TinyCheckpoint checkpoint)
{
    private const string Uri = "file:///work/Fuzz.cs";

    [Fact]
    public async Task Thousands_of_bad_messages_then_a_valid_request_succeeds()
    {
        var logPath = Path.Combine(TemporaryFolders.Create("fuzz"), "server.log");
        using var log = new ServerLog(logPath, null);
        await using var harness = ServerHarness.Start(log: log);
        var raw = new RawLspConnection(harness.ClientStream);
        string ServerLogText() => File.ReadAllText(logPath);
        await raw.SendFrameAsync(Json(new
        {
            jsonrpc = "2.0", id = 1, method = "initialize",
            @params = new { capabilities = new { }, initializationOptions = new { checkpoint = checkpoint.Path, temperature = 0, maxChars = 20 } }
        }));
        await raw.ReadUntilAsync(m => Id(m) == "1");
        await raw.SendFrameAsync(Json(new { jsonrpc = "2.0", method = "initialized", @params = new { } }));
        await raw.SendFrameAsync(Json(new
        {
            jsonrpc = "2.0", method = "textDocument/didOpen",
            @params = new { textDocument = new { uri = Uri, languageId = "csharp", version = 1, text = "class A\n{\n    int x = 1;\n}\n" } }
        }));

        var random = new Random(20251125);
        var requestsWithIds = 0;
        for (var i = 0; i < 3000; i++)
        {
            Assert.False(harness.Running.IsCompleted, $"the server stopped after message {i}:\n{ServerLogText()}");
            switch (random.Next(11))
            {
                case 0: // bytes that are no message at all
                    var bytes = new byte[random.Next(1, 200)];
                    random.NextBytes(bytes);
                    await raw.SendBytesAsync(bytes);
                    break;
                case 1: // broken headers
                    string[] headers = ["Content-Length: abc\r\n\r\n{}", "Content-Type: text/plain\r\n\r\n", "Content-Length: -5\r\n\r\n", "no colon here\r\n\r\n", "Content-Length: 0\r\n\r\n"];
                    await raw.SendBytesAsync(Encoding.ASCII.GetBytes(headers[random.Next(headers.Length)]));
                    break;
                case 2: // a well-framed body that is not JSON
                    await raw.SendFrameAsync(new string(Enumerable.Range(0, random.Next(1, 80)).Select(_ => (char)random.Next(32, 127)).ToArray()));
                    break;
                case 3: // JSON that is not JSON-RPC
                    string[] notRpc = ["[1,2,3]", "\"text\"", "{\"foo\":1}", "{\"jsonrpc\":\"2.0\",\"id\":{\"a\":1},\"method\":\"x\"}", "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":42}", "null", "{}"];
                    await raw.SendFrameAsync(notRpc[random.Next(notRpc.Length)]);
                    break;
                case 4: // unknown methods, as requests and notifications
                    await raw.SendFrameAsync(Json(new { jsonrpc = "2.0", id = $"u{i}", method = $"textDocument/unknown{i % 7}", @params = new { } }));
                    requestsWithIds++;
                    await raw.SendFrameAsync(Json(new { jsonrpc = "2.0", method = $"$/unknown{i % 5}", @params = new { x = i } }));
                    break;
                case 5: // completions with invalid params, unknown documents, positions out of range
                    object[] parameters =
                    [
                        new { textDocument = 5, position = "here" },
                        new { textDocument = new { uri = "file:///never-opened.cs" }, position = new { line = 0, character = 0 } },
                        new { textDocument = new { uri = Uri }, position = new { line = random.Next(-5, 50), character = random.Next(-5, 500) } },
                        new { textDocument = new { uri = Uri } },
                        new[] { 1, 2 },
                    ];
                    await raw.SendFrameAsync(Json(new { jsonrpc = "2.0", id = $"c{i}", method = "textDocument/inlineCompletion", @params = parameters[random.Next(parameters.Length)] }));
                    requestsWithIds++;
                    break;
                case 6: // edits: to unknown documents, and random (clamped) ranges of the open one
                    var line = random.Next(-2, 8);
                    await raw.SendFrameAsync(Json(new
                    {
                        jsonrpc = "2.0", method = "textDocument/didChange",
                        @params = new
                        {
                            textDocument = new { uri = random.Next(2) == 0 ? Uri : "file:///other.cs", version = i },
                            contentChanges = new[]
                            {
                                new
                                {
                                    range = new { start = new { line, character = random.Next(-2, 30) }, end = new { line = line + random.Next(0, 2), character = random.Next(0, 30) } },
                                    text = random.Next(3) == 0 ? "\n" : "z;",
                                },
                            },
                        },
                    }));
                    break;
                case 7: // out of order: closes of unknown documents, cancellations and responses nobody asked for
                    await raw.SendFrameAsync(Json(new { jsonrpc = "2.0", method = "textDocument/didClose", @params = new { textDocument = new { uri = $"file:///nothing{i}.cs" } } }));
                    await raw.SendFrameAsync(Json(new { jsonrpc = "2.0", method = "$/cancelRequest", @params = new { id = random.Next() } }));
                    await raw.SendFrameAsync(Json(new { jsonrpc = "2.0", id = random.Next(), result = (object?)null }));
                    break;
                case 8: // a second initialize is refused
                    await raw.SendFrameAsync(Json(new { jsonrpc = "2.0", id = $"i{i}", method = "initialize", @params = new { capabilities = new { } } }));
                    requestsWithIds++;
                    break;
                case 9: // a frame whose declared length is shorter than its body
                    var body = Encoding.UTF8.GetBytes(Json(new { jsonrpc = "2.0", method = "initialized", @params = new { } }));
                    await raw.SendBytesAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {body.Length / 2}\r\n\r\n"), .. body]);
                    break;
                default: // configuration with values of the wrong types
                    await raw.SendFrameAsync(Json(new
                    {
                        jsonrpc = "2.0", method = "workspace/didChangeConfiguration",
                        @params = new { settings = new { candidates = "x", temperature = -1, rerank = 3 } }
                    }));
                    break;
            }
        }

        await raw.SendFrameAsync(Json(new
        {
            jsonrpc = "2.0", id = "final", method = "textDocument/inlineCompletion",
            @params = new { textDocument = new { uri = Uri }, position = new { line = 0, character = 0 }, context = new { triggerKind = 1 } }
        }));
        var answer = await raw.ReadUntilAsync(m => Id(m) == "final", timeoutMs: 120_000);
        Assert.False(answer.TryGetProperty("error", out _), answer.GetRawText());
        Assert.Equal(JsonValueKind.Array, answer.GetProperty("result").GetProperty("items").ValueKind);
        Assert.False(harness.Running.IsCompleted);
        Assert.True(harness.Server.RejectedMessages > 500, $"{harness.Server.RejectedMessages} frames rejected");
        Assert.True(requestsWithIds > 500);
    }

    [Fact]
    public async Task Memory_stays_bounded_over_10000_requests()
    {
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync(new { checkpoint = checkpoint.Path, candidates = 4, maxChars = 12, seed = 1 });
        await client.RequestAsync(Methods.Status, null);
        await harness.Server.Context.Loading;
        await harness.Server.Context.Reranker.WhenWarm;
        var text = "class A\n{\n    void M()\n    {\n        \n    }\n}\n";
        var caret = text.IndexOf("        \n", StringComparison.Ordinal) + 8;
        await client.OpenAsync("file:///work/Typing.cs", text);

        long baseline = 0;
        for (var request = 1; request <= 10_000; request++)
        {
            // Type a statement, complete after each character, delete it at the end of the line, again.
            var position = CaretSnippet.PositionOf(text, caret);
            const string typed = "total = total + 1;";
            var index = request % (typed.Length + 1);
            if (index < typed.Length)
            {
                await client.ChangeAsync("file:///work/Typing.cs", new TextDocumentContentChangeEvent(typed[index].ToString(), new LspRange(position, position)));
                text = text.Insert(caret, typed[index].ToString());
                caret++;
            }
            else
            {
                var start = CaretSnippet.PositionOf(text, caret - typed.Length);
                await client.ChangeAsync("file:///work/Typing.cs", new TextDocumentContentChangeEvent("", new LspRange(start, position)));
                text = text.Remove(caret - typed.Length, typed.Length);
                caret -= typed.Length;
            }
            await client.InlineCompletionAsync("file:///work/Typing.cs", CaretSnippet.PositionOf(text, caret), InlineCompletionTriggerKind.Automatic);
            if (request == 1_000) baseline = Settled();
        }
        var after = Settled();
        Assert.True(after - baseline < 32 << 20, $"managed memory grew from {baseline >> 20} MB to {after >> 20} MB over 9,000 requests");
        Assert.Equal(1000, harness.Server.Context.CompletionPipeline.Latencies.Summary().Count);
    }

    private static long Settled()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value);

    private static string? Id(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? id.ToString()
            : null;
}
