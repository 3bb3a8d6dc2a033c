// An LSP client for in-process tests: StreamJsonRpc's own header-delimited handler (not the server's),
// System.Text.Json, and a record of every notification and request the server sends to the client.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using StreamJsonRpc;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed class LspTestClient : IDisposable
{
    private readonly JsonRpc _rpc;
    private int _version = 1;

    public LspTestClient(Stream stream)
    {
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = LspJson.CreateOptions() };
        _rpc = new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, formatter));
        _rpc.AddLocalRpcTarget(new ClientTarget(this), new JsonRpcTargetOptions { UseSingleObjectParameterDeserialization = true });
        _rpc.StartListening();
    }

    /// <summary>Every message the server sent to the client, in order: (method, params).</summary>
    public ConcurrentQueue<(string Method, JsonElement Params)> Received { get; } = new();

    public Task<JsonElement> RequestAsync(string method, object? parameters, CancellationToken cancellationToken = default) =>
        _rpc.InvokeWithParameterObjectAsync<JsonElement>(method, parameters, cancellationToken);

    public Task NotifyAsync(string method, object? parameters) => _rpc.NotifyWithParameterObjectAsync(method, parameters);

    public async Task<JsonElement> InitializeAsync(object? initializationOptions = null, bool progress = true, string? rootUri = null)
    {
        var result = await RequestAsync(Methods.Initialize, new
        {
            processId = Environment.ProcessId,
            clientInfo = new { name = "tests", version = "1" },
            rootUri,
            capabilities = new { window = new { workDoneProgress = progress } },
            initializationOptions,
        });
        await NotifyAsync(Methods.Initialized, new { });
        return result;
    }

    public Task OpenAsync(string uri, string text, string languageId = "csharp") =>
        NotifyAsync(Methods.DidOpen, new DidOpenTextDocumentParams(new TextDocumentItem(uri, languageId, _version++, text)));

    public Task ChangeAsync(string uri, params TextDocumentContentChangeEvent[] changes) =>
        NotifyAsync(Methods.DidChange, new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(uri, _version++), changes));

    public Task<JsonElement> InlineCompletionAsync(string uri, Position position, int triggerKind = InlineCompletionTriggerKind.Invoked,
        SelectedCompletionInfo? selected = null, CancellationToken cancellationToken = default) =>
        RequestAsync(Methods.InlineCompletion,
            new InlineCompletionParams(new TextDocumentIdentifier(uri), position, new InlineCompletionContext(triggerKind, selected)), cancellationToken);

    /// <summary>Waits until the server has sent a message for <paramref name="method"/> that satisfies <paramref name="match"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string method, Func<JsonElement, bool>? match = null, int timeoutMs = 60_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            foreach (var (received, parameters) in Received)
                if (received == method && (match is null || match(parameters))) return parameters;
            await Task.Delay(10);
        }
        throw new TimeoutException($"The server sent no {method} within {timeoutMs} ms. Received: {string.Join(", ", Received.Select(r => r.Method))}");
    }

    /// <summary>Asks for charRnn/status every 100 ms until <paramref name="done"/> holds of it or <paramref name="timeout"/> has passed: the last status either way.</summary>
    public async Task<JsonElement> PollStatusAsync(Func<JsonElement, bool> done, TimeSpan timeout)
    {
        JsonElement status = default;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < timeout; await Task.Delay(100))
        {
            status = await RequestAsync(Methods.Status, null);
            if (done(status)) break;
        }
        return status;
    }

    /// <summary>As <see cref="PollStatusAsync"/>, failing the test when <paramref name="done"/> never held.</summary>
    public async Task<JsonElement> WaitForStatusAsync(Func<JsonElement, bool> done, TimeSpan timeout)
    {
        var status = await PollStatusAsync(done, timeout);
        Assert.True(done(status), $"the server did not get there within {timeout.TotalSeconds} s; last status: {status}");
        return status;
    }

    public void Dispose() => _rpc.Dispose();

    private sealed class ClientTarget(LspTestClient client)
    {
        [JsonRpcMethod(Methods.ShowMessage)]
        public void ShowMessage(JsonElement parameters) => client.Received.Enqueue((Methods.ShowMessage, parameters.Clone()));

        [JsonRpcMethod(Methods.LogMessage)]
        public void LogMessage(JsonElement parameters) => client.Received.Enqueue((Methods.LogMessage, parameters.Clone()));

        [JsonRpcMethod(Methods.Progress)]
        public void Progress(JsonElement parameters) => client.Received.Enqueue((Methods.Progress, parameters.Clone()));

        [JsonRpcMethod(Methods.WorkDoneProgressCreate)]
        public object? CreateProgress(JsonElement parameters)
        {
            client.Received.Enqueue((Methods.WorkDoneProgressCreate, parameters.Clone()));
            return null;
        }
    }
}
