// Writes files so that a reader sees either the old content or the new, never half of it:
// write a temporary file beside the target, flush it to disk, then rename it over the target.
// The folder is fsynced after the rename, so the rename itself survives a power cut.
// It does not lock: two writers of the same path race, and the last rename wins.
namespace CharRnnCode.Common;

public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(directory);
        var temporary = TemporaryPathFor(fullPath);
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite: true);
            SyncDirectory(directory);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    public static void WriteAllText(string path, string text) =>
        Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
            writer.Write(text);
        });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        var copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>
    /// A temporary path in the target's own folder (so the final rename stays on one file system),
    /// named so that leftovers of a killed process are recognisable and never mistaken for output.
    /// </summary>
    public static string TemporaryPathFor(string fullPath) =>
        Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");

    /// <summary>
    /// Deletes the temporary files in <paramref name="directory"/> that a process no longer running left behind
    /// (killed between writing and renaming). A running writer's own temporary files are kept. Returns their names.
    /// </summary>
    public static IReadOnlyList<string> RemoveStaleTemporaries(string directory)
    {
        var removed = new List<string>();
        if (!Directory.Exists(directory)) return removed;
        foreach (var path in Directory.EnumerateFiles(directory, ".*.tmp"))
        {
            // .NAME.PID.GUID.tmp, where NAME may itself hold dots.
            var parts = Path.GetFileName(path).Split('.');
            if (parts.Length < 5 || !int.TryParse(parts[^3], out var pid) || parts[^2].Length != 32 || ProcessLiveness.IsRunning(pid)) continue;
            TryDelete(path);
            if (!File.Exists(path)) removed.Add(Path.GetFileName(path));
        }
        return removed;
    }

    /// <summary>
    /// Flushes the directory entry of a rename to disk: without it a power cut after the rename can bring back
    /// the old file (or none) even though the new content was flushed. Linux and macOS only; elsewhere it does nothing.
    /// </summary>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows()) return;
        var descriptor = Open(directory, 0 /* O_RDONLY */);
        if (descriptor < 0) return; // e.g. a file system that refuses to open folders; the rename itself has happened
        try { _ = Fsync(descriptor); }
        finally { _ = Close(descriptor); }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int flags);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int descriptor);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int descriptor);

    private static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
