// The line-completion benchmark: at cursor positions drawn with a seed (the first non-blank character of lines
// inside method bodies of held-out files), the model writes to the end of the line, and we ask whether that
// is the true line, how close it is, whether the document still parses as well as with the true line, and
// which undefined names it brings in. Strategies: greedy; best of K samples by the model's likelihood; the same
// K re-ranked by Roslyn (the language server's cheap scorer, as it would run in the editor); and, as an upper
// bound, the best of K by similarity to the truth. Scoring of every outcome uses full binding.
// It does not train or load models; it drives any ICharModel.
using CharRnnCode.Scoring;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CharRnnCode.Evaluation;

public sealed record SourceFile(string Repo, string Path, string Text);

public sealed record LinePosition(int FileIndex, string Path, int Caret, int LineEnd, string TrueLine);

public sealed record LineCompletionOptions
{
    public int Positions { get; init; } = 60;
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
    public const string Oracle = "best of K by similarity (upper bound)";
    public static readonly IReadOnlyList<string> All = [Greedy, Likelihood, Roslyn, Oracle];
}

public sealed record CompletionOutcome(string Text, bool ExactMatch, double EditSimilarity, bool ParseOk,
    int SyntaxErrorsIntroduced, IReadOnlyList<string> UndefinedIntroduced);

public sealed record PositionResult(LinePosition Position, IReadOnlyDictionary<string, CompletionOutcome> Outcomes);

public sealed record StrategySummary(string Strategy, int Positions, double ExactMatch, double EditSimilarity, double ParseOk,
    double UndefinedPerCompletion, double CleanShare);

public sealed record LineCompletionResult(string Model, LineCompletionOptions Options, IReadOnlyList<StrategySummary> Summary,
    IReadOnlyList<PositionResult> Positions);

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

    public static LineCompletionResult Run(ICharModel model, IReadOnlyList<SourceFile> files, IReadOnlyList<LinePosition> positions,
        LineCompletionOptions options, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        // One workspace per repository, holding its held-out files, so that names from sibling files resolve.
        var workspaces = new Dictionary<string, CompletionScorer>(StringComparer.Ordinal);
        CompletionScorer WorkspaceOf(SourceFile file)
        {
            if (workspaces.TryGetValue(file.Repo, out var scorer)) return scorer;
            scorer = new CompletionScorer();
            foreach (var sibling in files.Where(other => other.Repo == file.Repo)) scorer.SetDocument(sibling.Path, sibling.Text);
            return workspaces[file.Repo] = scorer;
        }

        var results = new List<PositionResult>();
        foreach (var (position, index) in positions.Select((p, i) => (p, i)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[position.FileIndex];
            var scorer = WorkspaceOf(file);
            results.Add(Complete(model, scorer, file, position, options, options.Seed * 1_000_003 + index, cancellationToken));
            scorer.SetDocument(file.Path, file.Text); // put the line back for the next position
            progress?.Report(index + 1);
        }
        return new LineCompletionResult(model.Description, options,
            [.. Strategies.All.Select(strategy => Summarize(strategy, results))], results);
    }

    private static PositionResult Complete(ICharModel model, CompletionScorer scorer, SourceFile file, LinePosition position,
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
        var byLikelihood = samples.MaxBy(sample => sample.LogProbability)!;
        var byRoslyn = samples
            .Select(sample => (sample, score: scorer.Score(prepared, sample.Text.TrimEnd())))
            .OrderBy(pair => Math.Max(0, pair.score.SyntaxErrorsIntroduced))
            .ThenBy(pair => pair.score.UndefinedIdentifiersIntroduced.Count)
            .ThenByDescending(pair => pair.sample.LogProbability)
            .First().sample;
        var byOracle = samples.MaxBy(sample => EditSimilarity(sample.Text.TrimEnd(), position.TrueLine))!;

        CompletionOutcome Outcome(Continuation chosen)
        {
            var written = chosen.Text.TrimEnd();
            var score = scorer.ScoreExact(prepared, written, cancellationToken: cancellationToken);
            var undefined = score.UndefinedIdentifiersIntroduced.Except(truth.UndefinedIdentifiersIntroduced, StringComparer.Ordinal).ToList();
            return new CompletionOutcome(written, written == position.TrueLine, EditSimilarity(written, position.TrueLine),
                score.SyntaxErrorsIntroduced <= truth.SyntaxErrorsIntroduced, score.SyntaxErrorsIntroduced, undefined);
        }

        return new PositionResult(position, new Dictionary<string, CompletionOutcome>
        {
            [Strategies.Greedy] = Outcome(greedy),
            [Strategies.Likelihood] = Outcome(byLikelihood),
            [Strategies.Roslyn] = Outcome(byRoslyn),
            [Strategies.Oracle] = Outcome(byOracle),
        });
    }

    public static StrategySummary Summarize(string strategy, IReadOnlyList<PositionResult> results)
    {
        var outcomes = results.Select(result => result.Outcomes[strategy]).ToList();
        double Mean(Func<CompletionOutcome, double> value) => outcomes.Count == 0 ? 0 : outcomes.Average(value);
        return new StrategySummary(strategy, outcomes.Count,
            ExactMatch: Mean(o => o.ExactMatch ? 1 : 0),
            EditSimilarity: Mean(o => o.EditSimilarity),
            ParseOk: Mean(o => o.ParseOk ? 1 : 0),
            UndefinedPerCompletion: Mean(o => o.UndefinedIntroduced.Count),
            CleanShare: Mean(o => o.ParseOk && o.UndefinedIntroduced.Count == 0 ? 1 : 0));
    }

    /// <summary>1 − Levenshtein distance / the longer length; 1 for two empty strings.</summary>
    public static double EditSimilarity(string a, string b)
    {
        if (a.Length == 0 && b.Length == 0) return 1;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return 1.0 - previous[b.Length] / (double)Math.Max(a.Length, b.Length);
    }
}
