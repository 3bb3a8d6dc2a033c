// New, empty folders for what one test writes, under the system's temporary folder, so that a test never
// writes beside the shared tiny model (which other test processes read). It does not remove them.
namespace CharRnnCode.TestSupport;

public static class TemporaryFolders
{
    /// <summary>A new empty folder whose name starts with <paramref name="name"/>.</summary>
    public static string Create(string name)
    {
        var path = Path.Combine(Path.GetTempPath(), "charrnn-tests", $"{name}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(path);
        return path;
    }
}
