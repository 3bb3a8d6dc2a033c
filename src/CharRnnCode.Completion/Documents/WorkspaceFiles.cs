// The C# files of a workspace, as the language server loads it and `charrnn adapt` steps on it: every *.cs under
// the folders, hidden folders and bin/obj/node_modules/packages skipped, no link followed, regular files of at most
// RoslynReranker.MaxFileBytes, at most MaxFiles, in a stable order; and their texts read in batches within a byte
// budget, in that order, so the same files are left out every time. Every read goes through RoslynReranker.TryRead's
// capped reader. It keeps nothing and knows no protocol.
using CharRnnCode.Common;

namespace CharRnnCode.Completion.Documents;

/// <summary>One batch of files read: their texts, the bytes read for them, and how many files of the listing the byte
/// budget left out (0 until it is reached).</summary>
public sealed record WorkspaceBatch(IReadOnlyList<(string Path, string Text)> Files, long Bytes, int Skipped);

public static class WorkspaceFiles
{
    public const int MaxFiles = 20_000;
    /// <summary>Bytes of C# read in all: past this the remaining files are skipped.</summary>
    public const long MaxBytes = 64L << 20;
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "node_modules", "packages" };

    /// <summary>The C# files of the folders, in a stable order.</summary>
    public static List<string> CSharpFiles(IEnumerable<string> folders)
    {
        var files = new List<string>();
        foreach (var folder in folders.Where(Directory.Exists))
        {
            var pending = new Stack<string>([folder]);
            while (pending.Count > 0 && files.Count < MaxFiles)
            {
                var directory = pending.Pop();
                try
                {
                    foreach (var sub in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal).Reverse())
                    {
                        var name = Path.GetFileName(sub);
                        if (!name.StartsWith('.') && !SkippedFolders.Contains(name) && !new FileInfo(sub).Attributes.HasFlag(FileAttributes.ReparsePoint)) pending.Push(sub);
                    }
                    files.AddRange(Directory.EnumerateFiles(directory, "*.cs").Order(StringComparer.Ordinal)
                        .Where(IsReadable).Take(MaxFiles - files.Count));
                }
                catch (Exception error) when (error is UnauthorizedAccessException or IOException) { }
            }
        }
        return files;
    }

    /// <summary>The files' texts in order, <paramref name="batchSize"/> at a time, until <paramref name="byteBudget"/> bytes: the
    /// batch in which the budget runs out is the last, and says how many files were left out.</summary>
    public static IEnumerable<WorkspaceBatch> ReadInBatches(IReadOnlyList<string> files, long byteBudget, int batchSize)
    {
        long bytesRead = 0;
        for (var start = 0; start < files.Count; start += batchSize)
        {
            var batch = new List<(string Path, string Text)>();
            var batchBytes = 0L;
            var skipped = 0;
            for (var index = start; index < Math.Min(files.Count, start + batchSize); index++)
            {
                if (RoslynReranker.TryReadBytes(files[index]) is not { } bytes) continue;
                if (bytesRead + bytes.Length > byteBudget)
                {
                    skipped = files.Count - index;
                    break;
                }
                bytesRead += bytes.Length;
                batchBytes += bytes.Length;
                batch.Add((files[index], RoslynReranker.Decode(bytes)));
            }
            yield return new WorkspaceBatch(batch, batchBytes, skipped);
            if (skipped > 0) yield break;
        }
    }

    /// <summary>A regular file with text of at most MaxFileBytes, not reached through a symbolic link.</summary>
    private static bool IsReadable(string path)
    {
        var facts = BoundedFile.Inspect(path, followLinks: false);
        return !facts.IsLink && facts.Kind == FileKind.Regular && facts.Length <= RoslynReranker.MaxFileBytes;
    }
}
