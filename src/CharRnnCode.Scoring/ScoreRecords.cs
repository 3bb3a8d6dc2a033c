// The results Roslyn scoring returns: plain records, shared by the evaluation and the language server.
// They carry facts (positions, messages, names), not judgements; callers decide what a good score is.
namespace CharRnnCode.Scoring;

/// <summary>A syntax error. <paramref name="OnlyCutOffAtEnd"/>: the error is only the text ending too soon
/// (a missing `}`, `;` or `)` or an unterminated string at the very end), which more text could repair.</summary>
public sealed record SyntaxIssue(int Position, string Message, bool OnlyCutOffAtEnd)
{
    /// <summary>Roslyn's diagnostic id, e.g. CS1002.</summary>
    public string Id { get; init; } = "";
    public int Length { get; init; }
}

/// <summary>An identifier that does not resolve (CS0103, CS0246, CS0234, CS1061, CS0117, CS0426).</summary>
public sealed record NameIssue(string Name, int Position, int Length, string Id, string Message);

public sealed record SnippetScore(IReadOnlyList<SyntaxIssue> SyntaxErrors, IReadOnlyList<string> UndefinedIdentifiers)
{
    /// <summary>The undefined identifiers with their positions and diagnostics, in text order.</summary>
    public IReadOnlyList<NameIssue> UndefinedIdentifierIssues { get; init; } = [];

    /// <summary>Syntax errors that are not explained by the text being cut off at its end.</summary>
    public int RealSyntaxErrorCount => SyntaxErrors.Count(issue => !issue.OnlyCutOffAtEnd);

    public bool Parses => SyntaxErrors.Count == 0;
}

/// <summary>What a completion changes, compared with the same document without it.</summary>
public sealed record CompletionScore(int SyntaxErrorsIntroduced, IReadOnlyList<string> UndefinedIdentifiersIntroduced)
{
    /// <summary>Names after `.` whose receiver the fast scorer could not bind, so it did not judge them (always empty from full binding).</summary>
    public IReadOnlyList<string> UnresolvedMembers { get; init; } = [];

    public bool IsClean => SyntaxErrorsIntroduced <= 0 && UndefinedIdentifiersIntroduced.Count == 0;
}
