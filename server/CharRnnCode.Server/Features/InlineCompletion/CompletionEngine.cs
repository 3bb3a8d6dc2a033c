// Serves one inline completion: the prefix state from the per-document cache, K candidates generated
// as one batch on the model thread while Roslyn prepares its context on another, then the editor
// rules, then ranking by the model's per-character log-probability minus Roslyn penalties for the
// syntax errors and undefined identifiers a candidate introduces. The newest request wins (starting one
// cancels the one before), and a time budget bounds each: when it runs out, the best candidate so far
// is served. It does not track documents or settings; the handler passes them in.
using System.Diagnostics;
using CharRnnCode.Model;
using CharRnnCode.Scoring;
using CharRnnCode.Server.Features.DocumentSync;
using CharRnnCode.Server.Features.Configuration;
using CharRnnCode.Server.Modeling;
using CharRnnCode.Server.Protocol;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Server.Features.InlineCompletion;

/// <summary>One ranked candidate, as the status request and the benchmark report it.</summary>
public sealed record RankedCandidate(string Text, double LogProbabilityPerChar, int SyntaxErrorsIntroduced, IReadOnlyList<string> UndefinedIdentifiers, double Score);

/// <summary>What happened in one request, for the log, the status request and the benchmark.</summary>
public sealed record CompletionTrace(double TotalMs, double ModelMs, double RoslynMs, int Generated, int Kept, bool BudgetExpired, bool Reranked, string? Declined, IReadOnlyList<RankedCandidate> Ranked);

public sealed class CompletionEngine
{
    /// <summary>Penalty, in nats per character, for each syntax error a candidate introduces.</summary>
    public const double SyntaxErrorPenalty = 1.0;
    /// <summary>Penalty, in nats per character, for each undefined identifier a candidate introduces.</summary>
    public const double UndefinedIdentifierPenalty = 0.5;

    private readonly ModelHost _model;
    private readonly RoslynReranker _reranker;
    private readonly DocumentStore _documents;
    private CancellationTokenSource? _latest;

    public CompletionEngine(ModelHost model, RoslynReranker reranker, DocumentStore documents)
    {
        _model = model;
        _reranker = reranker;
        _documents = documents;
    }

    public LatencyRecorder Latencies { get; } = new();

    public CompletionTrace? LastTrace { get; private set; }

    public async Task<InlineCompletionList> CompleteAsync(OpenDocument document, InlineCompletionParams request, ServerSettings settings, CancellationToken requestCancelled)
    {
        var clock = Stopwatch.StartNew();
        var text = document.Text!;
        var caret = DocumentStore.ToOffset(text, request.Position);
        var automatic = request.Context?.TriggerKind == InlineCompletionTriggerKind.Automatic;

        // A selected item of the completion widget is treated as if it were already in the text.
        var start = caret;
        var selectedText = "";
        if (request.Context?.SelectedCompletionInfo is { Range: not null, Text: not null } selected)
        {
            var selectedStart = DocumentStore.ToOffset(text, selected.Range.Start);
            var selectedEnd = DocumentStore.ToOffset(text, selected.Range.End);
            if (selectedStart <= selectedEnd && selectedEnd == caret)
            {
                start = selectedStart;
                selectedText = selected.Text;
            }
        }

        var plan = EditorRules.Plan(text, caret, automatic, settings.MaxLines);
        if (plan.Declined is not null)
        {
            Finish(clock, new CompletionTrace(clock.Elapsed.TotalMilliseconds, 0, 0, 0, 0, false, false, plan.Declined, []));
            return InlineCompletionList.Empty;
        }
        var line = text.Lines.GetLineFromPosition(caret);
        var linePrefix = text.ToString(TextSpan.FromBounds(line.Start, start)) + selectedText;

        // The newest request wins: starting this one cancels the one before.
        using var superseded = CancellationTokenSource.CreateLinkedTokenSource(requestCancelled);
        var previous = Interlocked.Exchange(ref _latest, superseded);
        try { previous?.Cancel(); }
        catch (ObjectDisposedException) { } // it has finished already
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(superseded.Token);
        budget.CancelAfter(settings.TimeBudgetMs);

        // Roslyn prepares its context while the model generates.
        Task<CompletionContext?>? prepare = null;
        var roslynClock = new Stopwatch();
        if (settings.Rerank && document.IsCSharp && _reranker.IsWarm)
        {
            var openDocuments = _documents.All();
            prepare = Task.Run(() =>
            {
                roslynClock.Start();
                var roslynText = selectedText.Length == 0
                    ? text.ToString()
                    : text.WithChanges(new TextChange(TextSpan.FromBounds(start, caret), selectedText)).ToString();
                var context = _reranker.Prepare(document, roslynText, start + selectedText.Length, openDocuments, budget.Token);
                roslynClock.Stop();
                return (CompletionContext?)context;
            }, budget.Token);
        }

        var modelClock = Stopwatch.StartNew();
        var candidates = await _model.RunAsync(model =>
            {
                // The prefix is always encoded in full (the cache keeps it for the next keystroke); the
                // budget bounds generation, which then returns what it has.
                var state = _model.States.StateAt(model, document.Uri, text, start, superseded.Token);
                if (selectedText.Length > 0) state = model.Advance(state, selectedText);
                var options = new GenerationOptions(
                    Count: settings.Temperature == 0 ? 1 : settings.Candidates,
                    MaxChars: settings.MaxChars,
                    Temperature: Math.Max(settings.Temperature, 1e-3),
                    TopP: settings.TopP,
                    Argmax: settings.Temperature == 0,
                    Seed: settings.Seed,
                    Stop: generated => ShouldStop(generated, plan.MaxLines));
                return model.Generate(state, options, budget.Token);
            }, superseded.Token);
        superseded.Token.ThrowIfCancellationRequested();
        modelClock.Stop();
        if (candidates is null) return InlineCompletionList.Empty; // no model loaded

        var shaped = candidates
            .Select(candidate => (Text: EditorRules.Shape(candidate.Text, plan, linePrefix), Candidate: candidate))
            .Where(pair => pair.Text is not null)
            .GroupBy(pair => pair.Text!, StringComparer.Ordinal)
            .Select(group => group.MaxBy(pair => pair.Candidate.LogProbability))
            .Select(pair => (Text: pair.Text!, PerChar: pair.Candidate.LogProbability / Math.Max(1, pair.Candidate.Text.Length)))
            .ToList();

        var ranked = new List<RankedCandidate>(shaped.Count);
        CompletionContext? context = null;
        if (prepare is not null && shaped.Count > 1)
        {
            try
            {
                // What is left of the budget is what Roslyn may still take.
                context = await prepare.WaitAsync(budget.Token);
            }
            catch (OperationCanceledException) when (!superseded.IsCancellationRequested) { }
            catch (Exception error) when (error is not OperationCanceledException) { context = null; }
        }
        var scoringMs = 0.0;
        foreach (var (candidateText, perChar) in shaped)
        {
            superseded.Token.ThrowIfCancellationRequested();
            if (context is not null && !budget.IsCancellationRequested)
            {
                var roslynStart = Stopwatch.GetTimestamp();
                var score = _reranker.Score(context, candidateText, plan.Suffix.Length);
                scoringMs += Stopwatch.GetElapsedTime(roslynStart).TotalMilliseconds;
                var errors = Math.Max(0, score.SyntaxErrorsIntroduced);
                var undefined = score.UndefinedIdentifiersIntroduced;
                ranked.Add(new RankedCandidate(candidateText, perChar, errors, undefined,
                    perChar - SyntaxErrorPenalty * errors - UndefinedIdentifierPenalty * undefined.Count));
            }
            else
            {
                ranked.Add(new RankedCandidate(candidateText, perChar, 0, [], perChar));
            }
        }
        ranked.Sort((a, b) => b.Score.CompareTo(a.Score));

        var count = automatic ? 1 : settings.InvokedItems;
        var range = new Protocol.Range(
            DocumentStore.ToPosition(text, start),
            DocumentStore.ToPosition(text, caret + plan.Suffix.Length));
        var items = ranked.Take(count).Select(candidate => new InlineCompletionItem(selectedText + candidate.Text, range)).ToList();
        Finish(clock, new CompletionTrace(clock.Elapsed.TotalMilliseconds, modelClock.Elapsed.TotalMilliseconds, roslynClock.Elapsed.TotalMilliseconds + scoringMs,
            candidates.Count, ranked.Count, budget.IsCancellationRequested, context is not null, null, ranked));
        return new InlineCompletionList(items);
    }

    private void Finish(Stopwatch clock, CompletionTrace trace)
    {
        LastTrace = trace with { TotalMs = clock.Elapsed.TotalMilliseconds };
        Latencies.Add(clock.Elapsed.TotalMilliseconds);
    }

    /// <summary>A candidate is complete at the end of its last allowed line, or where it closes the block it is in.</summary>
    private static bool ShouldStop(string generated, int maxLines)
    {
        var newlines = 0;
        var depth = 0;
        foreach (var c in generated)
        {
            if (c == '\n' && ++newlines >= maxLines) return true;
            if (c == '{') depth++;
            else if (c == '}' && --depth < 0 && maxLines > 1) return true;
        }
        return false;
    }
}
