// How often the fast scorer (CompletionScorer.Score: a parse and name lookups, what the editor can afford per
// candidate) finds the same undefined names as full binding (CompletionScorer.ScoreExact: Roslyn's own
// diagnostics), on completions a model really writes: K line candidates at positions drawn from held-out files,
// each bound against every file of its repository. A completion agrees when the two name sets are equal; names the
// fast scorer left unresolved count as "not undefined" (the editor does not penalise them).
// It measures; it does not decide which scorer the editor uses.

namespace CharRnnCode.Evaluation;

/// <summary>One completion where the two scorers differ.</summary>
public sealed record ScorerDisagreement(string Path, string TrueLine, string Completion, IReadOnlyList<string> Fast,
    IReadOnlyList<string> Unresolved, IReadOnlyList<string> Full);

public sealed record AgreementResult(int Completions, int Agreeing, int WithUnresolvedMembers, IReadOnlyList<ScorerDisagreement> Disagreements)
{
    public double Share => Completions == 0 ? double.NaN : (double)Agreeing / Completions;
}

public static class ScorerAgreement
{
    /// <summary>Distinct non-empty candidates of <paramref name="options"/>.K samples at each position, scored both ways.</summary>
    public static AgreementResult Measure(ICharModel model, IReadOnlyList<SourceFile> files, IReadOnlyList<LinePosition> positions,
        LineCompletionOptions options, RepositoryWorkspaces? workspaces = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        workspaces ??= new RepositoryWorkspaces(files);
        var completions = 0;
        var agreeing = 0;
        var withUnresolved = 0;
        var disagreements = new List<ScorerDisagreement>();
        foreach (var (position, index) in positions.Select((p, i) => (p, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[position.FileIndex];
            var scorer = workspaces.For(file.Repo);
            try
            {
                var context = file.Text[Math.Max(0, position.Caret - options.MaxContextChars)..position.Caret];
                var prepared = scorer.Prepare(file.Path, file.Text[..position.Caret] + file.Text[position.LineEnd..], position.Caret, cancellationToken);
                var candidates = model.Continue(context, new ContinuationRequest(options.K, options.MaxChars, options.Temperature,
                        Seed: options.Seed * 1_000_003 + index, StopAtLineEnd: true), cancellationToken)
                    .Select(c => c.Text.TrimEnd()).Where(text => text.Trim().Length > 0).Distinct(StringComparer.Ordinal);
                foreach (var candidate in candidates)
                {
                    var fast = scorer.Score(prepared, candidate);
                    var full = scorer.ScoreExact(prepared, candidate, cancellationToken: cancellationToken).UndefinedIdentifiersIntroduced;
                    completions++;
                    if (fast.UnresolvedMembers.Count > 0) withUnresolved++;
                    if (fast.UndefinedIdentifiersIntroduced.ToHashSet(StringComparer.Ordinal).SetEquals(full)) agreeing++;
                    else disagreements.Add(new ScorerDisagreement(file.Path, position.TrueLine, candidate, fast.UndefinedIdentifiersIntroduced,
                        fast.UnresolvedMembers, full));
                }
            }
            finally { scorer.SetDocument(file.Path, file.Text); }
            progress?.Report(index + 1);
        }
        return new AgreementResult(completions, agreeing, withUnresolved, disagreements);
    }
}
