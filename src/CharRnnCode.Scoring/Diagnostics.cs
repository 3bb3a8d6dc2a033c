// Turns Roslyn diagnostics into the two facts scoring reports: syntax errors (and whether an error is only
// the text being cut off at its end) and undefined identifiers (with the name each one is about).
// It does not decide what counts as good code; it only classifies.
using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring;

public static class ScoringDiagnostics
{
    /// <summary>The diagnostics that mean "this name does not exist here": the seed's invented variables.</summary>
    public static readonly FrozenSet<string> UndefinedNameIds = FrozenSet.ToFrozenSet(
    [
        "CS0103", // The name 'x' does not exist in the current context
        "CS0246", // The type or namespace name 'X' could not be found
        "CS0234", // The type or namespace name 'X' does not exist in the namespace 'N'
        "CS1061", // 'T' does not contain a definition for 'x' and no accessible extension method
        "CS0117", // 'T' does not contain a definition for 'x'
        "CS0426", // The type name 'X' does not exist in the type 'T'
    ]);

    // Errors that appear when text ends too early and vanish when it goes on: missing closers,
    // unterminated literals and comments, an expression or identifier expected at the end.
    private static readonly FrozenSet<string> TruncationIds = FrozenSet.ToFrozenSet(
    [
        "CS1513", // } expected
        "CS1514", // { expected
        "CS1002", // ; expected
        "CS1026", // ) expected
        "CS1003", // Syntax error, 'x' expected
        "CS1001", // Identifier expected
        "CS1031", // Type expected
        "CS1525", // Invalid expression term (often: end of file)
        "CS1733", // Expected expression
        "CS1010", // Newline in constant
        "CS1039", // Unterminated string literal
        "CS1035", // End-of-file found, '*/' expected
        "CS8997", // Unterminated raw string literal
        "CS1012", // Too many characters in character literal
        "CS1011", // Empty character literal
        "CS1022", // Type or namespace definition, or end-of-file expected
        "CS8803", // Top-level statements must precede namespace and type declarations
        "CS1038", // #endregion directive expected
        "CS1027", // #endif directive expected
    ]);

    public static IReadOnlyList<SyntaxIssue> SyntaxIssues(SyntaxTree tree, CancellationToken cancellationToken = default)
    {
        var text = tree.GetText(cancellationToken);
        var end = TrimmedEnd(text);
        var issues = new List<SyntaxIssue>();
        foreach (var diagnostic in tree.GetDiagnostics(cancellationToken))
        {
            if (diagnostic.Severity != DiagnosticSeverity.Error) continue;
            var span = diagnostic.Location.SourceSpan;
            issues.Add(new SyntaxIssue(span.Start, diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture),
                IsCutOff(diagnostic.Id, span, end))
            { Id = diagnostic.Id, Length = span.Length });
        }
        issues.Sort((a, b) => a.Position.CompareTo(b.Position));
        return issues;
    }

    public static int SyntaxErrorCount(SyntaxTree tree) =>
        tree.GetDiagnostics().Count(diagnostic => diagnostic.Severity == DiagnosticSeverity.Error);

    /// <summary>The undefined-name diagnostics among <paramref name="diagnostics"/> located in <paramref name="tree"/>, in text order.</summary>
    public static List<NameIssue> NameIssues(IEnumerable<Diagnostic> diagnostics, SyntaxTree tree)
    {
        var text = tree.GetText();
        var issues = new List<NameIssue>();
        foreach (var diagnostic in diagnostics)
        {
            if (!UndefinedNameIds.Contains(diagnostic.Id) || diagnostic.Location.SourceTree != tree) continue;
            var span = diagnostic.Location.SourceSpan;
            issues.Add(new NameIssue(NameAt(text, span), span.Start, span.Length, diagnostic.Id,
                diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)));
        }
        issues.Sort((a, b) => a.Position.CompareTo(b.Position));
        return issues;
    }

    /// <summary>The name a diagnostic is about: its location's text, the last part of a qualified
    /// or generic name (`A.B` → `B`, `List&lt;X&gt;` → `List`).</summary>
    public static string NameAt(SourceText text, TextSpan span)
    {
        var located = text.ToString(span).Trim();
        var genericStart = located.IndexOf('<');
        if (genericStart > 0) located = located[..genericStart];
        var lastDot = located.LastIndexOf('.');
        if (lastDot >= 0) located = located[(lastDot + 1)..];
        return located.TrimStart('@');
    }

    private static bool IsCutOff(string id, TextSpan span, int trimmedEnd) =>
        TruncationIds.Contains(id) && span.End >= trimmedEnd;

    private static int TrimmedEnd(SourceText text)
    {
        var end = text.Length;
        while (end > 0 && char.IsWhiteSpace(text[end - 1])) end--;
        return end;
    }
}
