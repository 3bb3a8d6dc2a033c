// Roslyn's view of the workspace for re-ranking: one CompletionScorer holding the open C# documents,
// compiled with the .NET reference assemblies. Other open documents are pushed to it lazily, just
// before a request needs them; the document being completed is passed with the request. All Roslyn
// work runs on one low-priority thread, so it never takes the CPU from the model thread. Warm-up (the
// first binding costs about a second) runs there at start; until it is done, requests are served
// without re-ranking rather than made to wait.
using System.Text;
using CharRnnCode.Common;
using CharRnnCode.Completion.Documents;
using CharRnnCode.Completion.Threading;
using CharRnnCode.Scoring;

namespace CharRnnCode.Completion;

public sealed class RoslynReranker : IDisposable
{
    /// <summary>Niceness of the Roslyn thread: it yields to the model thread (niceness 0) under contention.</summary>
    public const int Niceness = 10;

    private readonly CompletionScorer _scorer = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _pushedVersions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _workspaceFiles = new(StringComparer.Ordinal); // paths on disk that belong to the compilation
    private readonly Task _warmUp;
    private readonly WorkerThread _worker = new("charrnn-roslyn", Niceness);

    public RoslynReranker(ICompletionLog log)
    {
        _warmUp = _worker.RunAsync(() =>
        {
            try { _scorer.WarmUp(); }
            catch (Exception error) { log.Error($"Roslyn warm-up failed: {error}"); }
            return true;
        }, CancellationToken.None);
    }

    public void Follow(DocumentStore documents) => documents.Closed += Close;

    public bool IsWarm => _warmUp.IsCompleted;

    public Task WhenWarm => _warmUp;

    /// <summary>Prepare, on the Roslyn thread; <paramref name="clock"/> runs while it works (not while it waits its turn).</summary>
    public Task<CompletionContext> PrepareAsync(OpenDocument document, Microsoft.CodeAnalysis.Text.SourceText text, int position, IReadOnlyList<OpenDocument> openDocuments,
        System.Diagnostics.Stopwatch clock, CancellationToken cancellationToken) =>
        _worker.RunAsync(() =>
        {
            clock.Start();
            try { return Prepare(document, text, position, openDocuments, cancellationToken); }
            finally { clock.Stop(); }
        }, cancellationToken);

    /// <summary>Brings the other open C# documents up to date, then prepares the request's context.</summary>
    public CompletionContext Prepare(OpenDocument document, Microsoft.CodeAnalysis.Text.SourceText text, int position, IReadOnlyList<OpenDocument> openDocuments, CancellationToken cancellationToken)
    {
        foreach (var other in openDocuments)
        {
            if (other.Uri == document.Uri || !other.IsCSharp || other.Text is null) continue;
            lock (_gate)
            {
                if (_pushedVersions.TryGetValue(other.Uri, out var version) && version == other.Version) continue;
                _pushedVersions[other.Uri] = other.Version;
            }
            cancellationToken.ThrowIfCancellationRequested();
            _scorer.SetDocument(PathOf(other.Uri), other.Text.ToString());
        }
        lock (_gate) _pushedVersions[document.Uri] = document.Version;
        return _scorer.Prepare(PathOf(document.Uri), text, position, cancellationToken);
    }

    public CompletionScore Score(CompletionContext context, string completion, int replaceLength) =>
        _scorer.Score(context, completion, replaceLength);

    public void Close(string uri)
    {
        var path = PathOf(uri);
        bool onDisk;
        lock (_gate)
        {
            _pushedVersions.Remove(uri);
            onDisk = _workspaceFiles.Contains(path);
        }
        // On the Roslyn thread, in order with the preparations that may still use the document. A workspace
        // file goes back to its text on disk (the editor may have closed it unsaved); any other is forgotten.
        _ = _worker.RunAsync(() =>
        {
            if (onDisk && TryRead(path) is { } text) _scorer.SetDocument(path, text);
            else _scorer.RemoveDocument(path);
            return true;
        }, CancellationToken.None);
    }

    /// <summary>Workspace files read from disk, added on the Roslyn thread; open documents keep the editor's text.</summary>
    public Task<bool> AddWorkspaceFilesAsync(IReadOnlyList<(string Path, string Text)> files) =>
        _worker.RunAsync(() =>
        {
            List<(string Path, string Text)> closed;
            lock (_gate)
            {
                foreach (var (path, _) in files) _workspaceFiles.Add(path);
                var open = _pushedVersions.Keys.Select(PathOf).ToHashSet(StringComparer.Ordinal);
                closed = files.Where(file => !open.Contains(file.Path)).ToList();
            }
            _scorer.SetDocuments(closed);
            return true;
        }, CancellationToken.None);

    /// <summary>The workspace projects' references join the reference assemblies, on the Roslyn thread; returns how many were new.</summary>
    public Task<int> AddReferencesAsync(IReadOnlyList<Microsoft.CodeAnalysis.MetadataReference> references) =>
        _worker.RunAsync(() => _scorer.AddReferences(references), CancellationToken.None);

    /// <summary>A file changed, appeared or went away on disk (workspace/didChangeWatchedFiles); open documents are left to the editor.</summary>
    public Task<bool> FileChangedOnDiskAsync(string uri, bool deleted) =>
        _worker.RunAsync(() =>
        {
            var path = PathOf(uri);
            lock (_gate)
            {
                if (_pushedVersions.ContainsKey(uri)) return false;
                if (deleted) _workspaceFiles.Remove(path);
                else _workspaceFiles.Add(path);
            }
            // A file that is no longer one to read (now a link, too large, empty) leaves Roslyn too: its old text is stale.
            if (deleted || TryRead(path) is not { } text) return _scorer.RemoveDocument(path);
            _scorer.SetDocument(path, text);
            return true;
        }, CancellationToken.None);

    /// <summary>How many documents Roslyn's compilation holds (workspace files and open documents).</summary>
    public int DocumentCount => _scorer.DocumentPaths.Count;

    /// <summary>Roslyn's metadata references: the reference assemblies and what the workspace's projects added.</summary>
    public IReadOnlyList<Microsoft.CodeAnalysis.MetadataReference> References => _scorer.References;

    /// <summary>How many metadata references Roslyn's compilation has.</summary>
    public int ReferenceCount => _scorer.ReferenceCount;

    public void Dispose() => _worker.Dispose();

    /// <summary>A C# file's text as Roslyn gets it (line ends as \n), or null when it cannot be read.</summary>
    /// <summary>A workspace file larger than this is not read (generated code, data).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>
    /// The text of a workspace file (line ends as \n), or null when it is not one to read: a symbolic link (it may
    /// point anywhere, /dev/zero included), a folder, missing, more than MaxFileBytes, or of length 0 (empty, or a
    /// device, FIFO or socket, which is never opened: an empty file has nothing for Roslyn anyway). The one way the
    /// server reads a workspace file.
    /// </summary>
    public static string? TryRead(string path) => TryReadBytes(path) is { } bytes ? Decode(bytes) : null;

    public static byte[]? TryReadBytes(string path)
    {
        try
        {
            var facts = BoundedFile.Inspect(path, followLinks: false);
            if (facts.IsLink || facts.Kind != FileKind.Regular || facts.Length > MaxFileBytes) return null;
            var read = BoundedFile.ReadAtMost(path, MaxFileBytes);
            return read.More ? null : read.Bytes;   // it grew past the cap since it was listed
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException) { return null; }
    }

    /// <summary>The text of a file's bytes as File.ReadAllText reads it: UTF-8 unless a byte order mark says otherwise.</summary>
    public static string Decode(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd().Replace("\r\n", "\n");
    }

    /// <summary>A file URI's local path; any other URI (untitled:, vscode-notebook-cell:) stays as it is.</summary>
    public static string PathOf(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : uri;
}
