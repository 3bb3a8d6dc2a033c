// `workspace/didChangeWatchedFiles`: C# files created, changed or deleted on disk (by git, a build, another
// editor) reach Roslyn's view of the workspace; files open in the editor follow the editor's text instead.
using System.Text.Json;
using CharRnnCode.Server.Protocol;
using StreamJsonRpc;

namespace CharRnnCode.Server.Features.Workspace;

public sealed class DidChangeWatchedFilesHandler(ServerContext context)
{
    [JsonRpcMethod(Methods.DidChangeWatchedFiles, UseSingleObjectParameterDeserialization = true)]
    public void DidChangeWatchedFiles(JsonElement json = default)
    {
        if (context.State != ServerPhase.Initialized) return;
        var parameters = LspJson.Parse<DidChangeWatchedFilesParams>(json);
        foreach (var change in parameters.Changes ?? [])
        {
            if (change?.Uri is null || !change.Uri.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) continue;
            _ = context.Reranker.FileChangedOnDiskAsync(change.Uri, deleted: change.Type == FileChangeType.Deleted);
        }
    }
}
