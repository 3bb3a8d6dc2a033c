// `charrnn eval`'s typing replay on the test split: the simulated user of CharRnnCode.Typing types lines of the
// held-out test files (chosen by seed, inside member bodies) with ghost text from each contender, with Roslyn's
// completion list alone (IntelliSense), and with both. A checkpoint's ghost text is the completion library's
// pipeline with the server's default options (the server's default by construction, automatic requests after
// every keystroke, Roslyn holding every file of the repository, the typed file as the user sees it); the n-gram,
// which the pipeline cannot drive, writes its likeliest continuation shaped by the same editor rules. It writes
// nothing; the report renders what it returns.
using CharRnnCode.Completion;
using CharRnnCode.Completion.Documents;
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Inference;
using CharRnnCode.Scoring;
using CharRnnCode.Typing;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Evaluation;

/// <summary>One source of ghost text on the typed lines: its users' figures (ghost text alone, and with IntelliSense).</summary>
public sealed record TypingContender(string Name, TypingFigures GhostText, TypingFigures Combined, Common.Estimate CombinedGain);

/// <param name="IntelliSense">Roslyn's completion list alone on the same lines: the peer every C# editor has</param>
public sealed record TypingEvaluation(int Lines, int Characters, TypingFigures IntelliSense, IReadOnlyList<TypingContender> Contenders)
{
    /// <summary>The first contender's ghost text alone at other settings of the gate and the stop rule.</summary>
    public IReadOnlyList<TypingSweepPoint> Sweep { get; init; } = [];

    /// <summary>Types the same lines with each source, and with IntelliSense alone once.</summary>
    /// <param name="workspace">what Roslyn knows: every file of the test files' repositories, from every split</param>
    public static TypingEvaluation Run(IReadOnlyList<(string Name, Func<IGhostTextSource> Source)> contenders, IReadOnlyList<SourceFile> testFiles,
        IReadOnlyList<SourceFile> workspace, int lineCount, long seed, IProgress<int>? progress = null, CancellationToken cancellationToken = default,
        PipelineGhostTextSource? sweepSource = null, IReadOnlyList<GateSetting>? sweep = null)
    {
        var typingFiles = testFiles.Select(f => new TypingFile(f.Path, f.Text)).ToList();
        var lines = TypingLines.Choose(typingFiles, lineCount, unchecked((int)seed));
        using var peer = new IntelliSensePeer([.. workspace.Select(f => new TypingFile(f.Path, f.Text))], ReferenceAssemblies.References);
        var done = 0;
        var alone = new List<TypedLineOutcome>();
        var listOnly = new TypingReplay(null, peer);
        foreach (var line in lines)
        {
            cancellationToken.ThrowIfCancellationRequested();
            alone.Add(listOnly.TypeAsync(line, typingFiles[line.FileIndex].Text, TypingUser.IntelliSense).GetAwaiter().GetResult());
            progress?.Report(++done);
        }
        var results = new List<TypingContender>();
        foreach (var (name, makeSource) in contenders)
        {
            var source = makeSource();
            try
            {
                var replay = new TypingReplay(source, peer);
                var outcomes = new List<TypedLineOutcome>(alone);
                foreach (var line in lines)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var text = typingFiles[line.FileIndex].Text;
                    outcomes.Add(replay.TypeAsync(line, text, TypingUser.GhostText).GetAwaiter().GetResult());
                    outcomes.Add(replay.TypeAsync(line, text, TypingUser.Combined).GetAwaiter().GetResult());
                    progress?.Report(++done);
                }
                var report = TypingReport.Of(outcomes, seed);
                results.Add(new TypingContender(name, report.GhostText!, report.Combined!, report.CombinedGain!));
            }
            finally
            {
                (source as IDisposable)?.Dispose();
            }
        }
        var points = new List<TypingSweepPoint>();
        // One pipeline for every setting (its Roslyn workspace is built once); only the options change between them.
        foreach (var (minConfidence, stopAgreement) in sweepSource is null ? [] : sweep ?? [])
        {
            var defaults = new CompletionOptions();
            sweepSource!.Options = defaults with { MinConfidence = minConfidence, StopAgreement = stopAgreement };
            var replay = new TypingReplay(sweepSource, null);
            var outcomes = new List<TypedLineOutcome>();
            foreach (var line in lines)
            {
                cancellationToken.ThrowIfCancellationRequested();
                outcomes.Add(replay.TypeAsync(line, typingFiles[line.FileIndex].Text, TypingUser.GhostText).GetAwaiter().GetResult());
                progress?.Report(++done);
            }
            points.Add(new TypingSweepPoint(minConfidence, stopAgreement,
                minConfidence == defaults.MinConfidence && stopAgreement == defaults.StopAgreement, TypingFigures.Of(outcomes, seed)));
        }
        return new TypingEvaluation(lines.Count, lines.Sum(l => l.Text.Length), TypingFigures.Of(alone, seed), results) { Sweep = points };
    }

    /// <summary>Units of work Run reports: the lines once for IntelliSense, once per contender and once per swept setting.</summary>
    public static int Work(int lines, int contenders, int swept = 0) => lines * (1 + contenders + swept);
}

/// <summary>Ghost text from the completion library's pipeline, as the server makes it with its default options.</summary>
public sealed class PipelineGhostTextSource : IGhostTextSource, IDisposable
{
    private readonly ModelHost _model = new();
    private readonly PrefixStateCache _states = new();
    private readonly BackgroundPrefixEncoder _encoder;
    private readonly RoslynReranker _reranker = new(SilentCompletionLog.Instance);
    private readonly DocumentStore _documents = new();
    private readonly CompletionPipeline _pipeline;
    private readonly Completion.Cache.WorkspaceCache? _cache;
    private readonly Dictionary<string, (int Version, string Text)> _open = new(StringComparer.Ordinal);

    /// <param name="model">served as it is; the caller keeps it</param>
    /// <param name="workspace">the files Roslyn holds, as the server holds its workspace</param>
    /// <param name="cacheWorkspace">the files the workspace cache counts (null: no cache, the model alone)</param>
    public PipelineGhostTextSource(CharLanguageModel model, IReadOnlyList<SourceFile> workspace, CompletionOptions? options = null,
        IReadOnlyList<SourceFile>? cacheWorkspace = null)
    {
        Options = options ?? new CompletionOptions();
        _model.UseAsync(model).GetAwaiter().GetResult();
        _states.Follow(_documents);
        _encoder = new BackgroundPrefixEncoder(_states, _model, SilentCompletionLog.Instance);
        _encoder.Follow(_documents);
        _reranker.Follow(_documents);
        // The server answers without Roslyn until it is warm; an evaluation waits, so that every request gets it.
        _reranker.WhenWarm.GetAwaiter().GetResult();
        _reranker.AddWorkspaceFilesAsync([.. workspace.Select(f => (f.Path, f.Text))]).GetAwaiter().GetResult();
        if (cacheWorkspace is not null)
        {
            _cache = new Completion.Cache.WorkspaceCache(_ => null);
            _cache.Follow(_documents);
            _cache.AddWorkspaceFiles([.. cacheWorkspace.Select(f => (f.Path, f.Text))]).GetAwaiter().GetResult();
        }
        _pipeline = new CompletionPipeline(_model, _states, _encoder, _reranker, _documents, _cache);
        _pipeline.UseWorkspaceCache(Options.WorkspaceCache);
    }

    /// <summary>The options every request is made with (the server's defaults unless set).</summary>
    public CompletionOptions Options { get; set; }

    public Task SetTextAsync(string path, string text)
    {
        if (!_open.TryGetValue(path, out var open))
        {
            _open[path] = (1, text);
            _documents.Open(path, "csharp", 1, text);
            return Task.CompletedTask;
        }
        if (open.Text == text) return Task.CompletedTask;
        // One edit, as an editor sends it: the text between what stayed before and after it.
        var (start, end, inserted) = TextEdit.Between(open.Text, text);
        _open[path] = (open.Version + 1, text);
        _documents.Change(path, open.Version + 1, [DocumentEdit.Replace(start, end, inserted)]);
        return Task.CompletedTask;
    }

    public async Task<string> RequestAsync(string path, int caret)
    {
        var result = await _pipeline.CompleteAsync(new CompletionRequest(_documents.Get(path)!, caret, Automatic: true), Options, CancellationToken.None);
        if (result.Items.Count == 0) return "";
        var item = result.Items[0];
        var typed = _open[path].Text[Math.Min(item.ReplaceStart, caret)..caret];
        return item.ReplaceStart <= caret && item.Text.StartsWith(typed, StringComparison.Ordinal) ? item.Text[typed.Length..] : "";
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _reranker.Dispose();
        _cache?.Dispose();
        _model.Dispose();
    }
}

/// <summary>The pipeline's ghost text from a checkpoint loaded for it alone, disposed with it (the compared checkpoints).</summary>
public sealed class OwnedPipelineGhostTextSource(CharLanguageModel model, IReadOnlyList<SourceFile> workspace) : IGhostTextSource, IDisposable
{
    private readonly PipelineGhostTextSource _source = new(model, workspace);
    public Task SetTextAsync(string path, string text) => _source.SetTextAsync(path, text);
    public Task<string> RequestAsync(string path, int caret) => _source.RequestAsync(path, caret);

    public void Dispose()
    {
        _source.Dispose();
        model.Dispose();
    }
}

/// <summary>Ghost text from any character model: its likeliest continuation of the text before the caret, shaped by
/// the editor rules the pipeline applies (where to complete, one line, what follows the caret), with no Roslyn.</summary>
public sealed class ModelGhostTextSource(ICharModel model, int maxContextChars, int maxChars) : IGhostTextSource
{
    private readonly Dictionary<string, string> _texts = new(StringComparer.Ordinal);

    public Task SetTextAsync(string path, string text)
    {
        _texts[path] = text;
        return Task.CompletedTask;
    }

    public Task<string> RequestAsync(string path, int caret)
    {
        var text = _texts[path];
        var source = SourceText.From(text);
        var plan = EditorRules.Plan(source, caret, automatic: true, maxLines: 1);
        if (plan.Declined is not null) return Task.FromResult("");
        var context = text[Math.Max(0, caret - maxContextChars)..caret];
        var generated = model.Continue(context, new ContinuationRequest(1, maxChars, 1, Argmax: true, StopAtLineEnd: true))[0].Text;
        var line = source.Lines.GetLineFromPosition(caret);
        var shaped = EditorRules.Shape(EditorRules.CutAtTokenBoundary(generated), plan, text[line.Start..caret]);
        return Task.FromResult(shaped ?? "");
    }
}
