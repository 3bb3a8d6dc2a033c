// The dispatcher's rules as a client sees them, as raw JSON-RPC: each expected response is written out
// whole. Requests outside the serving phase, malformed params, unknown documents and unknown methods get
// the answers LSP asks for; notifications that cannot be served are dropped (and logged), never answered.
using System.Text.Json;

namespace CharRnnCode.Server.Tests.Protocol;

public sealed class DispatcherTests
{
    private const string Initialize = """{"jsonrpc":"2.0","id":"init","method":"initialize","params":{"capabilities":{},"initializationOptions":{"loadWorkspace":false}}}""";
    private const string Initialized = """{"jsonrpc":"2.0","method":"initialized","params":{}}""";
    private const string CompletionAtStart = """{"textDocument":{"uri":"file:///work/a.cs"},"position":{"line":0,"character":0}}""";
    private const string OpenA = """{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///work/a.cs","languageId":"csharp","version":1,"text":"class A { }\n"}}}""";

    [Fact]
    public async Task Requests_before_initialize_are_ServerNotInitialized_and_notifications_are_dropped()
    {
        await using var session = await Session.StartAsync(initialize: false);
        var (harness, raw) = (session.Harness, session.Raw);

        await raw.SendFrameAsync(OpenA);
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":1,"error":{"code":-32002,"message":"The server is not initialized: send initialize first."}}""",
            await RequestAsync(raw, 1, "textDocument/inlineCompletion", CompletionAtStart));
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":2,"error":{"code":-32002,"message":"The server is not initialized: send initialize first."}}""",
            await RequestAsync(raw, 2, "charRnn/status", null));
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":3,"error":{"code":-32002,"message":"The server is not initialized: send initialize first."}}""",
            await RequestAsync(raw, 3, "shutdown", null));

        await raw.SendFrameAsync(Initialize);
        await raw.ReadUntilAsync(message => Id(message) == "init");
        Assert.Equal(0, harness.Server.Context.Documents.Count);
    }

    [Fact]
    public async Task After_shutdown_requests_are_InvalidRequest_and_notifications_are_dropped()
    {
        await using var session = await Session.StartAsync();
        var (harness, raw) = (session.Harness, session.Raw);

        JsonAssert.Equal("""{"jsonrpc":"2.0","id":1,"result":null}""", await RequestAsync(raw, 1, "shutdown", null));
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":2,"error":{"code":-32600,"message":"The server is shutting down."}}""",
            await RequestAsync(raw, 2, "textDocument/inlineCompletion", CompletionAtStart));
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":3,"error":{"code":-32600,"message":"The server is shutting down."}}""",
            await RequestAsync(raw, 3, "shutdown", null));
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":4,"error":{"code":-32600,"message":"initialize may be sent only once."}}""",
            await RequestAsync(raw, 4, "initialize", """{"capabilities":{}}"""));
        await raw.SendFrameAsync(OpenA);
        await RequestAsync(raw, 5, "charRnn/status", null); // answered after the didOpen before it was handled
        Assert.Equal(0, harness.Server.Context.Documents.Count);

        await raw.SendFrameAsync("""{"jsonrpc":"2.0","method":"exit"}""");
        Assert.Equal(0, await harness.Running.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Malformed_params_are_InvalidParams_naming_the_problem()
    {
        await using var session = await Session.StartAsync();
        var (raw, errors) = (session.Raw, session.Errors);

        JsonAssert.Equal("""{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params for this method: The JSON value could not be converted """ +
            """to CharRnnCode.Server.Protocol.TextDocumentIdentifier. Path: $.textDocument | LineNumber: 0 | BytePositionInLine: 17."}}""",
            await RequestAsync(raw, 1, "textDocument/inlineCompletion", """{"textDocument":5,"position":"here"}"""));
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params for this method: JSON deserialization for type """ +
            """'CharRnnCode.Server.Protocol.InlineCompletionParams' was missing required properties including: 'position'."}}""",
            await RequestAsync(raw, 2, "textDocument/inlineCompletion", """{"textDocument":{"uri":"file:///work/a.cs"}}"""));
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":3,"error":{"code":-32602,"message":"Invalid params for this method: params are missing."}}""",
            await RequestAsync(raw, 3, "textDocument/inlineCompletion", null));
        // initialize reads its params before its once-only rule: a malformed one is InvalidParams even when repeated.
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":4,"error":{"code":-32602,"message":"Invalid params for this method: The JSON value could not be converted """ +
            """to CharRnnCode.Server.Protocol.InitializeParams. Path: $.processId | LineNumber: 0 | BytePositionInLine: 16."}}""",
            await RequestAsync(raw, 4, "initialize", """{"processId":"x"}"""));

        // A notification cannot be answered: it is dropped with a log line, and the server goes on serving.
        await raw.SendFrameAsync("""{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":5}}""");
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":5,"result":{"items":[]}}""", await RequestAsync(raw, 5, "textDocument/inlineCompletion", CompletionAtStart));
        Assert.Contains("charrnn-server: warn: textDocument/didOpen ignored: Invalid params for this method: The JSON value could not be converted to CharRnnCode.Server.Protocol.TextDocumentItem.",
            errors.ToString());
    }

    [Fact]
    public async Task Unknown_documents_answer_empty_requests_and_drop_notifications()
    {
        await using var session = await Session.StartAsync();
        var (harness, raw, errors) = (session.Harness, session.Raw, session.Errors);

        JsonAssert.Equal("""{"jsonrpc":"2.0","id":1,"result":{"items":[]}}""",
            await RequestAsync(raw, 1, "textDocument/inlineCompletion", """{"textDocument":{"uri":"file:///never-opened.cs"},"position":{"line":0,"character":0}}"""));
        await raw.SendFrameAsync("""{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///never-opened.cs","version":2},"contentChanges":[{"text":"x"}]}}""");
        await raw.SendFrameAsync("""{"jsonrpc":"2.0","method":"textDocument/didClose","params":{"textDocument":{"uri":"file:///never-opened.cs"}}}""");
        await RequestAsync(raw, 2, "charRnn/status", null);

        Assert.Equal(0, harness.Server.Context.Documents.Count);
        Assert.Contains("charrnn-server: warn: textDocument/didChange for file:///never-opened.cs, which is not open: ignored", errors.ToString());
        Assert.Contains("charrnn-server: warn: textDocument/didClose for file:///never-opened.cs, which is not open: ignored", errors.ToString());
    }

    [Fact]
    public async Task Unknown_methods_are_MethodNotFound_in_every_phase()
    {
        await using var session = await Session.StartAsync(initialize: false);
        var raw = session.Raw;

        JsonAssert.Equal("""{"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"No method by the name 'textDocument/hover' is found."}}""",
            await RequestAsync(raw, 1, "textDocument/hover", "{}"));
        await InitializeAsync(raw);
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":2,"error":{"code":-32601,"message":"No method by the name 'textDocument/hover' is found."}}""",
            await RequestAsync(raw, 2, "textDocument/hover", "{}"));
        // An unknown notification gets no answer; the next request is answered as usual.
        await raw.SendFrameAsync("""{"jsonrpc":"2.0","method":"$/unknown","params":{}}""");
        JsonAssert.Equal("""{"jsonrpc":"2.0","id":3,"result":{"items":[]}}""",
            await RequestAsync(raw, 3, "textDocument/inlineCompletion", """{"textDocument":{"uri":"file:///never-opened.cs"},"position":{"line":0,"character":0}}"""));
    }

    private static async Task InitializeAsync(RawLspConnection raw)
    {
        await raw.SendFrameAsync(Initialize);
        await raw.ReadUntilAsync(message => Id(message) == "init");
        await raw.SendFrameAsync(Initialized);
    }

    /// <summary>A server on raw bytes, its warnings kept (as they would reach standard error), initialized unless asked not to be.</summary>
    private sealed class Session : IAsyncDisposable
    {
        private Session(ServerHarness harness, StringWriter errors)
        {
            Harness = harness;
            Errors = errors;
            Raw = new RawLspConnection(harness.ClientStream);
        }

        public ServerHarness Harness { get; }
        public RawLspConnection Raw { get; }
        public StringWriter Errors { get; }

        public static async Task<Session> StartAsync(bool initialize = true)
        {
            var errors = new StringWriter();
            var session = new Session(ServerHarness.Start(log: new ServerLog(null, errors)), errors);
            if (initialize) await InitializeAsync(session.Raw);
            return session;
        }

        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }

    /// <summary>Sends one request (params as JSON text, or none) and returns the whole response to it.</summary>
    private static async Task<JsonElement> RequestAsync(RawLspConnection raw, int id, string method, string? parameters)
    {
        var frame = parameters is null
            ? $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}"}"""
            : $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{parameters}}}""";
        await raw.SendFrameAsync(frame);
        return await raw.ReadUntilAsync(message => Id(message) == id.ToString());
    }

    private static string? Id(JsonElement message) =>
        message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? id.ToString()
            : null;
}
