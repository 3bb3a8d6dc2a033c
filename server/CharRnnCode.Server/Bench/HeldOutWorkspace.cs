// A copy of a folder without some of its files, for a benchmark whose typed files must be absent from disk (so
// that neither Roslyn nor the workspace cache can read the line being typed from anywhere but the editor).
// Only regular files are copied (no links, nothing under .git); the copy is deleted when disposed.
namespace CharRnnCode.Server.Bench;

public sealed class HeldOutWorkspace : IDisposable
{
    private readonly string _source;

    private HeldOutWorkspace(string source, string root, int absent)
    {
        _source = source;
        Root = root;
        Absent = absent;
    }

    /// <summary>The copy's folder.</summary>
    public string Root { get; }
    /// <summary>How many files were left out.</summary>
    public int Absent { get; }

    public static HeldOutWorkspace Without(string folder, IEnumerable<string> absentPaths)
    {
        var source = Path.GetFullPath(folder);
        var absent = absentPaths.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        var root = Path.Combine(Path.GetTempPath(), $"charrnn-held-out-{Guid.NewGuid():N}");
        foreach (var path in Directory.EnumerateFiles(source, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = FileAttributes.ReparsePoint }))
        {
            var relative = Path.GetRelativePath(source, path);
            if (absent.Contains(path) || relative.Split(Path.DirectorySeparatorChar).Contains(".git")) continue;
            var target = Path.Combine(root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(path, target);
        }
        return new HeldOutWorkspace(source, root, absent.Count);
    }

    /// <summary>Where a path of the source folder lies in the copy.</summary>
    public string Map(string path) => Path.Combine(Root, Path.GetRelativePath(_source, path));

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { }
    }
}
