// The caret's method parsed alone: while typing stays inside one method body, a request re-parses that
// method, in proportion to it, instead of the document (whose incremental re-parse still walks every
// member and every preprocessor directive of a large file). The method's nodes start at position 0;
// CompletionContext.RootOffset says where that is in the document.
// It does not bind (CompletionScorer binds the body speculatively against the document's last full
// model) and refuses a method with preprocessor directives, whose meaning depends on the lines before it.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring;

internal static class MethodAlone
{
    /// <summary>
    /// The method whose text is <paramref name="span"/> of <paramref name="text"/>, parsed alone; null where it does not
    /// parse back as one method of <paramref name="kind"/> over exactly the span (an edit that closed the method early
    /// ends it before), or holds a `#`. A method whose `}` went missing (a statement or block left open while typing)
    /// is still one: the document's parse would give it the next `}` it finds, but the same names in scope.
    /// </summary>
    public static BaseMethodDeclarationSyntax? Parse(SourceText text, TextSpan span, SyntaxKind kind)
    {
        var methodText = text.ToString(span);
        if (methodText.Contains('#')) return null;
        return SyntaxFactory.ParseMemberDeclaration(methodText, 0, CSharpScorer.ParseOptions, consumeFullText: false) is BaseMethodDeclarationSyntax method
               && method.FullSpan.Length == span.Length && method.IsKind(kind)
            ? method
            : null;
    }
}
