// Scores a C# snippet on its own: does it parse, and which identifiers are undefined, resolved against the
// .NET reference assemblies plus any other source files given as context. Used for free-running samples,
// where every snippet is new; editor completions go through CompletionScorer, which keeps state.
// As an ICodeScorer it is the C# scorer of evaluation: Roslyn's lexer gives its tokens and names.
// It does not run analyzers, does not emit, and reports only the diagnostics it is about.
using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CharRnnCode.Scoring;

public sealed class CSharpScorer : ICodeScorer
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Regular);

    // A library (not an executable) so that top-level statements count as code, not as a missing Main;
    // the diagnostic that remains (CS8805) is not one scoring reports. Single-threaded: callers parallelise.
    public static readonly CSharpCompilationOptions CompilationOptions = new(
        OutputKind.DynamicallyLinkedLibrary, concurrentBuild: false, nullableContextOptions: NullableContextOptions.Disable,
        allowUnsafe: true);

    private readonly ImmutableArray<MetadataReference> _references;
    private readonly CSharpCompilation _empty;
    // Context files recur between calls (the same project files for every sample): parse each text once.
    private readonly ConcurrentDictionary<string, SyntaxTree> _contextTrees = new(StringComparer.Ordinal);

    public CSharpScorer(IEnumerable<MetadataReference>? references = null)
    {
        _references = references?.ToImmutableArray() ?? ReferenceAssemblies.References;
        _empty = CSharpCompilation.Create("snippet", options: CompilationOptions, references: _references);
    }

    public string Language => "csharp";
    public string Name { get; } = $"Roslyn {typeof(CSharpSyntaxTree).Assembly.GetName().Version} (C#)";
    public bool ReportsUndefinedNames => true;

    public SnippetScore Score(string code) => ScoreSnippet(code);

    public IReadOnlyList<SyntaxIssue> ParseErrors(string code) => SyntaxErrors(code);

    public IReadOnlyList<CodeToken> Tokens(string code) => Lex(code);

    /// <summary>The tokens of C# text by Roslyn's lexer (comments and directives are trivia, so not among them).</summary>
    public static IReadOnlyList<CodeToken> Lex(string code) =>
        [.. SyntaxFactory.ParseTokens(code, options: ParseOptions).Where(token => !token.IsKind(SyntaxKind.EndOfFileToken)).Select(token =>
            new CodeToken(KindOf(token), token.SpanStart, token.Span.Length, token.Text))];

    /// <summary>Identifier tokens that are not contextual keywords (`var`, `async`, `nameof` are the language's words, not names).</summary>
    public IReadOnlyList<CodeToken> Identifiers(string code) =>
        [.. Tokens(code).Where(token => token.Kind == CodeTokenKind.Identifier)];

    private static CodeTokenKind KindOf(SyntaxToken token) => token.Kind() switch
    {
        SyntaxKind.IdentifierToken when SyntaxFacts.GetContextualKeywordKind(token.ValueText) == SyntaxKind.None || token.Text.StartsWith('@')
            => CodeTokenKind.Identifier,
        SyntaxKind.IdentifierToken => CodeTokenKind.Keyword,
        var kind when SyntaxFacts.IsKeywordKind(kind) => CodeTokenKind.Keyword,
        var kind when SyntaxFacts.IsPunctuation(kind) => CodeTokenKind.Punctuation,
        _ when token.Value is not null => CodeTokenKind.Literal,
        _ => CodeTokenKind.Other,
    };

    public SnippetScore ScoreSnippet(string code, IEnumerable<string>? contextSources = null) =>
        ScoreSnippet(code, contextSources, semantic: true, CancellationToken.None);

    /// <summary>Syntax only (no binding): for callers that need the parse result and nothing else.</summary>
    public static IReadOnlyList<SyntaxIssue> SyntaxErrors(string code) =>
        ScoringDiagnostics.SyntaxIssues(CSharpSyntaxTree.ParseText(code, ParseOptions));

    public SnippetScore ScoreSnippet(string code, IEnumerable<string>? contextSources, bool semantic, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions, path: "snippet.cs", cancellationToken: cancellationToken);
        var syntaxErrors = ScoringDiagnostics.SyntaxIssues(tree, cancellationToken);
        if (!semantic) return new SnippetScore(syntaxErrors, []);

        var context = (contextSources ?? []).Select(source =>
            _contextTrees.GetOrAdd(source, text => CSharpSyntaxTree.ParseText(text, ParseOptions, path: $"context{_contextTrees.Count}.cs")));
        var compilation = _empty.AddSyntaxTrees([tree, .. context]);
        var names = ScoringDiagnostics.NameIssues(
            compilation.GetSemanticModel(tree).GetDiagnostics(cancellationToken: cancellationToken), tree);
        return new SnippetScore(syntaxErrors, [.. names.Select(issue => issue.Name)]) { UndefinedIdentifierIssues = names };
    }

    /// <summary>Pays Roslyn's first-use costs (JIT, reference loading) once, up front.</summary>
    public void WarmUp() =>
        ScoreSnippet("using System; class WarmUp { void M() { var list = new System.Collections.Generic.List<int>(); Console.WriteLine(list.Count + missing); } }");
}
