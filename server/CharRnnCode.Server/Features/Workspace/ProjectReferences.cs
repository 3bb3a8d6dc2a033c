// The metadata references of the workspace's projects (package references, project references, the
// target framework's reference assemblies), read through Roslyn's MSBuildWorkspace where a .NET SDK is
// installed, so that names from NuGet packages are known to Roslyn rather than counted as invented.
// MSBuild evaluates the projects in its own build-host process and runs a design-time build: the projects'
// targets run (an Exec hooked before CoreCompile or after ResolveAssemblyReferences runs its command), so
// this is only for a workspace the user trusts (WorkspaceLoader.DesignTimeBuildAsync decides); the assets
// files (AssetsReferences) are the way that runs nothing. The projects must have been restored for their
// package references to resolve. Without an SDK, or when nothing loads, it answers null; either way the
// compilation keeps the .NET reference assemblies. It does not read the projects' sources (the workspace loader does).
using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.MSBuild;

namespace CharRnnCode.Server.Features.Workspace;

public static class ProjectReferences
{
    public const int MaxProjects = 200;

    /// <summary>The .csproj files of the workspace folders (bin/obj/hidden folders skipped), at most MaxProjects.</summary>
    public static List<string> ProjectFiles(IEnumerable<string> folders) =>
        folders.Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.csproj", new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true }))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" || part.StartsWith('.')))
            .Order(StringComparer.Ordinal).Take(MaxProjects).ToList();

    /// <summary>The distinct file references of the projects, or null where MSBuild is not available or no project loads.</summary>
    public static async Task<IReadOnlyList<MetadataReference>?> LoadAsync(IReadOnlyList<string> projects, ServerLog log, CancellationToken cancellationToken)
    {
        if (projects.Count == 0) return null;
        if (!MSBuildLocator.IsRegistered)
        {
            var instance = MSBuildLocator.QueryVisualStudioInstances().OrderByDescending(i => i.Version).FirstOrDefault();
            if (instance is null)
            {
                log.Info("workspace: no .NET SDK found, so project and package references are not resolved");
                return null;
            }
            MSBuildLocator.RegisterInstance(instance);
            log.Info($"workspace: MSBuild {instance.Version} from {instance.MSBuildPath}");
        }
        return await ReadAsync(projects, log, cancellationToken);
    }

    // Separate from LoadAsync so that no MSBuild type is touched before the locator has registered MSBuild.
    private static async Task<IReadOnlyList<MetadataReference>?> ReadAsync(IReadOnlyList<string> projects, ServerLog log, CancellationToken cancellationToken)
    {
        using var workspace = MSBuildWorkspace.Create();
        var references = new Dictionary<string, MetadataReference>(StringComparer.Ordinal);
        var loaded = 0;
        foreach (var path in projects)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var project = workspace.CurrentSolution.Projects.FirstOrDefault(p => p.FilePath == path) ?? await workspace.OpenProjectAsync(path, cancellationToken: cancellationToken);
                foreach (var reference in project.MetadataReferences.OfType<PortableExecutableReference>())
                    if (reference.FilePath is { } file) references.TryAdd(Path.GetFileName(file), reference);
                loaded++;
            }
            catch (Exception error) when (error is not OperationCanceledException and not OutOfMemoryException)
            {
                log.Warn($"workspace: {path} did not load: {error.Message}");
            }
        }
        foreach (var diagnostic in workspace.Diagnostics.Take(5)) log.Warn($"workspace: {diagnostic.Message}");
        log.Info($"workspace: {loaded} of {projects.Count} projects loaded, {references.Count} references");
        return loaded == 0 || references.Count == 0 ? null : references.Values.ToList();
    }
}
