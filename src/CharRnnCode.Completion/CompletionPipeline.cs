// Serves one inline completion as a pipeline of named stages: plan (the editor rules decide where and
// how much) -> prefix state (from the per-document cache) -> generate (K candidates as one batch on the
// model thread, while Roslyn prepares its context on its own low-priority thread; with `constrain`,
// Roslyn's names and lexical guards steer each character once its context is ready, waited for at
// most constrainWaitMs) -> shape (editor
// rules on each candidate) -> rank (the model's per-character log-probability minus Roslyn penalties,
// Roslyn only if it is ready) -> items.
// The time budget is for generation: it starts when the prefix state is ready, so a cold cache or a
// slow Roslyn never eats it. When it runs out, generation goes on until one candidate holds a whole
// token (at most HardCapMs), and candidates cut short end at a token boundary. The newest request
// wins (starting one cancels the one before). While the user types the ghost text just shown, the
// answer comes from it (TypeThrough) with no model or Roslyn work. It does not track documents or
// settings; the caller passes them in (CompletionRequest, CompletionOptions), and each call returns its
// own trace. It knows no protocol: requests and items are offsets in the document's text.
using System.Diagnostics;
using CharRnnCode.Completion.Cache;
using CharRnnCode.Completion.Documents;
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Inference;
using CharRnnCode.Scoring;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Completion;

/// <summary>One ranked candidate, as the status request and the benchmark report it.</summary>
public sealed record RankedCandidate(string Text, double LogProbabilityPerChar, int SyntaxErrorsIntroduced, IReadOnlyList<string> UndefinedIdentifiers, double Score)
{
    /// <summary>How many of the generated candidates became this text (duplicates are merged): its weight in the confidence.</summary>
    public int Count { get; init; } = 1;
}

/// <summary>What happened in one request, for the log, the status request and the benchmark. Every figure is named
/// where it is set (an object initializer); what is not set is zero, false or empty.</summary>
public sealed record CompletionTrace
{
    /// <summary>The whole request, from arrival to answer.</summary>
    public double TotalMs { get; init; }
    /// <summary>Reading the prefix into the model's state (cache hits make it small); not part of the budget.</summary>
    public double EncodeMs { get; init; }
    /// <summary>Characters the request itself had to encode.</summary>
    public long EncodedChars { get; init; }
    /// <summary>Generation: what the time budget bounds.</summary>
    public double ModelMs { get; init; }
    /// <summary>Roslyn's context and the reranking it scored.</summary>
    public double RoslynMs { get; init; }
    /// <summary>Candidates the model generated.</summary>
    public int Generated { get; init; }
    /// <summary>Candidates left after shaping and merging.</summary>
    public int Kept { get; init; }
    /// <summary>The budget ran out before every candidate finished.</summary>
    public bool BudgetExpired { get; init; }
    /// <summary>The budget ran out before any candidate held a whole token, so generation went on.</summary>
    public bool BudgetExtended { get; init; }
    /// <summary>Roslyn's context reranked the candidates.</summary>
    public bool Reranked { get; init; }
    /// <summary>Why nothing was offered, or null when something was.</summary>
    public string? Declined { get; init; }
    /// <summary>The candidates as ranked.</summary>
    public IReadOnlyList<RankedCandidate> Ranked { get; init; } = [];
    /// <summary>How long generation waited for Roslyn's context before it started (constrain on).</summary>
    public double ConstraintWaitMs { get; init; }
    /// <summary>Whether Roslyn's constraint steered generation (for at least its later characters).</summary>
    public bool Constrained { get; init; }
    /// <summary>The answer continued the ghost text the user was typing through: no generation, no Roslyn.</summary>
    public bool TypedThrough { get; init; }
    /// <summary>The best candidate's confidence (ShownText); null when nothing was generated.</summary>
    public double? Confidence { get; init; }
    /// <summary>An automatic request answered with nothing because the confidence was below the gate (Declined says so).</summary>
    public bool HeldBack { get; init; }
}

public sealed class CompletionPipeline
{
    /// <summary>Penalty, in nats per character, for each syntax error a candidate introduces.</summary>
    public const double SyntaxErrorPenalty = CandidateRanking.SyntaxErrorWeight;
    /// <summary>Penalty, in nats per character, for each undefined identifier a candidate introduces.</summary>
    public const double UndefinedIdentifierPenalty = CandidateRanking.UndefinedIdentifierWeight;
    /// <summary>Generation never runs longer than this, even when no candidate holds a whole token yet.</summary>
    public const int HardCapMs = 1000;

    private readonly ModelHost _model;
    private readonly PrefixStateCache _states;
    private readonly BackgroundPrefixEncoder _encoder;
    private readonly RoslynReranker _reranker;
    private readonly DocumentStore _documents;
    private readonly WorkspaceCache? _cache;
    private readonly TypeThrough _typeThrough = new();
    private CancellationTokenSource? _latest;
    private CacheMixture? _mixture;                                         // for the loaded model's vocabulary
    private readonly double[] _cacheSymbols = new double[CharacterCache.Symbols]; // used under the cache's lock only

    /// <param name="cache">the workspace cache, mixed in when the options say so; null: the model alone</param>
    public CompletionPipeline(ModelHost model, PrefixStateCache states, BackgroundPrefixEncoder encoder, RoslynReranker reranker, DocumentStore documents,
        WorkspaceCache? cache = null)
    {
        _model = model;
        _states = states;
        _encoder = encoder;
        _reranker = reranker;
        _documents = documents;
        _cache = cache;
        _evidence = Evidence;
        _model.ModelChanged += _typeThrough.Forget;
        UseWorkspaceCache(cache is not null);
    }

    /// <summary>Whether the prefix states weigh the workspace cache as they are encoded (the setting workspaceCache): set it
    /// when the setting is known, so that the states encoded ahead are not thrown away at the first request.</summary>
    public void UseWorkspaceCache(bool on) => _states.Evidence = on && _cache is not null ? _evidence : null;

    public LatencyRecorder Latencies { get; } = new();

    /// <summary>The trace of the last request that finished, for the status request.</summary>
    public CompletionTrace? LastTrace { get; private set; }

    /// <summary>Requests that have reached the pipeline, finished or not (tests wait on it instead of on time).</summary>
    public long Arrived => Interlocked.Read(ref _arrived);
    private long _arrived;

    /// <summary>The request as the pipeline sees it: the caret, the selected completion item folded in, the plan.</summary>
    private sealed record Request(OpenDocument Document, SourceText Text, int Start, int Caret, string SelectedText, string LinePrefix, bool Automatic, CompletionPlan Plan, bool IndentsWithTabs);

    private sealed record Generated(IReadOnlyList<Candidate> Candidates, double EncodeMs, long EncodedChars, double WaitMs, double GenerateMs,
        bool BudgetExpired, bool BudgetExtended, bool Constrained, bool ModelKnowsTabs);

    public async Task<CompletionResult> CompleteAsync(CompletionRequest completionRequest, CompletionOptions settings, CancellationToken requestCancelled)
    {
        var clock = Stopwatch.StartNew();
        Interlocked.Increment(ref _arrived);
        using var pause = _encoder.PauseForRequest();
        var document = completionRequest.Document;
        var request = PlanRequest(completionRequest, settings);
        if (request.Plan.Declined is not null)
            return Finish(clock, [], new CompletionTrace { Declined = request.Plan.Declined });
        var itemCount = request.Automatic ? 1 : settings.InvokedItems;
        if (settings.TypeThrough && request.SelectedText.Length == 0 && _typeThrough.Continue(document.Uri, request.Text, request.Caret, settings) is { } typedThrough)
        {
            try { Interlocked.Exchange(ref _latest, null)?.Cancel(); }
            catch (ObjectDisposedException) { }
            var (throughItems, throughDecision) = Items(request, [.. typedThrough], itemCount, settings);
            return Finish(clock, throughItems,
                new CompletionTrace
                {
                    Kept = typedThrough.Count, Declined = throughDecision?.HeldBack, Ranked = typedThrough,
                    TypedThrough = true, Confidence = throughDecision?.Confidence, HeldBack = throughDecision?.HeldBack is not null,
                });
        }

        // The newest request wins: starting this one cancels the one before.
        using var superseded = CancellationTokenSource.CreateLinkedTokenSource(requestCancelled);
        var previous = Interlocked.Exchange(ref _latest, superseded);
        try { previous?.Cancel(); }
        catch (ObjectDisposedException) { } // it has finished already

        // Roslyn prepares its context on its own thread while the model works; it is cancelled once this request is answered.
        using var roslynCancelled = CancellationTokenSource.CreateLinkedTokenSource(superseded.Token);
        var roslynClock = new Stopwatch();
        var prepare = StartRoslyn(request, settings, roslynClock, roslynCancelled.Token);
        try
        {
            var generated = await GenerateAsync(request, settings, settings.Constrain ? prepare : null, superseded.Token);
            superseded.Token.ThrowIfCancellationRequested();
            if (generated is null) return Finish(clock, [], new CompletionTrace { Declined = "no model is loaded" });

            var shaped = Shape(request, generated.Candidates, request.IndentsWithTabs && !generated.ModelKnowsTabs);
            var context = shaped.Count > 1 && settings.Rerank ? await RoslynIfReady(prepare, settings, generated) : null;
            var scoringClock = Stopwatch.StartNew();
            var ranked = Rank(shaped, context, request.Plan.Suffix.Length, superseded.Token);
            scoringClock.Stop();

            var (list, decision) = Items(request, ranked, itemCount, settings);
            if (request.SelectedText.Length == 0) _typeThrough.Remember(document.Uri, request.Text, request.Caret, settings, ranked);
            else _typeThrough.Forget();
            return Finish(clock, list, new CompletionTrace
            {
                EncodeMs = generated.EncodeMs,
                EncodedChars = generated.EncodedChars,
                ModelMs = generated.GenerateMs,
                RoslynMs = roslynClock.Elapsed.TotalMilliseconds + (context is null ? 0 : scoringClock.Elapsed.TotalMilliseconds),
                Generated = generated.Candidates.Count,
                Kept = ranked.Count,
                BudgetExpired = generated.BudgetExpired,
                BudgetExtended = generated.BudgetExtended,
                Reranked = context is not null,
                Declined = decision?.HeldBack,
                Ranked = ranked,
                ConstraintWaitMs = generated.WaitMs,
                Constrained = generated.Constrained,
                Confidence = decision?.Confidence,
                HeldBack = decision?.HeldBack is not null,
            });
        }
        finally
        {
            roslynCancelled.Cancel();
        }
    }

    /// <summary>Stage 1: where the completion goes, what the user's selected completion item adds, and what the editor rules allow.</summary>
    private static Request PlanRequest(CompletionRequest completionRequest, CompletionOptions settings)
    {
        var document = completionRequest.Document;
        var text = document.Text!;
        var caret = Math.Clamp(completionRequest.Caret, 0, text.Length);
        var automatic = completionRequest.Automatic;

        // A selected item of the completion widget is treated as if it were already in the text.
        var start = caret;
        var selectedText = "";
        if (completionRequest.Selected is { Text: not null } selected && selected.Start >= 0 && selected.Start <= caret)
        {
            start = selected.Start;
            selectedText = selected.Text;
        }
        var plan = EditorRules.Plan(text, caret, automatic, settings.MaxLines);
        var line = text.Lines.GetLineFromPosition(caret);
        var linePrefix = text.ToString(TextSpan.FromBounds(line.Start, start)) + selectedText;
        return new Request(document, text, start, caret, selectedText, linePrefix, automatic, plan, EditorRules.IndentsWithTabs(text, line.LineNumber));
    }

    private Task<CompletionContext>? StartRoslyn(Request request, CompletionOptions settings, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (!(settings.Rerank || settings.Constrain) || !request.Document.IsCSharp || !_reranker.IsWarm) return null;
        // The document's own text (not a copy), so Roslyn re-parses only what changed since its last request.
        var roslynText = request.SelectedText.Length == 0
            ? request.Text
            : request.Text.WithChanges(new TextChange(TextSpan.FromBounds(request.Start, request.Caret), request.SelectedText));
        var openDocuments = _documents.All();
        return _reranker.PrepareAsync(request.Document, roslynText, request.Start + request.SelectedText.Length, openDocuments, clock, cancellationToken);
    }

    /// <summary>Stages 2 and 3, on the model thread: the prefix state, then K candidates within the budget, constrained once Roslyn is ready.</summary>
    private async Task<Generated?> GenerateAsync(Request request, CompletionOptions settings, Task<CompletionContext>? constraintContext, CancellationToken superseded)
    {
        return await _model.RunAsync(model =>
        {
            var encodeClock = Stopwatch.StartNew();
            var mixture = settings.WorkspaceCache && _cache is not null ? MixtureFor(model.Vocabulary) : null;
            UseWorkspaceCache(mixture is not null);
            var (state, encodedChars, cacheWeight) = _states.StateAt(model, request.Document, request.Start, superseded);
            if (request.SelectedText.Length > 0) state = model.Advance(state, request.SelectedText);
            encodedChars += request.SelectedText.Length;
            encodeClock.Stop();

            // Constrained decoding needs Roslyn's context: wait a little for it, then go on; it joins when ready.
            var waitClock = Stopwatch.StartNew();
            if (constraintContext is { IsCompleted: false })
            {
                try { constraintContext.Wait(settings.ConstrainWaitMs, superseded); }
                catch (AggregateException) { }
            }
            waitClock.Stop();
            DecodingConstraint? constraint = null;
            Func<string, Func<char, bool>?>? allowed = constraintContext is null ? null : generated =>
            {
                if (constraint is null && constraintContext.IsCompletedSuccessfully) constraint = new DecodingConstraint(constraintContext.Result);
                return constraint?.Allowed(generated);
            };

            // The budget is for generation: it starts now, whatever the prefix cost.
            using var budget = new CancellationTokenSource(settings.TimeBudgetMs);
            using var hardStop = CancellationTokenSource.CreateLinkedTokenSource(superseded);
            hardStop.CancelAfter(Math.Max(HardCapMs, settings.TimeBudgetMs));
            var plan = request.Plan;
            var options = new GenerationOptions(
                Count: settings.Temperature == 0 ? 1 : settings.Candidates,
                MaxChars: settings.MaxChars,
                Temperature: Math.Max(settings.Temperature, 1e-3),
                TopP: settings.TopP,
                Argmax: settings.Temperature == 0,
                Seed: settings.Seed,
                Stop: generated => ShouldStop(generated, plan.MaxLines),
                Usable: generated => EditorRules.HasWholeToken(generated, plan, request.LinePrefix),
                Allowed: allowed,
                Mix: mixture is null ? null : MixWithCache(request, mixture, cacheWeight));
            var generateClock = Stopwatch.StartNew();
            var candidates = model.Generate(state, options, budget.Token, hardStop.Token);
            generateClock.Stop();
            var expired = budget.IsCancellationRequested && candidates.Any(c => !c.Stopped && c.Text.Length < settings.MaxChars);
            var extended = budget.IsCancellationRequested && generateClock.Elapsed.TotalMilliseconds > settings.TimeBudgetMs + 5;
            return new Generated(candidates, encodeClock.Elapsed.TotalMilliseconds, encodedChars, waitClock.Elapsed.TotalMilliseconds,
                generateClock.Elapsed.TotalMilliseconds, expired, extended, constraint is not null, model.KnowsTabs);
        }, superseded);
    }

    private CacheMixture MixtureFor(Vocabulary vocabulary)
    {
        var mixture = _mixture;
        if (mixture is null || !ReferenceEquals(mixture.Vocabulary, vocabulary)) _mixture = mixture = new CacheMixture(vocabulary);
        return mixture;
    }

    /// <summary>How the workspace cache predicted a document's character from the text before it: what earns it its weight.</summary>
    private double Evidence(string uri, string text, int position, double networkProbability, Vocabulary vocabulary)
    {
        var mixture = MixtureFor(vocabulary);
        return _cache!.Read(counts =>
        {
            var backoff = counts.Predict(text.AsSpan(Math.Max(0, position - CharacterCache.MaxOrder), Math.Min(position, CharacterCache.MaxOrder)), uri,
                new DocumentView(text, position), _cacheSymbols);
            return CacheMixture.CacheProbability(mixture.ProbabilityOf(_cacheSymbols, text[position]), backoff, networkProbability);
        });
    }
    private readonly CacheEvidence _evidence;

    /// <summary>Stage 3's mixture: each candidate's next-character row mixed with the cache's prediction after the text before
    /// the caret and the candidate so far, at the weight the document earned the cache (the lines after the caret's are read too).</summary>
    private MixRow MixWithCache(Request request, CacheMixture mixture, double cacheWeight)
    {
        var cache = _cache!;
        var text = request.Text;
        var before = text.ToString(TextSpan.FromBounds(Math.Max(0, request.Start - CharacterCache.MaxOrder), request.Start)) + request.SelectedText;
        var view = new DocumentView(text.ToString(), request.Start, text.Lines.GetLineFromPosition(request.Caret).EndIncludingLineBreak);
        var byId = new double[mixture.Vocabulary.Size];
        var uri = request.Document.Uri;
        return (generated, row) =>
        {
            var history = generated.Length >= CharacterCache.MaxOrder ? generated[^CharacterCache.MaxOrder..] : before + generated;
            var backoff = cache.Read(counts =>
            {
                var left = counts.Predict(history, uri, view, _cacheSymbols);
                mixture.ToIds(_cacheSymbols, byId);
                return left;
            });
            CacheMixture.Mix(row, byId, backoff, cacheWeight);
        };
    }

    /// <summary>Stage 4: each candidate cut at a token boundary when generation cut it short, then shaped by the editor rules and indented as the document is; duplicates merged.</summary>
    /// <param name="tabs">the document indents with tabs that the model read as spaces: its indentation goes back to tabs</param>
    private static List<(string Text, double PerChar, int Count)> Shape(Request request, IReadOnlyList<Candidate> candidates, bool tabs) =>
        candidates
            .Select(candidate => (Text: EditorRules.Shape(candidate.Stopped ? candidate.Text : EditorRules.CutAtTokenBoundary(candidate.Text), request.Plan, request.LinePrefix), Candidate: candidate))
            .Select(pair => (Text: tabs && pair.Text is not null ? EditorRules.SpacesToTabs(pair.Text, CharLanguageModel.IndentWidth) : pair.Text, pair.Candidate))
            .Where(pair => pair.Text is not null)
            .GroupBy(pair => pair.Text!, StringComparer.Ordinal)
            .Select(group => (Best: group.MaxBy(pair => pair.Candidate.LogProbability), Count: group.Count()))
            .Select(group => (Text: group.Best.Text!, PerChar: group.Best.Candidate.LogProbability / Math.Max(1, group.Best.Candidate.Text.Length), group.Count))
            .ToList();

    /// <summary>Roslyn's context if it is ready within what is left of the budget; the ranking never waits longer.</summary>
    private static async Task<CompletionContext?> RoslynIfReady(Task<CompletionContext>? prepare, CompletionOptions settings, Generated generated)
    {
        if (prepare is null) return null;
        var left = settings.TimeBudgetMs - generated.GenerateMs;
        try
        {
            if (!prepare.IsCompleted && left > 0) await prepare.WaitAsync(TimeSpan.FromMilliseconds(left));
            return prepare.IsCompletedSuccessfully ? prepare.Result : null;
        }
        catch (Exception error) when (error is TimeoutException or OperationCanceledException) { return null; }
        catch (Exception) { return null; }
    }

    /// <summary>Stage 5: all candidates scored the same way (Roslyn penalties for all or for none), best first, by
    /// the ranking `charrnn eval` reports (CandidateRanking).</summary>
    private List<RankedCandidate> Rank(List<(string Text, double PerChar, int Count)> shaped, CompletionContext? context, int replaceLength, CancellationToken cancellationToken)
    {
        var inputs = new List<RankingInput>(shaped.Count);
        var counts = shaped.ToDictionary(candidate => candidate.Text, candidate => candidate.Count, StringComparer.Ordinal);
        foreach (var (candidateText, perChar, _) in shaped)
        {
            cancellationToken.ThrowIfCancellationRequested();
            inputs.Add(new RankingInput(candidateText, perChar, context is null ? null : _reranker.Score(context, candidateText, replaceLength)));
        }
        return [.. CandidateRanking.Rank(inputs).Select(item =>
            new RankedCandidate(item.Text, item.LogProbabilityPerChar, item.SyntaxErrorsIntroduced, item.UndefinedIdentifiers, item.Score) { Count = counts[item.Text] })];
    }

    /// <summary>Stage 6: the items, each with an explicit span (VS Code drops items whose range it must guess). An automatic
    /// request shows its best candidate as far as the model is sure of it, or nothing (ShownText); an invoked one, the best there is.</summary>
    private static (List<CompletionItem> Items, ShownDecision? Decision) Items(Request request, List<RankedCandidate> ranked, int count, CompletionOptions settings)
    {
        var end = request.Caret + request.Plan.Suffix.Length;
        if (ranked.Count == 0) return ([], null);
        var confidence = ShownText.Confidence(ranked);
        if (!request.Automatic)
            return ([.. ranked.Take(count).Select(candidate => new CompletionItem(request.SelectedText + candidate.Text, request.Start, end) { Confidence = confidence })],
                new ShownDecision(ranked[0].Text, confidence, null));
        var decision = ShownText.Decide(ranked, settings.MinConfidence, settings.StopAgreement);
        if (decision.HeldBack is not null) return ([], decision);
        // A cut candidate no longer ends with the closers after the caret it was merged with: it must not replace them.
        var replaceEnd = decision.Text.Length == ranked[0].Text.Length ? end : request.Caret;
        return ([new CompletionItem(request.SelectedText + decision.Text, request.Start, replaceEnd) { Confidence = decision.Confidence }], decision);
    }

    private CompletionResult Finish(Stopwatch clock, IReadOnlyList<CompletionItem> list, CompletionTrace trace)
    {
        var total = clock.Elapsed.TotalMilliseconds;
        trace = trace with { TotalMs = total };
        LastTrace = trace;
        Latencies.Add(total);
        return new CompletionResult(list, trace);
    }

    /// <summary>A candidate is complete at the end of its last allowed line, or where it closes the block it is in.</summary>
    private static bool ShouldStop(string generated, int maxLines)
    {
        var newlines = 0;
        var braces = new BracketDepth(BracketKinds.Braces);
        foreach (var c in generated)
        {
            if (c == '\n' && ++newlines >= maxLines) return true;
            if (braces.Read(c) && maxLines > 1) return true;
        }
        return false;
    }
}
