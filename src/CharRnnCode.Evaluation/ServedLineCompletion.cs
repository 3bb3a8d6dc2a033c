// The language server's completion, for `charrnn eval`'s row "best of K constrained by Roslyn, re-ranked": the
// completion library's CompletionPipeline (editor rules, prefix-state cache, K candidates generated on the model
// thread under Roslyn's constraint and time budget, shaped, re-ranked) with the server's default options,
// driving the evaluation's own loaded model. One Roslyn re-ranker per repository holds every file of it that the
// evaluation binds against, as the server holds its workspace. It judges nothing: LineCompletion scores what
// it returns like every other row. It never loads or disposes the model.
using CharRnnCode.Completion;
using CharRnnCode.Completion.Documents;
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Inference;

namespace CharRnnCode.Evaluation;

public sealed class ServedLineCompletion : IDisposable
{
    private readonly ModelHost _model = new();
    private readonly PrefixStateCache _states = new();
    private readonly BackgroundPrefixEncoder _encoder;
    private readonly IReadOnlyList<SourceFile> _workspaceFiles;
    private readonly Dictionary<string, Served> _repositories = new(StringComparer.Ordinal);
    private int _version;

    /// <summary>The pipeline of one repository: its Roslyn workspace and the one document being completed.</summary>
    private sealed record Served(DocumentStore Documents, RoslynReranker Reranker, CompletionPipeline Pipeline);

    /// <param name="model">served as it is; the caller keeps it and must not use it during Complete</param>
    /// <param name="workspaceFiles">what Roslyn knows, by repository (the files the evaluation binds against)</param>
    /// <param name="options">null: the server's defaults</param>
    public ServedLineCompletion(CharLanguageModel model, IReadOnlyList<SourceFile> workspaceFiles, CompletionOptions? options = null)
    {
        _workspaceFiles = workspaceFiles;
        Options = options ?? new CompletionOptions();
        _model.UseAsync(model).GetAwaiter().GetResult();
        // Every position reopens its document, so encoding ahead would only compete with the request.
        _encoder = new BackgroundPrefixEncoder(_states, _model, SilentCompletionLog.Instance) { Enabled = false };
    }

    public CompletionOptions Options { get; }

    /// <summary>How the last completion was made (whether Roslyn constrained and re-ranked it, the budget, the timings).</summary>
    public CompletionTrace? LastTrace { get; private set; }

    /// <summary>The first item the server offers at <paramref name="caret"/> of <paramref name="text"/> (the file as the user
    /// sees it, which is not file.Text), for an invoked request sampled with <paramref name="seed"/>; "" when it offers none.</summary>
    public string Complete(SourceFile file, string text, int caret, long seed, CancellationToken cancellationToken)
    {
        var served = For(file.Repo);
        // The document's uri is the workspace file's path, so Roslyn sees this text in place of the file's, not beside it.
        served.Documents.Open(file.Path, "csharp", ++_version, text);
        try
        {
            var request = new CompletionRequest(served.Documents.Get(file.Path)!, caret, Automatic: false);
            var result = served.Pipeline.CompleteAsync(request, Options with { Seed = seed }, cancellationToken).GetAwaiter().GetResult();
            LastTrace = result.Trace;
            return result.Items.Count == 0 ? "" : result.Items[0].Text;
        }
        finally
        {
            // Closing hands the file back to the workspace; its whole text goes back for the next position.
            served.Documents.Close(file.Path);
            served.Reranker.AddWorkspaceFilesAsync([(file.Path, file.Text)]).GetAwaiter().GetResult();
        }
    }

    private Served For(string repo)
    {
        if (_repositories.TryGetValue(repo, out var served)) return served;
        var documents = new DocumentStore();
        _states.Follow(documents);
        var reranker = new RoslynReranker(SilentCompletionLog.Instance);
        reranker.Follow(documents);
        // The server serves without Roslyn until it is warm; an evaluation waits, so that every position gets it.
        reranker.WhenWarm.GetAwaiter().GetResult();
        reranker.AddWorkspaceFilesAsync([.. _workspaceFiles.Where(file => file.Repo == repo).Select(file => (file.Path, file.Text))]).GetAwaiter().GetResult();
        return _repositories[repo] = new Served(documents, reranker, new CompletionPipeline(_model, _states, _encoder, reranker, documents));
    }

    public void Dispose()
    {
        _encoder.Dispose();
        foreach (var served in _repositories.Values) served.Reranker.Dispose();
        _model.Dispose();
    }
}
