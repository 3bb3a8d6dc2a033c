// What a harvest reports while it runs, for a progress bar or a log. The library never draws anything
// itself; the command line turns these calls into Spectre.Console progress bars.
namespace CharRnnCode.Corpus;

public interface IHarvestProgress
{
    /// <summary>A clone or fetch of <paramref name="repoId"/> advanced (called often, from libgit2's thread).</summary>
    void Transfer(string repoId, long receivedObjects, long totalObjects, long receivedBytes) { }

    /// <summary>The files of <paramref name="repoId"/> are about to be read: <paramref name="totalFiles"/> candidates.</summary>
    void BeginFiles(string repoId, long totalFiles) { }

    /// <summary>More files of the current repository were read.</summary>
    void Files(string repoId, long doneFiles, long doneBytes) { }

    /// <summary>Something worth a line in the log (a fallback taken, a cache reused).</summary>
    void Note(string message) { }
}

public sealed class SilentProgress : IHarvestProgress
{
    public static SilentProgress Instance { get; } = new();
}
