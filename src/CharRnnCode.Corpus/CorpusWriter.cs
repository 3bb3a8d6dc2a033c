// Writes a corpus folder so that it appears whole or not at all: everything goes into a hidden staging
// folder beside the target, and only Commit moves it into place (the previous corpus, if any, is
// replaced by two renames). Disposing without Commit (Ctrl+C, an exception) deletes the staging folder.
// It streams: a file's bytes go to disk as they come, hashed on the way for the corpus id.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CharRnnCode.Common;

namespace CharRnnCode.Corpus;

public sealed class CorpusWriter : IDisposable
{
    private sealed class SplitOutput(string textPath, string indexPath) : IDisposable
    {
        public readonly FileStream Text = new(textPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
        public readonly StreamWriter Index = new(new FileStream(indexPath, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16), new UTF8Encoding(false)) { NewLine = "\n" };
        public readonly IncrementalHash Hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        public long Files, Bytes, Chars;

        // Closing flushes what is buffered, which fails on a full disk; each part is closed regardless, and
        // the first failure is rethrown once all are closed.
        public void Dispose()
        {
            try { Text.Dispose(); }
            finally
            {
                try { Index.Dispose(); }
                finally { Hash.Dispose(); }
            }
        }
    }

    private readonly string _target;
    private readonly string _staging;
    private readonly SplitOutput[] _splits;
    private bool _committed;

    public string StagingDirectory => _staging;

    private CorpusWriter(string target)
    {
        _target = target;
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        RemoveAbandonedStaging(parent, Path.GetFileName(target));
        _staging = Path.Combine(parent, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(_staging);
        var splits = new List<SplitOutput>();
        try
        {
            foreach (var split in CorpusSplits.All)
                splits.Add(new SplitOutput(Path.Combine(_staging, split.TextFileName()), Path.Combine(_staging, split.IndexFileName())));
        }
        catch
        {
            _splits = [.. splits];
            Dispose();
            throw;
        }
        _splits = [.. splits];
    }

    /// <summary>Checks that <paramref name="outDirectory"/> may be (re)written and starts a staging folder beside it.</summary>
    public static CorpusWriter Create(string outDirectory, bool force = false)
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outDirectory));
        EnsureReplaceable(outDirectory, force);
        return new CorpusWriter(target);
    }

    /// <summary>Throws unless the folder is absent, empty, or a corpus folder (which a new harvest replaces);
    /// <paramref name="force"/> lets any other folder be replaced, except those <see cref="OutputTarget"/> never replaces.</summary>
    public static void EnsureReplaceable(string outDirectory, bool force = false) =>
        OutputTarget.EnsureFolder(outDirectory, "a corpus", IsCorpusFolder, force);

    /// <summary>Whether <paramref name="directory"/> holds a corpus this program wrote: its manifest.json parses as a
    /// corpus manifest. A manifest.json of anything else (a browser extension, a package) does not.</summary>
    public static bool IsCorpusFolder(string directory)
    {
        var path = Path.Combine(directory, "manifest.json");
        if (!File.Exists(path)) return false;
        try
        {
            var manifest = JsonSerializer.Deserialize<CorpusManifest>(File.ReadAllText(path), CorpusManifest.JsonOptions);
            return manifest is { CorpusId.Length: > 0, Splits: not null, Tool: not null };
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Appends one file (normalised UTF-8 ending in one LF) to a split, with its header line if given.</summary>
    public void Append(CorpusSplit split, string repo, string path, ReadOnlySpan<byte> content, long chars, string? header)
    {
        var output = _splits[(int)split];
        var offset = output.Text.Position;
        if (header is not null)
        {
            var headerBytes = Encoding.UTF8.GetBytes(header + "\n");
            output.Text.Write(headerBytes);
            output.Hash.AppendData(headerBytes);
        }
        output.Text.Write(content);
        output.Hash.AppendData(content);
        var entry = new CorpusIndexEntry(repo, path, offset, output.Text.Position - offset);
        output.Index.WriteLine(JsonSerializer.Serialize(entry, IndexJson));
        output.Files++;
        output.Bytes += output.Text.Position - offset;
        output.Chars += chars + (header is null ? 0 : header.Length + 1);
    }

    private static readonly JsonSerializerOptions IndexJson = new(JsonSerializerDefaults.Web);

    public IReadOnlyDictionary<string, SplitReport> SplitReports() =>
        CorpusSplits.All.ToDictionary(s => s.Name(), s => new SplitReport(_splits[(int)s].Files, _splits[(int)s].Bytes, _splits[(int)s].Chars));

    /// <summary>The corpus id of what was appended so far; call once, after the last Append.</summary>
    public string FinishCorpusId()
    {
        var digests = _splits.Select(s => s.Hash.GetHashAndReset()).ToArray();
        return CorpusIdentity.Combine(digests[0], digests[1], digests[2]);
    }

    /// <summary>Writes the manifest, flushes everything to disk and moves the corpus into place.</summary>
    public void Commit(CorpusManifest manifest)
    {
        foreach (var output in _splits)
        {
            output.Index.Flush();
            ((FileStream)output.Index.BaseStream).Flush(flushToDisk: true);
            output.Text.Flush(flushToDisk: true);
            output.Dispose();
        }
        AtomicFile.WriteAllText(Path.Combine(_staging, "manifest.json"), JsonSerializer.Serialize(manifest, CorpusManifest.JsonOptions) + "\n");
        var previous = Path.Combine(Path.GetDirectoryName(_target)!, $".{Path.GetFileName(_target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.old");
        var hadPrevious = Directory.Exists(_target);
        if (hadPrevious) Directory.Move(_target, previous);
        Directory.Move(_staging, _target);
        _committed = true;
        if (hadPrevious) Directory.Delete(previous, recursive: true);
    }

    /// <summary>
    /// Closes the outputs and, without a Commit, deletes the staging folder. A failure to close (a full disk
    /// refusing the last buffered bytes) must not keep the delete from running, nor hide the error that
    /// abandoned the corpus: an abandoned corpus's close errors are ignored.
    /// </summary>
    public void Dispose()
    {
        foreach (var output in _splits)
        {
            try { output.Dispose(); }
            catch (IOException) when (!_committed) { }
        }
        if (!_committed && Directory.Exists(_staging))
        {
            try { Directory.Delete(_staging, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>Deletes staging folders of earlier runs whose process no longer exists (killed with no chance to clean up).</summary>
    private static void RemoveAbandonedStaging(string parent, string name)
    {
        foreach (var folder in Directory.EnumerateDirectories(parent, $".{name}.*"))
        {
            var parts = Path.GetFileName(folder).Split('.');
            if (parts.Length < 4 || parts[^1] is not ("partial" or "old") || !int.TryParse(parts[^3], out var pid)) continue;
            if (ProcessLiveness.IsRunning(pid)) continue;
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }
}
