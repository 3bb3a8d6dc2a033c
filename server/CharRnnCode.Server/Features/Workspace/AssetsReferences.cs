// The package references of the workspace's projects, read without running anything of the workspace:
// a restore (`dotnet restore`, or the editor's C# tooling) leaves obj/project.assets.json beside each
// project, which names the NuGet package folders and, per target framework, the compile-time assemblies
// of every package. Those files are handed to Roslyn as metadata (read, never loaded or run). Framework
// references beyond .NET itself (ASP.NET Core, Windows Desktop) come from the installed SDK's reference
// packs, beside the .NET reference pack the server already uses. Unlike ProjectReferences (MSBuild's
// design-time build, which runs the projects' targets), this is safe on a repository nobody has vetted;
// references of other projects in the workspace come from their sources, which the workspace loader reads.
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace CharRnnCode.Server.Features.Workspace;

public static class AssetsReferences
{
    /// <summary>Larger assets files are skipped rather than read (a restore of a very large graph is a few MB).</summary>
    public const long MaxAssetsBytes = 64L << 20;

    /// <summary>Where a restore writes the assets file of <paramref name="project"/> (the default intermediate folder).</summary>
    public static string AssetsFileOf(string project) => Path.Combine(Path.GetDirectoryName(project)!, "obj", "project.assets.json");

    /// <summary>The compile-time assemblies the projects' assets files name and that exist, by file name (first wins).</summary>
    public static IReadOnlyList<MetadataReference> Load(IReadOnlyList<string> projects, ServerLog log)
    {
        var references = new Dictionary<string, MetadataReference>(StringComparer.OrdinalIgnoreCase);
        var read = 0;
        foreach (var project in projects)
        {
            var assets = AssetsFileOf(project);
            if (!File.Exists(assets)) continue;
            try
            {
                if (new FileInfo(assets).Length > MaxAssetsBytes)
                {
                    log.Warn($"workspace: {assets} is larger than {MaxAssetsBytes >> 20} MB; its packages are not read");
                    continue;
                }
                foreach (var file in CompileAssemblies(File.ReadAllText(assets)))
                    if (!references.ContainsKey(Path.GetFileName(file)))
                        references[Path.GetFileName(file)] = MetadataReference.CreateFromFile(file);
                read++;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException or InvalidDataException or BadImageFormatException)
            {
                log.Warn($"workspace: {assets} could not be read: {error.Message}");
            }
        }
        var missing = projects.Count - read;
        log.Info($"workspace: {references.Count} package references from the assets files of {read} of {projects.Count} projects" +
                 (missing > 0 ? $" ({missing} without obj/project.assets.json: restore them for their packages)" : ""));
        return references.Values.ToList();
    }

    /// <summary>
    /// The existing compile-time assembly files an assets file names: each package's compile items
    /// (placeholders "_._" skipped) under the first package folder that holds the package, for every
    /// target framework without a runtime identifier, and the reference packs of its framework references.
    /// </summary>
    public static IEnumerable<string> CompileAssemblies(string assetsJson)
    {
        using var document = JsonDocument.Parse(assetsJson, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException("the assets file is not a JSON object");
        var packageFolders = Object(root, "packageFolders").Select(folder => folder.Name).Where(Path.IsPathRooted).ToList();
        var libraries = Object(root, "libraries")
            .Where(library => library.Value.ValueKind == JsonValueKind.Object && Text(library.Value, "type") == "package" && Text(library.Value, "path") is not null)
            .ToDictionary(library => library.Name, library => Text(library.Value, "path")!, StringComparer.OrdinalIgnoreCase);
        var found = new List<string>();
        foreach (var target in Object(root, "targets").Where(target => !target.Name.Contains('/')))
        {
            foreach (var package in Object(target.Value, ""))
            {
                if (package.Value.ValueKind != JsonValueKind.Object || Text(package.Value, "type") != "package") continue;
                if (!libraries.TryGetValue(package.Name, out var libraryPath)) continue;
                foreach (var item in Object(package.Value, "compile"))
                {
                    if (Path.GetFileName(item.Name) == "_._" || !item.Name.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)) continue;
                    if (packageFolders.Select(folder => Inside(folder, Path.Combine(libraryPath, item.Name))).FirstOrDefault(File.Exists) is { } file)
                        found.Add(file);
                }
            }
        }
        var frameworks = root.TryGetProperty("project", out var project) && project.ValueKind == JsonValueKind.Object ? Object(project, "frameworks") : [];
        foreach (var framework in frameworks)
            foreach (var reference in Object(framework.Value, "frameworkReferences"))
                found.AddRange(FrameworkReferencePack(reference.Name, framework.Name));
        return found.Distinct(StringComparer.Ordinal);
    }

    /// <summary>
    /// The reference assemblies of a shared framework other than .NET itself (which the server always has),
    /// from the installed SDK's packs folder: packs/NAME.Ref/VERSION/ref/TFM, newest version first.
    /// </summary>
    private static IEnumerable<string> FrameworkReferencePack(string name, string targetFramework)
    {
        if (name.Equals("Microsoft.NETCore.App", StringComparison.OrdinalIgnoreCase) || name.IndexOfAny(['/', '\\']) >= 0 || name.Contains("..")) return [];
        // The .NET reference pack lives in <root>/packs/Microsoft.NETCore.App.Ref/<version>/ref/<tfm>.
        var netCorePack = CharRnnCode.Scoring.ReferenceAssemblies.Set.Folder;
        var packs = Path.GetFullPath(Path.Combine(netCorePack, "..", "..", "..", ".."));
        var folder = Path.Combine(packs, name + ".Ref");
        if (!Directory.Exists(folder)) return [];
        var tfm = targetFramework.Split('-')[0];
        return Directory.EnumerateDirectories(folder)
            .Select(version => (Folder: Path.Combine(version, "ref", tfm), Version: Version.TryParse(Path.GetFileName(version).Split('-')[0], out var v) ? v : new Version()))
            .Where(pack => Directory.Exists(pack.Folder))
            .OrderByDescending(pack => pack.Version)
            .Take(1)
            .SelectMany(pack => Directory.EnumerateFiles(pack.Folder, "*.dll"));
    }

    /// <summary>The file under <paramref name="folder"/>, or null when the relative path leads out of it.</summary>
    private static string? Inside(string folder, string relative)
    {
        var root = Path.GetFullPath(folder);
        var full = Path.GetFullPath(Path.Combine(root, relative.Replace('\\', '/')));
        var rootWithSeparator = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return full.StartsWith(rootWithSeparator, StringComparison.Ordinal) ? full : null;
    }

    /// <summary>The properties of the object <paramref name="name"/> of <paramref name="element"/> ("" for the element itself); none when absent or not an object.</summary>
    private static IEnumerable<JsonProperty> Object(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object) return [];
        if (name == "") return element.EnumerateObject();
        return element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value.EnumerateObject() : [];
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
