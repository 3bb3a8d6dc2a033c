// Gives Roslyn the whole workspace, not just the open files: on `initialized`, every C# file under the
// client's workspace folders (bin, obj, .git, node_modules and hidden folders skipped; at most MaxFiles
// files of at most MaxFileBytes each, and at most MaxWorkspaceBytes in all) is read and handed to the Roslyn thread in batches, with
// $/progress when the client supports it. Completions are served meanwhile with what is loaded so far. The
// same texts go to the workspace cache, which counts them on its own lowest-priority thread.
// Then the projects' package references join the .NET reference assemblies (those already there by file
// name are kept): read from the restore's obj/project.assets.json (AssetsReferences), which runs nothing;
// and only when the client says the workspace is trusted (trustedWorkspace), also through MSBuild's
// design-time build (ProjectReferences), which runs the projects' targets and so their code. Trust granted
// later starts that build then (DesignTimeBuildAsync). Edits to files that are not open arrive as
// didChangeWatchedFiles.
// Every read of a workspace file (here, and when a watched file changes or an open one closes) goes through
// TryRead: a workspace is whatever is on disk, so a symbolic link (Z.cs -> /dev/zero), a device or a FIFO
// named *.cs is skipped, and no read goes past MaxFileBytes whatever length the file claims.
using CharRnnCode.Completion.Documents;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Features.Workspace;

public static class WorkspaceLoader
{
    public const int MaxFiles = WorkspaceFiles.MaxFiles;
    public const int MaxFileBytes = CharRnnCode.Completion.RoslynReranker.MaxFileBytes;
    /// <summary>Bytes of C# read for Roslyn in all: past this the remaining files are skipped (and the log says how many).</summary>
    public const long MaxWorkspaceBytes = WorkspaceFiles.MaxBytes;
    private const int BatchSize = 64;

    /// <summary>The C# files of the workspace folders, in a stable order (WorkspaceFiles).</summary>
    public static List<string> CSharpFiles(IEnumerable<string> folders) => WorkspaceFiles.CSharpFiles(folders);

    /// <summary>Loads the workspace into Roslyn in the background; returns when it is loaded (or failed, which is logged).</summary>
    /// <param name="byteBudget">bytes read in all before the remaining files are skipped</param>
    public static async Task<int> LoadAsync(ServerContext context, IReadOnlyList<string> folders, long byteBudget = MaxWorkspaceBytes)
    {
        if (folders.Count == 0) return 0;
        var token = $"charrnn-workspace-{Guid.NewGuid():N}";
        var progress = context.ClientSupportsProgress && await context.CreateProgressAsync(token);
        try
        {
            var files = await Task.Run(() => CSharpFiles(folders));
            if (progress)
                await context.NotifyAsync(Methods.Progress, new ProgressParams<WorkDoneProgressBegin>(token, new WorkDoneProgressBegin("CharRnnCode", $"Reading {files.Count} C# files for Roslyn")));
            var loaded = 0;
            long bytesRead = 0;
            var skipped = 0;
            foreach (var (documents, bytes, left) in WorkspaceFiles.ReadInBatches(files, byteBudget, BatchSize))
            {
                skipped = left;
                bytesRead += bytes;
                await context.Reranker.AddWorkspaceFilesAsync(documents);
                if (context.Settings.WorkspaceCache) _ = context.WorkspaceCache.AddWorkspaceFiles(documents);
                loaded += documents.Count;
                if (progress)
                    await context.NotifyAsync(Methods.Progress, new ProgressParams<WorkDoneProgressReport>(token,
                        new WorkDoneProgressReport($"{loaded} of {files.Count} C# files", files.Count == 0 ? 100 : loaded * 100 / files.Count)));
            }
            if (context.Settings.WorkspaceCache) _ = context.WorkspaceCache.TrimExcess();
            if (skipped > 0)
                context.Log.Warn($"workspace: the budget of {byteBudget} bytes of C# files was reached after {loaded} files ({bytesRead} bytes); {skipped} C# files were skipped and Roslyn does not " +
                    $"see them");
            context.Log.Info($"workspace: {loaded} C# files under {string.Join(", ", folders)} given to Roslyn");
            // Then the projects' own references: what a restore wrote down, which runs nothing of the workspace.
            var projects = ProjectReferences.ProjectFiles(folders);
            if (projects.Count > 0)
            {
                if (progress)
                    await context.NotifyAsync(Methods.Progress, new ProgressParams<WorkDoneProgressReport>(token, new WorkDoneProgressReport($"Reading the references of {projects.Count} projects")));
                var fromAssets = await Task.Run(() => AssetsReferences.Load(projects, context.Log));
                if (fromAssets.Count > 0)
                    context.Log.Info($"workspace: {await context.Reranker.AddReferencesAsync(fromAssets)} references from the projects' assets files added");
                if (context.Settings.TrustedWorkspace)
                    await DesignTimeBuildAsync(context, projects);
                else
                    context.Log.Info("workspace: not trusted (trustedWorkspace is false), so MSBuild does not evaluate or build its projects");
            }
            if (progress)
                await context.NotifyAsync(Methods.Progress, new ProgressParams<WorkDoneProgressEnd>(token, new WorkDoneProgressEnd($"{loaded} C# files")));
            _ = WorkspaceAdaptation.StartIfWanted(context);
            return loaded;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            context.Log.Error($"loading the workspace failed: {error.Message}");
            if (progress) await context.NotifyAsync(Methods.Progress, new ProgressParams<WorkDoneProgressEnd>(token, new WorkDoneProgressEnd("failed")));
            return 0;
        }
    }

    /// <summary>The workspace cache turned on after the load: the workspace's files are read again for it, in the background.</summary>
    public static async Task FillWorkspaceCacheAsync(ServerContext context, long byteBudget = MaxWorkspaceBytes)
    {
        await context.WorkspaceLoading;
        var files = await Task.Run(() => CSharpFiles(context.WorkspaceFolders));
        foreach (var (documents, _, _) in WorkspaceFiles.ReadInBatches(files, byteBudget, BatchSize))
        {
            if (!context.Settings.WorkspaceCache) return; // turned off again meanwhile
            await context.WorkspaceCache.AddWorkspaceFiles(documents);
        }
    }

    /// <summary>
    /// MSBuild's design-time build of the projects, for the references the assets files do not name (other
    /// projects' outputs, references set by targets). It runs the projects' targets, so it is only ever
    /// started for a trusted workspace, at most once per server; returns whether this call ran it.
    /// </summary>
    public static async Task<bool> DesignTimeBuildAsync(ServerContext context, IReadOnlyList<string>? projects = null)
    {
        if (!context.Settings.TrustedWorkspace || Interlocked.Exchange(ref context.DesignTimeBuildStarted, 1) == 1) return false;
        projects ??= ProjectReferences.ProjectFiles(context.WorkspaceFolders);
        if (projects.Count == 0) return false;
        context.Log.Info($"workspace: trusted, so MSBuild reads the references of {projects.Count} projects (a design-time build)");
        try
        {
            if (await Task.Run(() => ProjectReferences.LoadAsync(projects, context.Log, CancellationToken.None)) is { } references)
                context.Log.Info($"workspace: {await context.Reranker.AddReferencesAsync(references)} references from MSBuild added");
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            context.Log.Error($"MSBuild's reading of the projects failed: {error.Message}");
        }
        return true;
    }

    /// <summary>The one way the server reads a workspace file: see RoslynReranker.TryRead.</summary>
    public static string? TryRead(string path) => CharRnnCode.Completion.RoslynReranker.TryRead(path);
}
