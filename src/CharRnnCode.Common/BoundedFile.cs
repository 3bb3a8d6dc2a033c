// Reading a file whose size no one has checked (a checkpoint a user names, a workspace's source files)
// without trusting it: what kind of file a path names (a symbolic link, a folder, a regular file, or
// something else), and at most a given number of bytes of it. A device such as /dev/zero never ends
// and a FIFO blocks whoever opens it, so neither is ever opened: .NET has no call that says a path is
// a FIFO, socket or device, but on Linux their stat size is always 0, so a file of length 0 is never
// opened (an empty regular file has nothing to read anyway). Reads stop at the limit whatever the file
// holds, and say whether there was more, so a file that grows (or lied about its length) is noticed.
namespace CharRnnCode.Common;

public enum FileKind
{
    /// <summary>Nothing is there (or a link whose target is missing).</summary>
    Missing,
    Folder,
    /// <summary>Length 0: an empty regular file, or a device, FIFO or socket; never opened.</summary>
    EmptyOrSpecial,
    /// <summary>A file with a length: the only kind worth reading.</summary>
    Regular,
}

/// <param name="Path">the path as given</param>
/// <param name="Target">the file it names, through its links when they were followed</param>
/// <param name="IsLink">the path itself is a symbolic link</param>
/// <param name="Length">the stat length of <paramref name="Target"/>; 0 unless Regular</param>
public sealed record FileFacts(string Path, string Target, FileKind Kind, bool IsLink, long Length);

/// <summary>What <see cref="BoundedFile.ReadAtMost"/> read: the bytes, and whether the file held more than the limit.</summary>
public sealed record BoundedBytes(byte[] Bytes, bool More);

public static class BoundedFile
{
    /// <summary>What <paramref name="path"/> names; through symbolic links to their final target when <paramref name="followLinks"/>.</summary>
    public static FileFacts Inspect(string path, bool followLinks)
    {
        FileSystemInfo target = new FileInfo(path);
        var isLink = target.LinkTarget is not null;
        if (isLink && followLinks)
        {
            try { target = target.ResolveLinkTarget(returnFinalTarget: true) ?? target; }
            catch (IOException) { return new FileFacts(path, path, FileKind.Missing, isLink, 0); }   // a loop of links
        }
        var kind = Directory.Exists(target.FullName) ? FileKind.Folder
            : !target.Exists ? FileKind.Missing
            : target is FileInfo { Length: > 0 } ? FileKind.Regular
            : FileKind.EmptyOrSpecial;
        return new FileFacts(path, target.FullName, kind, isLink, kind == FileKind.Regular ? ((FileInfo)target).Length : 0);
    }

    /// <summary>
    /// At most <paramref name="limit"/> bytes from the start of <paramref name="path"/>, and whether there were more.
    /// The buffer is sized by what is read, never by a length the caller did not check.
    /// </summary>
    public static BoundedBytes ReadAtMost(string path, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        var length = stream.CanSeek ? stream.Length : 0;
        var bytes = new byte[(int)Math.Min(limit, Math.Max(0, length))];
        var read = 0;
        while (read < bytes.Length && stream.Read(bytes, read, bytes.Length - read) is var n and > 0) read += n;
        // The file may be longer than its length said (it grew, or it is not what it seemed): keep reading to the limit.
        var rest = new MemoryStream();
        if (read == bytes.Length && read < limit)
        {
            var chunk = new byte[Math.Min(1 << 16, limit - read)];
            while (read + (int)rest.Length < limit
                   && stream.Read(chunk, 0, Math.Min(chunk.Length, limit - read - (int)rest.Length)) is var n and > 0)
                rest.Write(chunk, 0, n);
        }
        Span<byte> probe = stackalloc byte[1];
        var more = stream.Read(probe) > 0;
        if (rest.Length == 0) return new BoundedBytes(read == bytes.Length ? bytes : bytes[..read], more);
        return new BoundedBytes([.. bytes.AsSpan(0, read), .. rest.GetBuffer().AsSpan(0, (int)rest.Length)], more);
    }
}
