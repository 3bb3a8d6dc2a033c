// Roslyn's view of the workspace for re-ranking: one CompletionScorer holding the open C# documents,
// compiled with the .NET reference assemblies. Other open documents are pushed to it lazily, just
// before a request needs them; the document being completed is passed with the request. Warm-up (the
// first binding costs about a second) runs in the background at start; until it is done, requests are
// served without re-ranking rather than made to wait.
using CharRnnCode.Scoring;
using CharRnnCode.Server.Features.DocumentSync;

namespace CharRnnCode.Server.Features.InlineCompletion;

public sealed class RoslynReranker
{
    private readonly CompletionScorer _scorer = new();
    private readonly object _gate = new();
    private readonly Dictionary<string, int> _pushedVersions = new(StringComparer.Ordinal);
    private readonly Task _warmUp;

    public RoslynReranker(ServerLog log)
    {
        _warmUp = Task.Run(() =>
        {
            try { _scorer.WarmUp(); }
            catch (Exception error) { log.Error($"Roslyn warm-up failed: {error}"); }
        });
    }

    public bool IsWarm => _warmUp.IsCompleted;

    public Task WhenWarm => _warmUp;

    /// <summary>Brings the other open C# documents up to date, then prepares the request's context.</summary>
    public CompletionContext Prepare(OpenDocument document, string text, int position, IReadOnlyList<OpenDocument> openDocuments, CancellationToken cancellationToken)
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
        lock (_gate) _pushedVersions.Remove(uri);
        _scorer.RemoveDocument(PathOf(uri));
    }

    /// <summary>A file URI's local path; any other URI (untitled:, vscode-notebook-cell:) stays as it is.</summary>
    public static string PathOf(string uri) =>
        Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.IsFile ? parsed.LocalPath : uri;
}
