// The workspace cache as the completion pipeline and the prefix-state cache use it: one CharacterCache
// behind a lock, filled in the background at the lowest priority and kept in step with the documents.
// Workspace files arrive as the workspace loader reads them (AddWorkspaceFiles) and are counted on the
// cache's own thread; an open document replaces its file on disk at once (didOpen takes the disk copy out
// of every count before any completion can ask), its own text joins the open layer, and edits re-count it on
// the background thread after a pause in typing; closing it brings the disk copy back. A prediction holds the
// lock for one lookup (microseconds); the background thread holds it for one file at a time, so a completion
// waits at most that long. Compaction builds the new cache outside the lock and swaps it in.
// It reads no files itself except a closed document's disk copy, through the caller's reader.
using CharRnnCode.Completion.Documents;
using CharRnnCode.Completion.Threading;

namespace CharRnnCode.Completion.Cache;

/// <param name="Pending">files queued and edited documents not yet counted</param>
public sealed record WorkspaceCacheStatus(int Segments, long Characters, long ApproximateBytes, int Pending);

public sealed class WorkspaceCache : IDisposable
{
    /// <summary>How long an edited open document waits, after its last edit, before it is counted again.</summary>
    public const int RecountAfterMs = 500;

    private readonly object _gate = new();
    private CharacterCache _cache = new();
    private readonly HashSet<string> _openPaths = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OpenDocument> _dirty = new(StringComparer.Ordinal);
    private readonly Func<string, string?> _readFile;
    private readonly WorkerThread _worker;
    private int _pending;
    private long _mutations;

    /// <param name="readFile">reads a workspace file from disk (null when it is not one to read)</param>
    public WorkspaceCache(Func<string, string?> readFile)
    {
        _readFile = readFile;
        _worker = new WorkerThread("charrnn-workspace-cache", niceness: 19);
    }

    public WorkspaceCacheStatus Status
    {
        get
        {
            lock (_gate) return new WorkspaceCacheStatus(_cache.SegmentCount, _cache.Characters, _cache.ApproximateBytes, Volatile.Read(ref _pending) + _dirty.Count);
        }
    }

    /// <summary>Runs <paramref name="work"/> with the cache locked: one prediction, or one lookup for a test.</summary>
    public T Read<T>(Func<CharacterCache, T> work)
    {
        lock (_gate) return work(_cache);
    }

    /// <summary>Files read from disk, counted on the background thread; those open in the editor are skipped.</summary>
    public Task AddWorkspaceFiles(IReadOnlyList<(string Path, string Text)> files)
    {
        Interlocked.Add(ref _pending, files.Count);
        return _worker.RunAsync(() =>
        {
            foreach (var (path, text) in files)
            {
                lock (_gate)
                {
                    if (!_openPaths.Contains(path)) Mutate(cache => cache.Set(path, text, isOpen: false));
                }
                Interlocked.Decrement(ref _pending);
            }
            CompactIfWorthIt();
            return true;
        }, CancellationToken.None);
    }

    /// <summary>A workspace file changed or went away on disk (not an open one: the editor owns those).</summary>
    public Task FileChangedOnDisk(string path, bool deleted) =>
        _worker.RunAsync(() =>
        {
            var text = deleted ? null : _readFile(path);
            lock (_gate)
            {
                if (_openPaths.Contains(path)) return false;
                if (text is null) Mutate(cache => cache.Remove(path));
                else Mutate(cache => cache.Set(path, text, isOpen: false));
            }
            return true;
        }, CancellationToken.None);

    public void Follow(DocumentStore documents)
    {
        documents.Opened += Open;
        documents.Changed += (document, _) => Edited(document);
        documents.Closed += Close;
    }

    /// <summary>An opened document: its disk copy leaves every count now, before any completion can ask; its text joins the open layer.</summary>
    public void Open(OpenDocument document)
    {
        var path = RoslynReranker.PathOf(document.Uri);
        lock (_gate)
        {
            _openPaths.Add(path);
            Mutate(cache =>
            {
                cache.Remove(path);
                if (document.Text is { } text) cache.Set(document.Uri, text.ToString(), isOpen: true);
                else cache.Remove(document.Uri);
            });
        }
    }

    /// <summary>The document is counted again after a pause in its edits, on the background thread.</summary>
    private void Edited(OpenDocument document)
    {
        bool first;
        lock (_gate)
        {
            first = !_dirty.ContainsKey(document.Uri);
            _dirty[document.Uri] = document;
        }
        if (first) _ = RecountLater(document.Uri);
    }

    private async Task RecountLater(string uri)
    {
        await Task.Delay(RecountAfterMs);
        await _worker.RunAsync(() =>
        {
            OpenDocument? latest;
            lock (_gate)
            {
                if (!_dirty.Remove(uri, out latest)) return false;
                if (!_openPaths.Contains(RoslynReranker.PathOf(uri))) return false; // closed meanwhile
                var text = latest.Text?.ToString();
                Mutate(cache =>
                {
                    if (text is null) cache.Remove(uri);
                    else cache.Set(uri, text, isOpen: true);
                });
            }
            CompactIfWorthIt();
            return true;
        }, CancellationToken.None);
    }

    /// <summary>A closed document leaves the open layer at once; its disk copy (if any) is counted again in the background.</summary>
    public void Close(string uri)
    {
        var path = RoslynReranker.PathOf(uri);
        lock (_gate)
        {
            _dirty.Remove(uri);
            Mutate(cache => cache.Remove(uri));
        }
        _ = _worker.RunAsync(() =>
        {
            var text = _readFile(path);
            lock (_gate)
            {
                _openPaths.Remove(path);
                if (text is not null) Mutate(cache => cache.Set(path, text, isOpen: false));
            }
            return true;
        }, CancellationToken.None);
    }

    /// <summary>Forgets every workspace file (the setting turned off); open documents are counted again as they change or reopen.</summary>
    public void Clear()
    {
        lock (_gate) Mutate(_ => _cache = new CharacterCache());
    }

    /// <summary>After the last file of a workspace load (queued after it): the arrays' growing room goes back.</summary>
    public Task TrimExcess() => _worker.RunAsync(() =>
    {
        lock (_gate) _cache.TrimExcess();
        return true;
    }, CancellationToken.None);

    /// <summary>Waits until everything queued so far has been counted (tests, benchmarks).</summary>
    public Task WhenIdle() => _worker.RunAsync(() => true, CancellationToken.None);

    private void Mutate(Action<CharacterCache> change)
    {
        change(_cache);
        _mutations++;
    }

    /// <summary>On the background thread: a copy without the removed text, built outside the lock and swapped in if nothing changed meanwhile.</summary>
    private void CompactIfWorthIt()
    {
        List<(string Key, string Text, bool IsOpen)> live;
        long mutations;
        lock (_gate)
        {
            if (!_cache.WantsCompaction) return;
            live = _cache.LiveSegments();
            mutations = _mutations;
        }
        var compacted = CharacterCache.Build(live);
        lock (_gate)
        {
            if (_mutations == mutations) _cache = compacted;
        }
    }

    public void Dispose() => _worker.Dispose();
}
