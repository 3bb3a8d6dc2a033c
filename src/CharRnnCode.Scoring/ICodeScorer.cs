// What evaluation asks of a language's scorer: does a text parse (and which syntax errors it has), which
// names are undefined where the language can tell, and the text's tokens from the language's own lexer
// (strings and comments are single tokens or absent, so words inside them are never names).
// CSharpScorer (Roslyn) and CScorer (libclang) implement it; which one a corpus gets is the caller's choice.
namespace CharRnnCode.Scoring;

public enum CodeTokenKind { Identifier, Keyword, Punctuation, Literal, Other }

/// <summary>A token of the text: <paramref name="Start"/> and <paramref name="Length"/> in characters (UTF-16).</summary>
public readonly record struct CodeToken(CodeTokenKind Kind, int Start, int Length, string Text)
{
    public int End => Start + Length;
}

public interface ICodeScorer
{
    /// <summary>The corpus language preset it scores ("csharp", "c").</summary>
    string Language { get; }

    /// <summary>What it parses with, for reports ("Roslyn ... (C#)", "libclang ... (C)").</summary>
    string Name { get; }

    /// <summary>Whether <see cref="Score"/> reports undefined identifiers (C without its headers cannot tell).</summary>
    bool ReportsUndefinedNames { get; }

    /// <summary>Syntax errors and, where the language can tell, undefined identifiers.</summary>
    SnippetScore Score(string code);

    /// <summary>Syntax errors only: what the parse rate needs.</summary>
    IReadOnlyList<SyntaxIssue> ParseErrors(string code);

    /// <summary>The text's tokens in order, comments and preprocessor-only text left out.</summary>
    IReadOnlyList<CodeToken> Tokens(string code);

    /// <summary>The names the text uses: identifier tokens, minus keywords (contextual ones too) and preprocessor words.</summary>
    IReadOnlyList<CodeToken> Identifiers(string code);
}
