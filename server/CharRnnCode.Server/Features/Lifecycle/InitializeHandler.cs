// `initialize`: reads the client's settings (initializationOptions) and whether it can show progress,
// and answers with the server's capabilities: incremental text sync and inline completions.
using System.Text.Json;
using CharRnnCode.Completion;
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.Lifecycle;

public sealed class InitializeHandler(ServerContext context) : IRequestHandler<InitializeParams, InitializeResult>
{
    public string Method => Methods.Initialize;

    public HandlerPhase Phase => HandlerPhase.BeforeInitialize;

    public Task<InitializeResult> HandleAsync(InitializeParams parameters, CancellationToken cancellationToken)
    {
        context.ApplySettings(parameters.InitializationOptions);
        context.ClientSupportsProgress = parameters.Capabilities is { ValueKind: JsonValueKind.Object } capabilities &&
            capabilities.TryGetProperty("window", out var window) && window.ValueKind == JsonValueKind.Object &&
            window.TryGetProperty("workDoneProgress", out var progress) && progress.ValueKind == JsonValueKind.True;
        context.WorkspaceFolders = (parameters.WorkspaceFolders?.Select(folder => folder.Uri) ?? (parameters.RootUri is { } root ? [root] : []))
            .Select(RoslynReranker.PathOf).Where(Path.IsPathRooted).Distinct(StringComparer.Ordinal).ToList();
        context.State = ServerPhase.Initialized;
        context.Log.Info($"initialized by {parameters.ClientInfo?.Name ?? "an unnamed client"} {parameters.ClientInfo?.Version}");
        return Task.FromResult(new InitializeResult(
            new ServerCapabilities(new TextDocumentSyncOptions(OpenClose: true, Change: TextDocumentSyncKind.Incremental), InlineCompletionProvider: true),
            new ServerInfo("charrnn-server", ServerInfoVersion.Current)));
    }
}

public static class ServerInfoVersion
{
    public static string Current { get; } =
        typeof(ServerInfoVersion).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "unknown";
}
