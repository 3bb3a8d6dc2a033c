// The LSP 3.18 types this server speaks, all in one place, serialised as camelCase JSON.
// Only the fields the server reads or writes are declared; unknown fields are ignored on input.
// Client capabilities and initialization options stay JsonElement: the server reads a few keys.
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CharRnnCode.Server.Protocol;

public sealed record Position(int Line, int Character);

public sealed record Range(Position Start, Position End);

/// <summary>A document as params name it: by its uri.</summary>
public interface ITextDocument
{
    string Uri { get; }
}

/// <summary>Params about one document, named in `textDocument` as LSP does for every such message.</summary>
public interface ITextDocumentParams<out TDocument> where TDocument : ITextDocument
{
    TDocument TextDocument { get; }
}

public sealed record TextDocumentIdentifier(string Uri) : ITextDocument;

public sealed record VersionedTextDocumentIdentifier(string Uri, int Version) : ITextDocument;

public sealed record TextDocumentItem(string Uri, string LanguageId, int Version, string Text) : ITextDocument;

/// <summary>An incremental change when <see cref="Range"/> is set, otherwise the whole new text.</summary>
public sealed record TextDocumentContentChangeEvent(string Text, Range? Range = null, int? RangeLength = null);

public sealed record DidOpenTextDocumentParams(TextDocumentItem TextDocument) : ITextDocumentParams<TextDocumentItem>;

public sealed record DidChangeTextDocumentParams(VersionedTextDocumentIdentifier TextDocument, TextDocumentContentChangeEvent[] ContentChanges)
    : ITextDocumentParams<VersionedTextDocumentIdentifier>;

public sealed record DidCloseTextDocumentParams(TextDocumentIdentifier TextDocument) : ITextDocumentParams<TextDocumentIdentifier>;

public sealed record DidChangeConfigurationParams(JsonElement? Settings = null);

public sealed record ClientInfo(string Name, string? Version = null);

public sealed record InitializeParams(
    int? ProcessId = null,
    ClientInfo? ClientInfo = null,
    string? RootUri = null,
    JsonElement? Capabilities = null,
    JsonElement? InitializationOptions = null,
    JsonElement? WorkDoneToken = null,
    IReadOnlyList<WorkspaceFolder>? WorkspaceFolders = null);

public sealed record WorkspaceFolder(string Uri, string? Name = null);

/// <summary>workspace/didChangeWatchedFiles: Type is 1 created, 2 changed, 3 deleted.</summary>
public sealed record DidChangeWatchedFilesParams(IReadOnlyList<FileEvent> Changes);

public sealed record FileEvent(string Uri, int Type);

public static class FileChangeType
{
    public const int Created = 1;
    public const int Changed = 2;
    public const int Deleted = 3;
}

public static class TextDocumentSyncKind
{
    public const int None = 0;
    public const int Full = 1;
    public const int Incremental = 2;
}

public sealed record TextDocumentSyncOptions(bool OpenClose, int Change);

public sealed record ServerCapabilities(TextDocumentSyncOptions TextDocumentSync, bool InlineCompletionProvider);

public sealed record ServerInfo(string Name, string Version);

public sealed record InitializeResult(ServerCapabilities Capabilities, ServerInfo ServerInfo);

public static class InlineCompletionTriggerKind
{
    public const int Invoked = 1;
    public const int Automatic = 2;
}

public sealed record SelectedCompletionInfo(Range Range, string Text);

public sealed record InlineCompletionContext(int TriggerKind, SelectedCompletionInfo? SelectedCompletionInfo = null);

public sealed record InlineCompletionParams(TextDocumentIdentifier TextDocument, Position Position, InlineCompletionContext? Context = null)
    : ITextDocumentParams<TextDocumentIdentifier>;

public sealed record InlineCompletionItem(string InsertText, Range Range, string? FilterText = null, InlineCompletionItemData? Data = null);

/// <summary>What charrnn-server adds to each item (`data`, mirrored in the extension's lsp_ext.ts).</summary>
/// <param name="Confidence">share of the candidates that begin with the best one's first token, 0 to 1</param>
public sealed record InlineCompletionItemData(double Confidence);

public sealed record InlineCompletionList(IReadOnlyList<InlineCompletionItem> Items)
{
    public static readonly InlineCompletionList Empty = new([]);
}

public static class MessageType
{
    public const int Error = 1;
    public const int Warning = 2;
    public const int Info = 3;
    public const int Log = 4;
}

public sealed record ShowMessageParams(int Type, string Message);

public sealed record LogMessageParams(int Type, string Message);

public sealed record WorkDoneProgressCreateParams(string Token);

public sealed record ProgressParams<T>(string Token, T Value);

public sealed record WorkDoneProgressBegin(string Title, string? Message = null, bool Cancellable = false)
{
    public string Kind => "begin";
}

public sealed record WorkDoneProgressReport(string? Message = null, int? Percentage = null)
{
    public string Kind => "report";
}

public sealed record WorkDoneProgressEnd(string? Message = null)
{
    public string Kind => "end";
}

/// <summary>The error codes LSP adds to JSON-RPC's.</summary>
public static class LspErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;
    public const int ServerNotInitialized = -32002;
    public const int RequestCancelled = -32800;
    public const int ContentModified = -32801;
}

/// <summary>The method names, as the protocol spells them.</summary>
public static class Methods
{
    public const string Initialize = "initialize";
    public const string Initialized = "initialized";
    public const string Shutdown = "shutdown";
    public const string Exit = "exit";
    public const string DidOpen = "textDocument/didOpen";
    public const string DidChange = "textDocument/didChange";
    public const string DidClose = "textDocument/didClose";
    public const string DidChangeConfiguration = "workspace/didChangeConfiguration";
    public const string DidChangeWatchedFiles = "workspace/didChangeWatchedFiles";
    public const string InlineCompletion = "textDocument/inlineCompletion";
    public const string LogMessage = "window/logMessage";
    public const string ShowMessage = "window/showMessage";
    public const string WorkDoneProgressCreate = "window/workDoneProgress/create";
    public const string Progress = "$/progress";
    public const string Status = "charRnn/status";
}

/// <summary>The JSON settings every message of this server is read and written with.</summary>
public static class LspJson
{
    public static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // Protect the server from pathological nesting in hostile input.
            MaxDepth = 64,
            // A missing or null field the protocol requires is invalid input, not a null to trip over later.
            RespectNullableAnnotations = true,
            RespectRequiredConstructorParameters = true,
        };
        return options;
    }

    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Reads a method's params; anything that does not fit <typeparamref name="T"/> is LSP's InvalidParams.</summary>
    public static T Parse<T>(JsonElement parameters) where T : class
    {
        if (parameters.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            throw new StreamJsonRpc.LocalRpcException("Invalid params for this method: params are missing.") { ErrorCode = LspErrorCodes.InvalidParams };
        try
        {
            return parameters.Deserialize<T>(Options)!;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or NotSupportedException)
        {
            throw new StreamJsonRpc.LocalRpcException($"Invalid params for this method: {error.Message}") { ErrorCode = LspErrorCodes.InvalidParams };
        }
    }
}
