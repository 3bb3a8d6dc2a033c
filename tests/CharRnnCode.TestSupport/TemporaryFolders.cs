// New, empty folders for what one test writes, under the system's temporary folder, so that a test never
// writes beside the shared tiny model (which other test processes read), and their removal when a test is done.
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

    /// <summary>Removes each folder and what it holds; one still in use (an IOException) is left for the system to clear.</summary>
    public static void Remove(params string[] folders)
    {
        foreach (var folder in folders)
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }
}
