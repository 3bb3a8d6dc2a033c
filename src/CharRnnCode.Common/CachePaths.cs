// Where CharRnnCode keeps what it can rebuild: cloned repositories, patched native libraries, tool caches.
// Follows XDG: $CHARRNN_CACHE, else $XDG_CACHE_HOME/charrnncode, else ~/.cache/charrnncode.
namespace CharRnnCode.Common;

public static class CachePaths
{
    public static string Root
    {
        get
        {
            var explicitRoot = Environment.GetEnvironmentVariable("CHARRNN_CACHE");
            if (!string.IsNullOrWhiteSpace(explicitRoot)) return Path.GetFullPath(explicitRoot);
            var xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
            var baseDirectory = !string.IsNullOrWhiteSpace(xdg)
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(baseDirectory, "charrnncode");
        }
    }

    public static string Sub(string name)
    {
        var path = Path.Combine(Root, name);
        Directory.CreateDirectory(path);
        return path;
    }
}
