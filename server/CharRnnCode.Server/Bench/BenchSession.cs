// The real server in process for the benchmarks: a LanguageServer on one end of an in-memory duplex
// stream, a JSON-RPC client with the LSP framing on the other, initialized with a checkpoint, the
// model loaded and Roslyn warm before the first measured request. Disposing it shuts the server down
// as a client would (shutdown, exit). It measures nothing itself.
using System.Text.Json;
using CharRnnCode.Common;
using CharRnnCode.Server.Features.Configuration;
using CharRnnCode.Server.Protocol;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace CharRnnCode.Server.Bench;

public sealed class BenchSession : IAsyncDisposable
{
    private readonly ServerLog _log;
    private readonly Task<int> _running;

    private BenchSession(ServerLog log, LanguageServer server, JsonRpc client, Task<int> running)
    {
        _log = log;
        Server = server;
        Client = client;
        _running = running;
    }

    public LanguageServer Server { get; }
    public JsonRpc Client { get; }

    /// <param name="initializationOptions">the client's settings (checkpoint included), as initializationOptions</param>
    /// <param name="rootUri">the workspace folder, whose C# files the server gives Roslyn; null for none</param>
    public static async Task<BenchSession> StartAsync(object initializationOptions, string? rootUri = null)
    {
        // CHARRNN_SERVER_LOG asks for the server's log here too (each request's timings), as it does of a served server.
        var log = Environment.GetEnvironmentVariable("CHARRNN_SERVER_LOG") is { Length: > 0 } path ? new ServerLog(path, null) : ServerLog.None;
        var (clientStream, serverStream) = FullDuplexStream.CreatePair();
        // As Program.cs starts it: with no checkpoint set, the shipped default model serves.
        var server = new LanguageServer(serverStream, serverStream, new ServerSettings { DefaultCheckpoint = CharRnnCode.Inference.Checkpoints.DefaultModel.BesideProgram() }, log);
        var running = server.RunAsync();
        var formatter = new SystemTextJsonFormatter { JsonSerializerOptions = LspJson.CreateOptions() };
        var client = new JsonRpc(new HeaderDelimitedMessageHandler(clientStream, clientStream, formatter));
        client.StartListening();
        var session = new BenchSession(log, server, client, running);
        await client.InvokeWithParameterObjectAsync<JsonElement>(Methods.Initialize,
            new InitializeParams(RootUri: rootUri, InitializationOptions: JsonSerializer.SerializeToElement(initializationOptions)));
        await client.NotifyWithParameterObjectAsync(Methods.Initialized, new { });
        // Messages are handled in order: once this answers, `initialized` has started the load.
        await client.InvokeWithParameterObjectAsync<JsonElement>(Methods.Status, null);
        var status = await server.Context.Loading;
        if (status.State != Completion.Modeling.ModelState.Ready)
        {
            await session.DisposeAsync();
            throw new UserError($"the checkpoint did not load: {status.Error}");
        }
        await server.Context.Reranker.WhenWarm;
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Client.InvokeWithParameterObjectAsync<JsonElement>(Methods.Shutdown, null);
            await Client.NotifyWithParameterObjectAsync(Methods.Exit, null);
            await _running;
        }
        catch (Exception error) when (error is ConnectionLostException or ObjectDisposedException) { }
        Client.Dispose();
        Server.Dispose();
        _log.Dispose();
    }
}
