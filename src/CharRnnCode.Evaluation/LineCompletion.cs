// The line-completion benchmark: at cursor positions drawn with a seed (the first non-blank character of lines
// inside method bodies of held-out files), the model writes to the end of the line, and we ask whether it wrote
// code at all, whether that is the true line, how close it is, whether the document still parses as well as with
// the true line, and which undefined names it brings in. Strategies: greedy; best of K samples by likelihood per
// character (the server with re-ranking off); the same K re-ranked by CandidateRanking over the fast scorer (the
// server with re-ranking on), both among the candidates the editor would show (not only whitespace); K samples
// constrained by Roslyn while they are generated (DecodingConstraint), by likelihood; the server's default (constrained,
// then re-ranked): for a checkpoint, the server's own completion pipeline with its default options (ServedLineCompletion,
// the first line of its first item), for any other model the same steps written out here with this benchmark's K and
// temperature; and, as an upper bound, the best of K by similarity to the truth. Every outcome is
// judged by full binding against all C# files of its repository (every split: binding is not training) plus the
// reference assemblies. Each measure has a 95 % bootstrap interval over positions, and re-ranking is compared with
// likelihood alone on the same positions (paired). It does not train or load models; it drives any ICharModel.
using System.Text.Json.Serialization;
using CharRnnCode.Common;
using CharRnnCode.Scoring;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CharRnnCode.Evaluation;

public sealed record SourceFile(string Repo, string Path, string Text);

public sealed record LinePosition(int FileIndex, string Path, int Caret, int LineEnd, string TrueLine);

public sealed record LineCompletionOptions
{
    public int Positions { get; init; } = 200;
    public int K { get; init; } = 8;
    public double Temperature { get; init; } = 0.8;
    public int MaxChars { get; init; } = 100;
    public int MaxContextChars { get; init; } = 3000;
    public long Seed { get; init; } = 1;
}

public static class Strategies
{
    public const string Greedy = "greedy";
    public const string Likelihood = "best of K by likelihood";
    public const string Roslyn = "best of K re-ranked by Roslyn";
    public const string ConstrainedOnly = "best of K constrained by Roslyn, by likelihood";
    public const string Constrained = "best of K constrained by Roslyn, re-ranked";
    public const string Oracle = "best of K by similarity (upper bound)";
    public static readonly IReadOnlyList<string> All = [Greedy, Likelihood, Roslyn, ConstrainedOnly, Constrained, Oracle];
}

/// <param name="NonEmpty">the completion holds a token that is not whitespace or a comment</param>
/// <param name="ParseOk">non-empty, and no more syntax errors in the document than with the true line</param>
/// <param name="IdentifiersWritten">identifier tokens in the completion (contextual keywords such as `var` excluded)</param>
/// <param name="UndefinedIntroduced">names full binding reports undefined with this completion and not with the true line</param>
public sealed record CompletionOutcome(string Text, bool NonEmpty, bool ExactMatch, double EditSimilarity, bool ParseOk,
    int SyntaxErrorsIntroduced, int IdentifiersWritten, IReadOnlyList<string> UndefinedIntroduced)
{
    /// <summary>Parse-OK and no new undefined name.</summary>
    public bool Clean => ParseOk && UndefinedIntroduced.Count == 0;
}

public sealed record PositionResult(LinePosition Position, IReadOnlyDictionary<string, CompletionOutcome> Outcomes);

/// <summary>Shares of positions (and means) with 95 % bootstrap intervals over positions.</summary>
public sealed record StrategySummary(string Strategy, int Positions, Estimate NonEmpty,
    [property: JsonPropertyName("exactMatchInterval")] Estimate ExactMatch, Estimate EditSimilarity,
    [property: JsonPropertyName("parseOkInterval")] Estimate ParseOk, Estimate UndefinedPerCompletion, Estimate UndefinedPerIdentifier, Estimate Clean)
{
    // report.json readers from before the intervals (the editor extension's summary) read these two as plain shares.
    [JsonPropertyName("exactMatch")] public double ExactMatchShare => ExactMatch.Value;
    [JsonPropertyName("parseOk")] public double ParseOkShare => ParseOk.Value;
}

/// <summary>One measure of <see cref="PairedComparison.Strategy"/> minus the same measure of the baseline, position by position.</summary>
public sealed record PairedDifference(string Measure, bool HigherIsBetter, Estimate Difference)
{
    /// <summary>"better", "worse" or "no significant difference", by whether the 95 % interval excludes 0.</summary>
    public string Verdict => !Difference.ExcludesZero ? "no significant difference" : (Difference.Value > 0) == HigherIsBetter ? "better" : "worse";
}

public sealed record PairedComparison(string Strategy, string Baseline, IReadOnlyList<PairedDifference> Differences);

public sealed record LineCompletionResult(string Model, LineCompletionOptions Options, IReadOnlyList<StrategySummary> Summary,
    PairedComparison RerankedAgainstLikelihood, IReadOnlyList<PositionResult> Positions)
{
    /// <summary>Constrained decoding with re-ranking (the server's default) against likelihood alone, same positions.</summary>
    public PairedComparison? ConstrainedAgainstLikelihood { get; init; }

    [JsonIgnore] public IReadOnlyList<PairedComparison> Paired => ConstrainedAgainstLikelihood is { } constrained ? [RerankedAgainstLikelihood, constrained] : [RerankedAgainstLikelihood];

    /// <summary>How the re-ranked row orders candidates (the language server's ranking).</summary>
    public string Ranking => CandidateRanking.Formula;
}

/// <summary>One Roslyn workspace per repository, holding every C# file of it that the corpus has (all splits), so
/// that a held-out line binds against the whole repository. Built on first use and kept for every model evaluated.</summary>
public sealed class RepositoryWorkspaces(IReadOnlyList<SourceFile> files)
{
    private readonly Dictionary<string, CompletionScorer> _scorers = new(StringComparer.Ordinal);

    /// <summary>Every file the workspaces hold (all repositories).</summary>
    public IReadOnlyList<SourceFile> Files => files;

    public CompletionScorer For(string repo)
    {
        if (_scorers.TryGetValue(repo, out var scorer)) return scorer;
        scorer = new CompletionScorer();
        foreach (var file in files.Where(file => file.Repo == repo)) scorer.SetDocument(file.Path, file.Text);
        return _scorers[repo] = scorer;
    }
}

public static class LineCompletion
{
    /// <summary>Cursor positions at the first non-blank character of lines inside method, accessor, local-function
    /// and lambda bodies (not lines that are only a brace), drawn with <paramref name="seed"/>, in file order.</summary>
    public static List<LinePosition> DrawPositions(IReadOnlyList<SourceFile> files, int count, long seed)
    {
        var eligible = new List<LinePosition>();
        for (var f = 0; f < files.Count; f++)
        {
            var text = files[f].Text;
            var root = CSharpSyntaxTree.ParseText(text, CSharpScorer.ParseOptions).GetRoot();
            var lineStart = 0;
            while (lineStart < text.Length)
            {
                var lineEnd = text.IndexOf('\n', lineStart);
                if (lineEnd < 0) lineEnd = text.Length;
                var caret = lineStart;
                while (caret < lineEnd && text[caret] is ' ' or '\t') caret++;
                var line = text[caret..lineEnd].TrimEnd();
                if (line.Length >= 2 && line.Trim('{', '}', ')', ';', ' ').Length > 0 && InsideBody(root, caret))
                    eligible.Add(new LinePosition(f, files[f].Path, caret, lineEnd, line));
                lineStart = lineEnd + 1;
            }
        }
        var random = new Random(unchecked((int)seed));
        random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(eligible));
        return [.. eligible.Take(count).OrderBy(p => p.FileIndex).ThenBy(p => p.Caret)];
    }

    private static bool InsideBody(SyntaxNode root, int position)
    {
        var token = root.FindToken(position);
        if (token.SpanStart != position) return false; // a comment, a directive or the inside of a literal
        return token.Parent!.AncestorsAndSelf().OfType<BlockSyntax>().Any(block => block.Parent is BaseMethodDeclarationSyntax
            or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
    }

    /// <param name="workspaces">what each position binds against; by default the files given, grouped by repository</param>
    public static LineCompletionResult Run(ICharModel model, IReadOnlyList<SourceFile> files, IReadOnlyList<LinePosition> positions,
        LineCompletionOptions options, RepositoryWorkspaces? workspaces = null, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        workspaces ??= new RepositoryWorkspaces(files);
        // A checkpoint's constrained, re-ranked row is the server's pipeline itself, over the same workspace files.
        using var served = model is CheckpointModel checkpoint ? new ServedLineCompletion(checkpoint.Model, workspaces.Files) : null;
        var results = new List<PositionResult>();
        foreach (var (position, index) in positions.Select((p, i) => (p, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[position.FileIndex];
            var scorer = workspaces.For(file.Repo);
            try { results.Add(Complete(model, served, scorer, file, position, options, options.Seed * 1_000_003 + index, cancellationToken)); }
            finally { scorer.SetDocument(file.Path, file.Text); } // put the line back for the next position
            progress?.Report(index + 1);
        }
        return new LineCompletionResult(model.Description, options,
            [.. Strategies.All.Select(strategy => Summarize(strategy, results, options.Seed))],
            Compare(Strategies.Roslyn, Strategies.Likelihood, results, options.Seed), results)
        {
            ConstrainedAgainstLikelihood = Compare(Strategies.Constrained, Strategies.Likelihood, results, options.Seed),
        };
    }

    /// <summary>The candidate the re-ranked row picks, as the language server would: each candidate scored by the
    /// fast scorer against <paramref name="prepared"/>, ranked by <see cref="CandidateRanking"/>.</summary>
    public static RankedItem Reranked(CompletionScorer scorer, CompletionContext prepared, IReadOnlyList<Continuation> candidates) =>
        CandidateRanking.Rank([.. candidates.Select(candidate => new RankingInput(candidate.Text.TrimEnd(),
            CandidateRanking.PerCharacter(candidate.LogProbability, candidate.GeneratedCharacters), scorer.Score(prepared, candidate.Text.TrimEnd())))])[0];

    /// <summary>The candidate the likelihood row picks: the same ranking without Roslyn (the server with re-ranking off).</summary>
    public static RankedItem ByLikelihood(IReadOnlyList<Continuation> candidates) =>
        CandidateRanking.Rank([.. candidates.Select(candidate => new RankingInput(candidate.Text.TrimEnd(),
            CandidateRanking.PerCharacter(candidate.LogProbability, candidate.GeneratedCharacters), null))])[0];

    private static PositionResult Complete(ICharModel model, ServedLineCompletion? served, CompletionScorer scorer, SourceFile file, LinePosition position,
        LineCompletionOptions options, long seed, CancellationToken cancellationToken)
    {
        var text = file.Text;
        var context = text[Math.Max(0, position.Caret - options.MaxContextChars)..position.Caret];
        var withoutLine = text[..position.Caret] + text[position.LineEnd..];
        var prepared = scorer.Prepare(file.Path, withoutLine, position.Caret, cancellationToken);
        var truth = scorer.ScoreExact(prepared, position.TrueLine, cancellationToken: cancellationToken);

        var greedy = model.Continue(context, new ContinuationRequest(1, options.MaxChars, 1.0, Argmax: true, StopAtLineEnd: true),
            cancellationToken)[0];
        var samples = model.Continue(context, new ContinuationRequest(options.K, options.MaxChars, options.Temperature, Seed: seed,
            StopAtLineEnd: true), cancellationToken);
        // As in the editor: candidates that are only whitespace are never offered; when none is left, nothing is shown.
        var showable = samples.Where(sample => CandidateRanking.IsShowable(sample.Text)).ToList();
        var nothing = new Continuation("", 0);
        var byLikelihood = showable.Count == 0 ? nothing : showable[ByLikelihood(showable).InputIndex];
        var byRoslyn = showable.Count == 0 ? nothing : showable[Reranked(scorer, prepared, showable).InputIndex];
        var byOracle = samples.MaxBy(sample => TextSimilarity.EditSimilarity(sample.Text.TrimEnd(), position.TrueLine))!;

        // Roslyn steers every character (DecodingConstraint over the same context), then the same rankings.
        var constraint = new DecodingConstraint(prepared);
        var steered = model.Continue(context, new ContinuationRequest(options.K, options.MaxChars, options.Temperature, Seed: seed,
            StopAtLineEnd: true, Allowed: constraint.Allowed), cancellationToken).Where(sample => CandidateRanking.IsShowable(sample.Text)).ToList();
        var byConstrainedLikelihood = steered.Count == 0 ? nothing : steered[ByLikelihood(steered).InputIndex];
        // The server's default. Its pipeline may offer more than one line where a block ends; the row judges the line.
        var byConstrained = served is not null
            ? new Continuation(FirstLine(served.Complete(file, withoutLine, position.Caret, seed, cancellationToken)), 0)
            : steered.Count == 0 ? nothing : steered[Reranked(scorer, prepared, steered).InputIndex];

        CompletionOutcome Outcome(Continuation chosen)
        {
            var written = chosen.Text.TrimEnd();
            var score = scorer.ScoreExact(prepared, written, cancellationToken: cancellationToken);
            var undefined = score.UndefinedIdentifiersIntroduced.Except(truth.UndefinedIdentifiersIntroduced, StringComparer.Ordinal).ToList();
            var tokens = SyntaxFactory.ParseTokens(written, options: CSharpScorer.ParseOptions).Where(token => !token.IsKind(SyntaxKind.EndOfFileToken)).ToList();
            var nonEmpty = tokens.Count > 0;
            var identifiers = tokens.Count(token => token.IsKind(SyntaxKind.IdentifierToken) && SyntaxFacts.GetContextualKeywordKind(token.ValueText) == SyntaxKind.None);
            return new CompletionOutcome(written, nonEmpty, written == position.TrueLine, TextSimilarity.EditSimilarity(written, position.TrueLine),
                nonEmpty && score.SyntaxErrorsIntroduced <= truth.SyntaxErrorsIntroduced, score.SyntaxErrorsIntroduced, identifiers, undefined);
        }

        return new PositionResult(position, new Dictionary<string, CompletionOutcome>
        {
            [Strategies.Greedy] = Outcome(greedy),
            [Strategies.Likelihood] = Outcome(byLikelihood),
            [Strategies.Roslyn] = Outcome(byRoslyn),
            [Strategies.ConstrainedOnly] = Outcome(byConstrainedLikelihood),
            [Strategies.Constrained] = Outcome(byConstrained),
            [Strategies.Oracle] = Outcome(byOracle),
        });
    }

    private static string FirstLine(string text) => text.IndexOf('\n') is var end and >= 0 ? text[..end] : text;

    /// <summary>Every measure with its 95 % bootstrap interval; the same seed resamples the same positions for every strategy.</summary>
    public static StrategySummary Summarize(string strategy, IReadOnlyList<PositionResult> results, long seed = 1)
    {
        var outcomes = results.Select(result => result.Outcomes[strategy]).ToList();
        Estimate Share(Func<CompletionOutcome, double> value) => Bootstrap.Mean([.. outcomes.Select(value)], seed);
        return new StrategySummary(strategy, outcomes.Count,
            NonEmpty: Share(o => o.NonEmpty ? 1 : 0),
            ExactMatch: Share(o => o.ExactMatch ? 1 : 0),
            EditSimilarity: Share(o => o.EditSimilarity),
            ParseOk: Share(o => o.ParseOk ? 1 : 0),
            UndefinedPerCompletion: Share(o => o.UndefinedIntroduced.Count),
            UndefinedPerIdentifier: Bootstrap.Ratio([.. outcomes.Select(o => (double)o.UndefinedIntroduced.Count)],
                [.. outcomes.Select(o => (double)o.IdentifiersWritten)], seed),
            Clean: Share(o => o.Clean ? 1 : 0));
    }

    /// <summary><paramref name="strategy"/> minus <paramref name="baseline"/> on the same positions, each measure with a paired bootstrap interval.</summary>
    public static PairedComparison Compare(string strategy, string baseline, IReadOnlyList<PositionResult> results, long seed = 1)
    {
        PairedDifference Difference(string measure, bool higherIsBetter, Func<CompletionOutcome, double> value)
        {
            var differences = results.Select(r => value(r.Outcomes[strategy]) - value(r.Outcomes[baseline])).ToList();
            return new PairedDifference(measure, higherIsBetter, Bootstrap.Mean(differences, seed));
        }
        return new PairedComparison(strategy, baseline,
        [
            Difference("clean", true, o => o.Clean ? 1 : 0),
            Difference("parse-OK", true, o => o.ParseOk ? 1 : 0),
            Difference("non-empty", true, o => o.NonEmpty ? 1 : 0),
            Difference("exact match", true, o => o.ExactMatch ? 1 : 0),
            Difference("edit similarity", true, o => o.EditSimilarity),
            Difference("undefined / completion", false, o => o.UndefinedIntroduced.Count),
        ]);
    }
}
