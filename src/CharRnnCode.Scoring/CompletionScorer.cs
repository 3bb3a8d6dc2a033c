// Scores completions inside an editor's documents, kept in a ScoringWorkspace (one compilation, a tree per document,
// incremental re-parsing). A request whose edits since the document's last full parse and binding all
// lie inside the caret's method body parses that method alone and binds its body alone, speculatively,
// so typing in a large file costs what the method does; the document's tree is brought up to date when a
// request's edits reach outside that body (or a candidate needs the whole tree). The context of the last
// request per document is kept and given again for the same text and caret. Prepare does the
// per-request work once (names in scope, receiver members, the region's syntax errors); Score is then
// syntax-first and cheap: re-parse the member around the caret with the candidate in it and look the
// candidate's identifiers up in the prepared name sets. ScoreExact binds the edited member for real, for
// callers with time to spare (evaluation, confirming a winner).
// It does not run analyzers or produce fixes, and keeps no history beyond the latest text and the last
// fully bound tree per document.
using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring;

public sealed class CompletionScorer
{
    private readonly ScoringWorkspace _workspace;

    public CompletionScorer(IEnumerable<MetadataReference>? references = null)
    {
        _workspace = new ScoringWorkspace(references);
    }

    public IReadOnlyCollection<string> DocumentPaths => _workspace.DocumentPaths;

    /// <summary>The compilation's metadata references (reference assemblies, and the workspace projects' packages once added).</summary>
    public IReadOnlyList<MetadataReference> References => _workspace.References;

    /// <summary>How many metadata references the compilation has (reference assemblies, or the workspace projects').</summary>
    public int ReferenceCount => _workspace.ReferenceCount;

    /// <summary>Adds or updates a document of the workspace (a context file, or the file being edited).</summary>
    public void SetDocument(string documentPath, string documentText) => _workspace.SetDocument(documentPath, documentText);

    /// <summary>Adds or updates many documents at once (a workspace being loaded): one new compilation, not one per file.</summary>
    public void SetDocuments(IEnumerable<(string Path, string Text)> documents) => _workspace.SetDocuments(documents);

    /// <summary>
    /// Adds references (e.g. the workspace projects' packages) whose file name the compilation does not have yet;
    /// the .NET reference assemblies it started with stay, so a project MSBuild could only partly resolve
    /// (an old framework's targeting pack missing) never leaves Roslyn knowing less than before.
    /// </summary>
    public int AddReferences(IEnumerable<MetadataReference> references) => _workspace.AddReferences(references);

    public bool RemoveDocument(string documentPath) => _workspace.RemoveDocument(documentPath);

    /// <summary>Pays the first binding's cost (about a second cold) before the first real request.</summary>
    public void WarmUp()
    {
        const string path = "<warm-up>.cs";
        const string text = "using System;\nusing System.Linq;\nclass WarmUp\n{\n    void M(string[] items)\n    {\n        var count = items.Count();\n        \n    }\n}\n";
        var position = text.IndexOf("        \n", StringComparison.Ordinal) + 8;
        var context = Prepare(path, text, position);
        Score(context, "Console.WriteLine(count + missing);");
        ScoreExact(context, "Console.WriteLine(count + missing);");
        RemoveDocument(path);
    }

    public CompletionContext Prepare(string documentPath, string documentText, int position) =>
        Prepare(documentPath, documentText, position, CancellationToken.None);

    public CompletionContext Prepare(string documentPath, string documentText, int position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentText);
        return Prepare(documentPath, SourceText.From(documentText), position, cancellationToken);
    }

    /// <summary>The context at <paramref name="position"/> of an editor's text; a text that descends by edits from the one given
    /// last time for this document is re-parsed in proportion to the edits.</summary>
    public CompletionContext Prepare(string documentPath, SourceText documentText, int position, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(documentPath);
        ArgumentNullException.ThrowIfNull(documentText);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, documentText.Length);

        var (methodBase, lastAlone) = _workspace.MethodBaseAndLast(documentPath, documentText, position);
        if (methodBase is not null && lastAlone is not null && lastAlone.Position == position
            && ReferenceEquals(lastAlone.Text, documentText) && ReferenceEquals(lastAlone.Snapshot, methodBase.Model))
            return lastAlone;
        if (methodBase is not null && PrepareMethodAlone(documentPath, documentText, position, methodBase, cancellationToken) is { } alone) return alone;

        var (tree, compilation, last) = _workspace.Update(documentPath, documentText);
        if (last is not null && last.Position == position && !last.MethodParsedAlone && ReferenceEquals(last.Snapshot, compilation))
            return last;
        var root = tree.GetRoot(cancellationToken);
        var regionNode = RegionAround(root, position);
        var model = _workspace.ModelAt(documentPath, tree, compilation, regionNode as BaseMethodDeclarationSyntax, position);
        return Finish(documentPath, tree.GetText(cancellationToken), position, root, rootOffset: 0, methodParsedAlone: false, () => (tree, compilation), compilation, model, cancellationToken);
    }

    /// <summary>The context with the caret's method parsed alone and its body bound speculatively against the base model; the
    /// document's tree is re-parsed only if a candidate needs it. Null where the method does not parse or bind alone.</summary>
    private CompletionContext? PrepareMethodAlone(string path, SourceText text, int position, ScoringWorkspace.MethodBase methodBase, CancellationToken cancellationToken)
    {
        if (MethodAlone.Parse(text, methodBase.NewSpan, methodBase.Method.Kind()) is not { } method) return null;
        if (!methodBase.Model.TryGetSpeculativeSemanticModelForMethodBody(methodBase.Method.Body!.SpanStart, method, out var model)) return null;
        (SyntaxTree, CSharpCompilation) Document()
        {
            var tree = methodBase.Tree.WithChangedText(methodBase.Tree.GetText().WithChanges(methodBase.Edits));
            return (tree, methodBase.Compilation.ReplaceSyntaxTree(methodBase.Tree, tree));
        }
        return Finish(path, text, position, method, rootOffset: methodBase.NewSpan.Start, methodParsedAlone: true, Document, methodBase.Model, model, cancellationToken);
    }

    /// <summary>What both ways of preparing share: the region, the names in scope, the receiver's members; the context is kept as the document's last.</summary>
    private CompletionContext Finish(string documentPath, SourceText text, int position, SyntaxNode root, int rootOffset, bool methodParsedAlone,
        Func<(SyntaxTree, CSharpCompilation)> document, object snapshot, SemanticModel model, CancellationToken cancellationToken)
    {
        // The root's positions (and the model's) are the document's less rootOffset.
        var inRoot = position - rootOffset;
        var region = RegionAround(root, inRoot)?.FullSpan is { } found ? new TextSpan(found.Start + rootOffset, found.Length) : (TextSpan?)null;
        var regionErrors = region is { } span ? ErrorCount(ParseRegion(text.ToString(span))) : 0;

        var wordStart = position;
        while (wordStart > 0 && IsIdentifierChar(text[wordStart - 1])) wordStart--;
        var partialWord = text.ToString(TextSpan.FromBounds(wordStart, position));
        var afterDot = wordStart > 0 && text[wordStart - 1] == '.';

        var namesInScope = model.LookupSymbols(inRoot).Select(symbol => symbol.Name)
            .Where(name => name.Length > 0).ToFrozenSet(StringComparer.Ordinal);
        cancellationToken.ThrowIfCancellationRequested();
        var receiverMembers = afterDot && wordStart - 1 >= rootOffset ? ReceiverMembers(root, model, wordStart - 1 - rootOffset, inRoot) : null;

        var context = new CompletionContext(documentPath, text, position, root, rootOffset, methodParsedAlone,
            document, snapshot, model, region, regionErrors, namesInScope, receiverMembers, partialWord, afterDot);
        _workspace.Remember(documentPath, context);
        return context;
    }

    /// <summary>Syntax-first, cheap: the errors the candidate adds to the member around the caret, and the
    /// identifiers it uses that are not visible there. For a few candidates within a few milliseconds.</summary>
    public CompletionScore Score(CompletionContext context, string completionText, int replaceLength = 0)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(completionText);
        var replaced = ReplacedSpan(context, replaceLength);
        int syntaxIntroduced;
        SyntaxNode editedRoot;
        int completionStart;      // where the completion starts in editedRoot's text
        if (context.Region is { } region && region.Contains(replaced) && replaced.End <= region.End)
        {
            var regionText = context.Text.ToString(TextSpan.FromBounds(region.Start, replaced.Start))
                + completionText + context.Text.ToString(TextSpan.FromBounds(replaced.End, region.End));
            editedRoot = ParseRegion(regionText);
            syntaxIntroduced = ErrorCount(editedRoot) - context.RegionSyntaxErrors;
            completionStart = replaced.Start - region.Start;
        }
        else
        {
            var edited = context.Tree.WithChangedText(context.Tree.GetText().WithChanges(new TextChange(replaced, completionText)));
            syntaxIntroduced = ScoringDiagnostics.SyntaxErrorCount(edited) - context.DocumentSyntaxErrors;
            editedRoot = edited.GetRoot();
            completionStart = replaced.Start;
        }
        // The names are judged where the completion's characters lie in the re-parsed text: the same parse full binding sees.
        var names = CompletionNames.Check(context, editedRoot, TextSpan.FromBounds(completionStart, completionStart + completionText.Length));
        return new CompletionScore(syntaxIntroduced, names.Undefined) { UnresolvedMembers = names.Unresolved };
    }

    /// <summary>Binds the document with the candidate in it (the member around the caret, or the whole
    /// document): the syntax errors it adds to the document, and the names it writes (the word it continues
    /// included) that Roslyn's own diagnostics say do not exist. Names elsewhere that stop binding because the
    /// candidate broke the code around them (a `}` that closes the method early) are syntax damage, counted as
    /// syntax errors, not as names. About ten milliseconds per candidate for a typical method.</summary>
    public CompletionScore ScoreExact(CompletionContext context, string completionText, int replaceLength = 0,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(completionText);
        var replaced = ReplacedSpan(context, replaceLength);
        var edited = context.Tree.WithChangedText(context.Tree.GetText().WithChanges(new TextChange(replaced, completionText)));
        var syntaxIntroduced = ScoringDiagnostics.SyntaxErrorCount(edited) - context.DocumentSyntaxErrors;

        var compilation = context.Compilation.ReplaceSyntaxTree(context.Tree, edited);
        TextSpan? span = context.Region is { } region
            ? TextSpan.FromBounds(region.Start, Math.Max(region.Start, region.End + completionText.Length - replaced.Length))
            : null;
        var written = TextSpan.FromBounds(replaced.Start - context.PartialWord.Length, replaced.Start + completionText.Length);
        var names = ScoringDiagnostics.NameIssues(compilation.GetSemanticModel(edited).GetDiagnostics(span, cancellationToken), edited)
            .Where(issue => written.Contains(issue.Position))
            .Select(issue => issue.Name).Distinct(StringComparer.Ordinal).ToList();
        return new CompletionScore(syntaxIntroduced, names);
    }

    private static TextSpan ReplacedSpan(CompletionContext context, int replaceLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(replaceLength);
        var end = Math.Min(context.Text.Length, context.Position + replaceLength);
        return TextSpan.FromBounds(context.Position, end);
    }

    /// <summary>The innermost method-like member around the caret: re-parsing it alone is what makes Score cheap.</summary>
    private static MemberDeclarationSyntax? RegionAround(SyntaxNode root, int position)
    {
        var token = root.FindToken(Math.Max(0, Math.Min(position, root.FullSpan.End - 1)));
        return token.Parent?.AncestorsAndSelf().OfType<MemberDeclarationSyntax>()
            .FirstOrDefault(member => member is BaseMethodDeclarationSyntax or BasePropertyDeclarationSyntax
                && member.FullSpan.Start <= position && position <= member.FullSpan.End);
    }

    /// <summary>The member around the caret parsed alone; as a compilation unit where it no longer reads as one member, or
    /// where its end is trivia a member cannot hold (an unterminated `/*` or `#if` leaves text after the member's node).</summary>
    private static SyntaxNode ParseRegion(string memberText) =>
        SyntaxFactory.ParseMemberDeclaration(memberText, 0, CSharpScorer.ParseOptions, consumeFullText: true) is { } member && member.FullSpan.Length == memberText.Length
            ? member
            : SyntaxFactory.ParseCompilationUnit(memberText, 0, CSharpScorer.ParseOptions);

    private static int ErrorCount(SyntaxNode node) => node.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The names after `receiver.` where the receiver is in the document: null where it cannot be bound.</summary>
    private static FrozenSet<string>? ReceiverMembers(SyntaxNode root, SemanticModel model, int dotPosition, int position)
    {
        var dot = root.FindToken(dotPosition);
        if (!dot.IsKind(SyntaxKind.DotToken)) return null;
        ExpressionSyntax? receiver = dot.Parent switch
        {
            MemberAccessExpressionSyntax access => access.Expression,
            QualifiedNameSyntax qualified => qualified.Left,
            _ => null,
        };
        if (receiver is null) return null;
        var symbolInfo = model.GetSymbolInfo(receiver);
        var symbol = symbolInfo.Symbol ?? (symbolInfo.CandidateSymbols.Length == 1 ? symbolInfo.CandidateSymbols[0] : null);
        return MemberNames(model, position, symbol, symbol is INamespaceOrTypeSymbol ? null : model.GetTypeInfo(receiver).Type);
    }

    /// <summary>The names a receiver has: a namespace's members; a type's members and nested types; an expression's
    /// members by its type, with the extension methods in scope at <paramref name="position"/>. Null where neither
    /// the symbol nor the type is known (or the type is dynamic, where any name binds, or void, where no name is the problem).</summary>
    internal static FrozenSet<string>? MemberNames(SemanticModel model, int position, ISymbol? symbol, ITypeSymbol? expressionType)
    {
        IEnumerable<ISymbol>? members = symbol switch
        {
            INamespaceSymbol ns => ns.GetMembers(),
            ITypeSymbol { TypeKind: not TypeKind.Error } type => model.LookupSymbols(position, type).Concat(type.GetTypeMembers()),
            _ => expressionType is { TypeKind: not (TypeKind.Error or TypeKind.Dynamic), SpecialType: not SpecialType.System_Void } type
                ? model.LookupSymbols(position, type, includeReducedExtensionMethods: true) : null,
        };
        return members?.Select(member => member.Name).Where(name => name.Length > 0).ToFrozenSet(StringComparer.Ordinal);
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c == '_';
}
