// Finds the .NET reference assemblies that Roslyn compilations bind against, at run time:
// $CHARRNN_REFERENCE_ASSEMBLIES, else the newest Microsoft.NETCore.App.Ref pack of the installed SDK,
// else the running runtime's own implementation assemblies (good enough to resolve names).
// It does not read project files or restore packages.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace CharRnnCode.Scoring;

public sealed record ReferenceAssemblySet(string Source, string Folder, ImmutableArray<string> Paths);

public static class ReferenceAssemblies
{
    private static readonly Lazy<ReferenceAssemblySet> Located = new(Locate);
    private static readonly Lazy<ImmutableArray<MetadataReference>> Loaded = new(() =>
        [.. Located.Value.Paths.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))]);

    public static ReferenceAssemblySet Set => Located.Value;

    /// <summary>The references, loaded once per process and shared by every compilation.</summary>
    public static ImmutableArray<MetadataReference> References => Loaded.Value;

    private static ReferenceAssemblySet Locate()
    {
        var explicitFolder = Environment.GetEnvironmentVariable("CHARRNN_REFERENCE_ASSEMBLIES");
        if (!string.IsNullOrWhiteSpace(explicitFolder))
        {
            if (!Directory.Exists(explicitFolder))
                throw new DirectoryNotFoundException($"CHARRNN_REFERENCE_ASSEMBLIES points to '{explicitFolder}', which does not exist.");
            return FromFolder("CHARRNN_REFERENCE_ASSEMBLIES", explicitFolder);
        }

        var sdkPack = FindRefPack();
        if (sdkPack is not null) return FromFolder("SDK reference pack", sdkPack);

        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        return FromFolder("running runtime (no reference pack found)", runtimeFolder);
    }

    private static ReferenceAssemblySet FromFolder(string source, string folder)
    {
        var paths = Directory.EnumerateFiles(folder, "*.dll")
            .Where(IsManagedAssembly)
            .Order(StringComparer.Ordinal)
            .ToImmutableArray();
        return new ReferenceAssemblySet(source, folder, paths);
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
            return reader.HasMetadata;
        }
        catch (BadImageFormatException) { return false; }
    }

    /// <summary>packs/Microsoft.NETCore.App.Ref/VERSION/ref/netX.Y under the dotnet root, newest matching the runtime's major.</summary>
    private static string? FindRefPack()
    {
        var roots = new List<string>();
        var dotnetRoot = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrWhiteSpace(dotnetRoot)) roots.Add(dotnetRoot);
        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/.
        var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        roots.Add(Path.GetFullPath(Path.Combine(runtimeFolder, "..", "..", "..")));
        roots.AddRange(["/usr/share/dotnet", "/usr/lib/dotnet", "/usr/local/share/dotnet"]);

        var major = Environment.Version.Major;
        foreach (var root in roots.Distinct())
        {
            var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
            if (!Directory.Exists(packs)) continue;
            var best = Directory.EnumerateDirectories(packs)
                .Select(folder => (folder, version: Version.TryParse(Path.GetFileName(folder).Split('-')[0], out var v) ? v : null))
                .Where(pair => pair.version is not null && pair.version.Major == major)
                .OrderByDescending(pair => pair.version)
                .Select(pair => Path.Combine(pair.folder, "ref", $"net{major}.0"))
                .FirstOrDefault(Directory.Exists);
            if (best is not null) return best;
        }
        return null;
    }
}
