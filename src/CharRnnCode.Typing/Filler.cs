// Filler: ghost text that parses and names real things but cannot matter, such as a comparison of two constants
// (`string.Empty != null`, `1 == 1`), a condition that is a constant (`if ( !false )`, `while (true == false)`), or
// a test of `this`/a literal against null. It judges the shown text in its line (what was typed before it, then
// it), by syntax alone: only nodes the shown text wrote count. It does not bind names.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CharRnnCode.Typing;

public static class Filler
{
    /// <summary>Whether <paramref name="shown"/>, written after <paramref name="linePrefix"/>, holds a condition or comparison that is constant.</summary>
    public static bool IsFiller(string linePrefix, string shown)
    {
        if (shown.Length == 0) return false;
        var statement = SyntaxFactory.ParseStatement(linePrefix + shown);
        var from = linePrefix.Length;
        foreach (var node in statement.DescendantNodesAndSelf())
        {
            if (node.Span.End <= from) continue;
            switch (node)
            {
                case BinaryExpressionSyntax binary when IsComparisonOrLogical(binary) && IsConstant(binary.Left) && IsConstant(binary.Right) && binary.Right.Span.End > from:
                    return true;
                case IfStatementSyntax { Condition: var condition } when IsConstant(condition) && condition.Span.End > from:
                    return true;
                case WhileStatementSyntax { Condition: var condition } when IsConstant(condition) && condition.Span.End > from && !condition.IsKind(SyntaxKind.TrueLiteralExpression):
                    return true; // while (true) is a real loop
            }
        }
        return false;
    }

    private static bool IsComparisonOrLogical(BinaryExpressionSyntax binary) => binary.Kind() is SyntaxKind.EqualsExpression or SyntaxKind.NotEqualsExpression
        or SyntaxKind.LessThanExpression or SyntaxKind.LessThanOrEqualExpression or SyntaxKind.GreaterThanExpression or SyntaxKind.GreaterThanOrEqualExpression
        or SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression;

    /// <summary>A literal, `string.Empty`, `this`, `default`, or one of those negated or in brackets.</summary>
    private static bool IsConstant(ExpressionSyntax expression) => expression switch
    {
        LiteralExpressionSyntax literal => !literal.IsMissing && literal.Token.Text.Length > 0,
        ParenthesizedExpressionSyntax { Expression: var inner } => IsConstant(inner),
        PrefixUnaryExpressionSyntax { OperatorToken.RawKind: (int)SyntaxKind.ExclamationToken or (int)SyntaxKind.MinusToken, Operand: var operand } => IsConstant(operand),
        ThisExpressionSyntax => true,
        DefaultExpressionSyntax => true,
        MemberAccessExpressionSyntax { Expression: PredefinedTypeSyntax { Keyword.RawKind: (int)SyntaxKind.StringKeyword }, Name.Identifier.Text: "Empty" } => true,
        BinaryExpressionSyntax binary when IsComparisonOrLogical(binary) => IsConstant(binary.Left) && IsConstant(binary.Right),
        _ => false,
    };
}
