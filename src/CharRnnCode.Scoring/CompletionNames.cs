// The fast check of a completion's identifiers: tokenise the candidate and look each name up in the set of
// names visible at the caret (computed once per request). Names the candidate declares itself (locals, lambda
// and pattern variables) count as defined from there on. Identifiers after a `.` inside the candidate are not
// judged (their receiver's type is unknown without binding); CompletionScorer.ScoreExact binds fully.
using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CharRnnCode.Scoring;

internal static class CompletionNames
{
    // Contextual keywords lex as identifiers; they are never undefined names.
    private static readonly FrozenSet<string> ContextualKeywords = FrozenSet.ToFrozenSet(
    [
        "var", "dynamic", "nameof", "await", "async", "value", "yield", "when", "where", "select", "from", "let",
        "join", "on", "equals", "into", "orderby", "ascending", "descending", "group", "by", "global", "partial",
        "record", "init", "required", "with", "and", "or", "not", "managed", "unmanaged", "nint", "nuint", "_",
        "get", "set", "add", "remove", "notnull", "scoped", "file", "args", "field", "allows", "extension",
    ], StringComparer.Ordinal);

    public static List<string> Undefined(CompletionContext context, string completionText)
    {
        var text = context.PartialWord + completionText;
        var tokens = SyntaxFactory.ParseTokens(text, options: CSharpScorer.ParseOptions)
            .Where(token => !token.IsKind(SyntaxKind.EndOfFileToken)).ToList();
        var declared = new HashSet<string>(StringComparer.Ordinal);
        DeclareLambdaParameters(tokens, declared);
        var undefined = new List<string>();

        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.IsKind(SyntaxKind.IdentifierToken)) continue;
            var name = token.ValueText;
            // The word already typed before the caret, not continued: it was there without the completion.
            if (i == 0 && context.PartialWord.Length > 0 && token.Text == context.PartialWord) continue;
            var previous = i > 0 ? tokens[i - 1] : default;
            var next = i + 1 < tokens.Count ? tokens[i + 1] : default;

            if (i == 0 && context.AfterDot)
            {
                if (context.ReceiverMembers is { } members && !members.Contains(name)) undefined.Add(name);
                continue;
            }
            if (previous.IsKind(SyntaxKind.DotToken) || previous.IsKind(SyntaxKind.QuestionToken) && i > 1 && tokens[i - 2].IsKind(SyntaxKind.DotToken)
                || previous.IsKind(SyntaxKind.ColonColonToken) || previous.IsKind(SyntaxKind.MinusGreaterThanToken))
                continue;
            if (ContextualKeywords.Contains(name) || declared.Contains(name)) continue;
            // A named argument or a label: `name:` (not `?:`, which has a `?` somewhere before).
            if (next.IsKind(SyntaxKind.ColonToken) && !tokens.Take(i).Any(t => t.IsKind(SyntaxKind.QuestionToken))) continue;
            if (i > 0 && IsTypeLike(previous) && !next.IsKind(SyntaxKind.DotToken) && !next.IsKind(SyntaxKind.OpenParenToken)
                && !next.IsKind(SyntaxKind.LessThanToken))
            {
                declared.Add(name); // `int x`, `var x`, `Foo x`, `out var x`, `is Foo x`, `catch (E e)`
                continue;
            }
            if (next.IsKind(SyntaxKind.EqualsGreaterThanToken)) { declared.Add(name); continue; }
            if (context.NamesInScope.Contains(name)) continue;
            if (!undefined.Contains(name)) undefined.Add(name);
        }
        return undefined.Distinct(StringComparer.Ordinal).ToList();
    }

    private static bool IsTypeLike(SyntaxToken token) =>
        token.IsKind(SyntaxKind.IdentifierToken) && !ContextualKeywordsBeforeExpressions.Contains(token.ValueText)
        || SyntaxFacts.IsPredefinedType(token.Kind())
        || token.IsKind(SyntaxKind.GreaterThanToken) || token.IsKind(SyntaxKind.CloseBracketToken);

    // Contextual keywords that are followed by an expression, not a declared name: `await x`, `yield return`.
    private static readonly FrozenSet<string> ContextualKeywordsBeforeExpressions = FrozenSet.ToFrozenSet(
        ["await", "yield", "nameof", "when", "where", "select", "from", "on", "equals", "orderby", "group", "by",
         "let", "into", "and", "or", "not", "with"], StringComparer.Ordinal);

    // `(a, b) =>` and `(int a, string b) =>`: the names before each `,` or `)` of a list that `=>` follows.
    private static void DeclareLambdaParameters(List<SyntaxToken> tokens, HashSet<string> declared)
    {
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (!tokens[i].IsKind(SyntaxKind.CloseParenToken) || !tokens[i + 1].IsKind(SyntaxKind.EqualsGreaterThanToken)) continue;
            for (var j = i - 1; j >= 0 && !tokens[j].IsKind(SyntaxKind.OpenParenToken); j--)
                if (tokens[j].IsKind(SyntaxKind.IdentifierToken) && (tokens[j + 1].IsKind(SyntaxKind.CommaToken) || tokens[j + 1].IsKind(SyntaxKind.CloseParenToken)))
                    declared.Add(tokens[j].ValueText);
        }
    }
}
