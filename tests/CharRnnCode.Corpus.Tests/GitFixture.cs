// Real git repositories for tests, built with LibGit2Sharp in a temporary folder: files with exact
// bytes, symlinks and submodule entries written straight into the object database, committed on main.
// Each fixture deletes its folder on Dispose.
using System.Text;
using LibGit2Sharp;

namespace CharRnnCode.Corpus.Tests;

public sealed class GitFixture : IDisposable
{
    public string Root { get; } = Path.Combine(Path.GetTempPath(), "charrnn-tests", Guid.NewGuid().ToString("N"));

    public GitFixture() => Directory.CreateDirectory(Root);

    public string PathOf(string name) => Path.Combine(Root, name);

    /// <summary>One entry of a commit's tree.</summary>
    public abstract record Entry(string Path);
    public sealed record FileEntry(string Path, byte[] Content) : Entry(Path);
    public sealed record SymlinkEntry(string Path, string Target) : Entry(Path);
    public sealed record SubmoduleEntry(string Path) : Entry(Path);

    public static FileEntry Text(string path, string content) => new(path, Encoding.UTF8.GetBytes(content));
    public static FileEntry Bytes(string path, params byte[] content) => new(path, content);

    /// <summary>Creates a repository (bare or with a working folder) and commits <paramref name="entries"/> on main.</summary>
    public string CreateRepository(string name, IEnumerable<Entry> entries, bool bare = false)
    {
        var path = PathOf(name);
        Repository.Init(path, bare);
        Commit(path, entries, "first");
        return path;
    }

    /// <summary>Commits a whole new tree (replacing the previous one) on main; returns the commit id.</summary>
    public static string Commit(string repositoryPath, IEnumerable<Entry> entries, string message)
    {
        using var repository = new Repository(repositoryPath);
        var definition = new TreeDefinition();
        foreach (var entry in entries)
        {
            switch (entry)
            {
                case FileEntry file:
                    definition.Add(file.Path, repository.ObjectDatabase.CreateBlob(new MemoryStream(file.Content)), Mode.NonExecutableFile);
                    break;
                case SymlinkEntry link:
                    definition.Add(link.Path, repository.ObjectDatabase.CreateBlob(new MemoryStream(Encoding.UTF8.GetBytes(link.Target))), Mode.SymbolicLink);
                    break;
                case SubmoduleEntry submodule:
                    definition.AddGitLink(submodule.Path, new ObjectId("0123456789abcdef0123456789abcdef01234567"));
                    break;
            }
        }
        var tree = repository.ObjectDatabase.CreateTree(definition);
        var signature = new Signature("test", "test@example.com", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var parent = repository.Refs["refs/heads/main"]?.ResolveToDirectReference()?.Target as Commit;
        var commit = repository.ObjectDatabase.CreateCommit(signature, signature, message, tree, parent is null ? [] : [parent], prettifyMessage: false);
        if (parent is null) repository.Refs.Add("refs/heads/main", commit.Id);
        else repository.Refs.UpdateTarget(repository.Refs["refs/heads/main"], commit.Id);
        repository.Refs.UpdateTarget("HEAD", "refs/heads/main");
        return commit.Sha;
    }

    public void Dispose()
    {
        if (!Directory.Exists(Root)) return;
        foreach (var file in Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories))
            File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(Root, recursive: true);
    }
}
