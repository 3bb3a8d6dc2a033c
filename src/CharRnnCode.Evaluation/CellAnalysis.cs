// Further than the seed, which found its interpretable cells (inside quotes, bracket depth) by looking: label
// every character with syntactic facts from Roslyn's syntax tree and rank every cell of every layer by how well
// its activation tracks each fact (Pearson correlation, sign kept: a cell may track a fact by switching off).
// It ranks; it does not claim causation or probe with trained classifiers.
using CharRnnCode.Scoring;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CharRnnCode.Evaluation;

public sealed record CellRanking(string Fact, int Layer, int Cell, double Correlation);

public static class SyntacticFacts
{
    public const string InString = "inside a string or character literal";
    public const string InComment = "inside a comment";
    public const string InIfCondition = "inside an if condition";
    public const string BraceDepth = "brace nesting depth";
    public const string InParentheses = "inside parentheses";
    public const string IdentifierStart = "start of an identifier";
    public static readonly IReadOnlyList<string> All = [InString, InComment, InIfCondition, BraceDepth, InParentheses, IdentifierStart];

    /// <summary>One value per character of <paramref name="text"/> for every fact (0/1, or a depth).</summary>
    public static IReadOnlyDictionary<string, double[]> Label(string text)
    {
        var n = text.Length;
        var facts = All.ToDictionary(fact => fact, _ => new double[n]);
        var root = CSharpSyntaxTree.ParseText(text, CSharpScorer.ParseOptions).GetRoot();
        void Mark(string fact, Microsoft.CodeAnalysis.Text.TextSpan span)
        {
            for (var i = span.Start; i < Math.Min(span.End, n); i++) facts[fact][i] = 1;
        }

        var braces = 0;
        var parentheses = 0;
        var last = 0;
        foreach (var token in root.DescendantTokens(descendIntoTrivia: false))
        {
            // Depths hold from one token to the next.
            for (var i = last; i < Math.Min(token.SpanStart, n); i++) (facts[BraceDepth][i], facts[InParentheses][i]) = (braces, parentheses > 0 ? 1 : 0);
            switch (token.Kind())
            {
                case SyntaxKind.OpenBraceToken: braces++; break;
                case SyntaxKind.CloseBraceToken: braces = Math.Max(0, braces - 1); break;
                case SyntaxKind.OpenParenToken: parentheses++; break;
                case SyntaxKind.CloseParenToken: parentheses = Math.Max(0, parentheses - 1); break;
                case SyntaxKind.IdentifierToken when token.SpanStart < n: facts[IdentifierStart][token.SpanStart] = 1; break;
                case SyntaxKind.StringLiteralToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.Utf8StringLiteralToken
                    or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken
                    or SyntaxKind.InterpolatedStringTextToken or SyntaxKind.InterpolatedStringStartToken
                    or SyntaxKind.InterpolatedStringEndToken or SyntaxKind.InterpolatedSingleLineRawStringStartToken
                    or SyntaxKind.InterpolatedMultiLineRawStringStartToken or SyntaxKind.InterpolatedRawStringEndToken:
                    Mark(InString, token.Span);
                    break;
            }
            last = Math.Max(last, Math.Min(token.SpanStart, n));
            for (var i = last; i < Math.Min(token.Span.End, n); i++) (facts[BraceDepth][i], facts[InParentheses][i]) = (braces, parentheses > 0 ? 1 : 0);
            last = Math.Max(last, Math.Min(token.Span.End, n));
        }
        foreach (var trivia in root.DescendantTrivia(descendIntoTrivia: false))
            if (trivia.Kind() is SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia
                or SyntaxKind.SingleLineDocumentationCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia)
                Mark(InComment, trivia.Span);
        foreach (var statement in root.DescendantNodes().OfType<IfStatementSyntax>())
            Mark(InIfCondition, statement.Condition.Span);
        return facts;
    }
}

public static class CellAnalysis
{
    /// <summary>For every fact, the <paramref name="top"/> cells whose activation correlates most strongly with
    /// it (by absolute Pearson r). <paramref name="activations"/>: per layer, (T, H).</summary>
    public static List<CellRanking> Rank(IReadOnlyList<float[,]> activations, IReadOnlyDictionary<string, double[]> facts, int top = 3)
    {
        var rankings = new List<CellRanking>();
        foreach (var (fact, values) in facts)
        {
            var candidates = new List<CellRanking>();
            for (var layer = 0; layer < activations.Count; layer++)
            {
                var a = activations[layer];
                for (var cell = 0; cell < a.GetLength(1); cell++)
                    candidates.Add(new CellRanking(fact, layer, cell, Pearson(a, cell, values)));
            }
            rankings.AddRange(candidates.Where(c => double.IsFinite(c.Correlation))
                .OrderByDescending(c => Math.Abs(c.Correlation)).Take(top));
        }
        return rankings;
    }

    /// <summary>Pearson r between column <paramref name="cell"/> of (T, H) <paramref name="a"/> and <paramref name="y"/>;
    /// NaN where either does not vary.</summary>
    public static double Pearson(float[,] a, int cell, double[] y)
    {
        var n = Math.Min(a.GetLength(0), y.Length);
        double sx = 0, sy = 0;
        for (var t = 0; t < n; t++) { sx += a[t, cell]; sy += y[t]; }
        double mx = sx / n, my = sy / n, sxy = 0, sxx = 0, syy = 0;
        for (var t = 0; t < n; t++)
        {
            double dx = a[t, cell] - mx, dy = y[t] - my;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        return sxx <= 1e-12 || syy <= 1e-12 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
