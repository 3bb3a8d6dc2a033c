// `workspace/didChangeWatchedFiles`: C# files created, changed or deleted on disk (by git, a build, another
// editor) reach Roslyn's view of the workspace; files open in the editor follow the editor's text instead.
using CharRnnCode.Server.Dispatch;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.Workspace;

public sealed class DidChangeWatchedFilesHandler(ServerContext context) : INotificationHandler<DidChangeWatchedFilesParams>
{
    public string Method => Methods.DidChangeWatchedFiles;

    public void Handle(DidChangeWatchedFilesParams parameters)
    {
        foreach (var change in parameters.Changes ?? [])
        {
            if (change?.Uri is null || !change.Uri.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) continue;
            _ = context.Reranker.FileChangedOnDiskAsync(change.Uri, deleted: change.Type == FileChangeType.Deleted);
            _ = context.WorkspaceCache.FileChangedOnDisk(CharRnnCode.Completion.RoslynReranker.PathOf(change.Uri), deleted: change.Type == FileChangeType.Deleted);
        }
    }
}
