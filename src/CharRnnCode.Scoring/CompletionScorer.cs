// Scores completions inside an editor's documents. One compilation per workspace stays alive; a changed
// document replaces only its own tree, re-parsed incrementally from the previous text: an editor's text that
// descends by edits from the one given last time costs in proportion to the edits, any other text one
// scan for the changed span. A request whose edits since the document's last full parse and binding all
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
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring;

public sealed class CompletionScorer
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SyntaxTree> _trees = new(StringComparer.Ordinal);
    // The text each document was last given as (its tree's text may be an equal copy): an editor's next text
    // descends from it by edits, which say where the tree must change.
    private readonly Dictionary<string, SourceText> _givenTexts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, CompletionContext> _lastContexts = new(StringComparer.Ordinal);
    // The last full semantic model of each document and the tree it binds: a request whose edits since then all lie
    // inside one method body binds that body speculatively against it, in proportion to the method, instead of a new
    // compilation of the whole document. Any change elsewhere in the workspace drops them.
    private readonly Dictionary<string, (SyntaxTree Tree, SemanticModel Model)> _bindingBases = new(StringComparer.Ordinal);
    private CSharpCompilation _compilation;

    public CompletionScorer(IEnumerable<MetadataReference>? references = null)
    {
        _compilation = CSharpCompilation.Create("workspace", options: CSharpScorer.CompilationOptions,
            references: references?.ToImmutableArray() ?? ReferenceAssemblies.References);
    }

    public IReadOnlyCollection<string> DocumentPaths { get { lock (_gate) return [.. _trees.Keys]; } }

    /// <summary>The compilation's metadata references (reference assemblies, and the workspace projects' packages once added).</summary>
    public IReadOnlyList<MetadataReference> References { get { lock (_gate) return [.. _compilation.References]; } }

    /// <summary>How many metadata references the compilation has (reference assemblies, or the workspace projects').</summary>
    public int ReferenceCount { get { lock (_gate) return _compilation.References.Count(); } }

    /// <summary>Adds or updates a document of the workspace (a context file, or the file being edited).</summary>
    public void SetDocument(string documentPath, string documentText)
    {
        ArgumentNullException.ThrowIfNull(documentPath);
        ArgumentNullException.ThrowIfNull(documentText);
        lock (_gate) UpdateTree(documentPath, SourceText.From(documentText));
    }

    /// <summary>Adds or updates many documents at once (a workspace being loaded): one new compilation, not one per file.</summary>
    public void SetDocuments(IEnumerable<(string Path, string Text)> documents)
    {
        lock (_gate)
        {
            var added = new List<SyntaxTree>();
            foreach (var (path, text) in documents)
            {
                if (_trees.ContainsKey(path)) { UpdateTree(path, SourceText.From(text)); continue; }
                var tree = CSharpSyntaxTree.ParseText(SourceText.From(text), CSharpScorer.ParseOptions, path);
                _trees[path] = tree;
                added.Add(tree);
            }
            _compilation = _compilation.AddSyntaxTrees(added);
            _bindingBases.Clear();
        }
    }

    /// <summary>
    /// Adds references (e.g. the workspace projects' packages) whose file name the compilation does not have yet;
    /// the .NET reference assemblies it started with stay, so a project MSBuild could only partly resolve
    /// (an old framework's targeting pack missing) never leaves Roslyn knowing less than before.
    /// </summary>
    public int AddReferences(IEnumerable<MetadataReference> references)
    {
        lock (_gate)
        {
            var present = _compilation.References.OfType<PortableExecutableReference>()
                .Select(r => Path.GetFileName(r.FilePath ?? "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var added = references.OfType<PortableExecutableReference>()
                .Where(r => r.FilePath is { } path && present.Add(Path.GetFileName(path))).ToList();
            _compilation = _compilation.AddReferences(added);
            if (added.Count > 0) _bindingBases.Clear();
            return added.Count;
        }
    }

    public bool RemoveDocument(string documentPath)
    {
        lock (_gate)
        {
            _givenTexts.Remove(documentPath);
            _lastContexts.Remove(documentPath);
            if (!_trees.Remove(documentPath, out var tree)) return false;
            _compilation = _compilation.RemoveSyntaxTrees(tree);
            _bindingBases.Clear();
            return true;
        }
    }

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

        MethodBase? methodBase;
        lock (_gate)
        {
            methodBase = MethodBaseFor(documentPath, documentText, position);
            if (methodBase is not null && _lastContexts.TryGetValue(documentPath, out var last) && last.Position == position
                && ReferenceEquals(last.Text, documentText) && ReferenceEquals(last.Snapshot, methodBase.Model))
                return last;
        }
        if (methodBase is not null && PrepareMethodAlone(documentPath, documentText, position, methodBase, cancellationToken) is { } alone) return alone;

        SyntaxTree tree;
        CSharpCompilation compilation;
        lock (_gate)
        {
            tree = UpdateTree(documentPath, documentText);
            compilation = _compilation;
            if (_lastContexts.TryGetValue(documentPath, out var last) && last.Position == position && !last.MethodParsedAlone && ReferenceEquals(last.Snapshot, compilation))
                return last;
        }
        var root = tree.GetRoot(cancellationToken);
        var regionNode = RegionAround(root, position);
        var model = ModelAt(documentPath, tree, compilation, regionNode as BaseMethodDeclarationSyntax, position);
        return Finish(documentPath, tree.GetText(cancellationToken), position, root, rootOffset: 0, methodParsedAlone: false, () => (tree, compilation), compilation, model, cancellationToken);
    }

    /// <summary>The document's last full parse and binding, and the edits since, when they all lie inside one method body around the caret.</summary>
    private sealed record MethodBase(SyntaxTree Tree, CSharpCompilation Compilation, SemanticModel Model, BaseMethodDeclarationSyntax Method,
        IReadOnlyList<TextChange> Edits, TextSpan NewSpan);

    /// <summary>Under the lock: the method base for a request at <paramref name="position"/> of <paramref name="text"/>, or null
    /// where the document has no full binding yet, the text is the one given last, or an edit since lies outside the caret's method body.</summary>
    private MethodBase? MethodBaseFor(string path, SourceText text, int position)
    {
        if (!_givenTexts.TryGetValue(path, out var given) || ReferenceEquals(given, text)) return null;
        if (!_trees.TryGetValue(path, out var tree) || !_bindingBases.TryGetValue(path, out var binding) || binding.Tree != tree) return null;
        if (EditsSince(given, text) is not { } edits) return null;
        if (MethodHoldingEdits(tree.GetRoot(), [.. edits.Select(edit => edit.Span)]) is not { Body: { } body } method || method.ContainsDirectives) return null;
        var growth = edits.Sum(edit => edit.NewText!.Length - edit.Span.Length);
        if (position <= body.OpenBraceToken.SpanStart || position > body.CloseBraceToken.SpanStart + growth) return null;
        return new MethodBase(tree, _compilation, binding.Model, method, edits, TextSpan.FromBounds(method.FullSpan.Start, method.FullSpan.End + growth));
    }

    /// <summary>The context with the caret's method parsed alone and its body bound speculatively against the base model; the
    /// document's tree is re-parsed only if a candidate needs it. Null where the method does not parse or bind alone.</summary>
    private CompletionContext? PrepareMethodAlone(string path, SourceText text, int position, MethodBase methodBase, CancellationToken cancellationToken)
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
        lock (_gate) _lastContexts[documentPath] = context;
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

    private SyntaxTree UpdateTree(string path, SourceText text)
    {
        var given = _givenTexts.GetValueOrDefault(path);
        _givenTexts[path] = text;
        if (_trees.TryGetValue(path, out var old))
        {
            var oldText = old.GetText();
            if (ReferenceEquals(oldText, text) || ReferenceEquals(given, text)) return old;
            var edited = EditsSince(given, text) is { } edits ? oldText.WithChanges(edits) : Difference(oldText, text) is { } change ? oldText.WithChanges(change) : null;
            if (edited is null) return old;
            var updated = old.WithChangedText(edited);
            _compilation = _compilation.ReplaceSyntaxTree(old, updated);
            _trees[path] = updated;
            DropOtherBindingBases(path);
            return updated;
        }
        var tree = CSharpSyntaxTree.ParseText(text, CSharpScorer.ParseOptions, path);
        _compilation = _compilation.AddSyntaxTrees(tree);
        _trees[path] = tree;
        DropOtherBindingBases(path);
        return tree;
    }

    /// <summary>Another document changed: the other documents' base models no longer see the workspace as it is.</summary>
    private void DropOtherBindingBases(string path)
    {
        foreach (var other in _bindingBases.Keys.Where(key => key != path).ToList()) _bindingBases.Remove(other);
    }

    /// <summary>The model that binds <paramref name="position"/>: the body of <paramref name="method"/> (the member around it), bound speculatively against
    /// the document's last full model, when every edit since that model lies inside that body; otherwise a full model of
    /// <paramref name="compilation"/>, which becomes the document's new base.</summary>
    private SemanticModel ModelAt(string documentPath, SyntaxTree tree, CSharpCompilation compilation, BaseMethodDeclarationSyntax? method, int position)
    {
        (SyntaxTree Tree, SemanticModel Model) bindingBase;
        lock (_gate) _bindingBases.TryGetValue(documentPath, out bindingBase);
        if (bindingBase.Tree == tree) return bindingBase.Model;
        if (bindingBase.Tree is { } baseTree && SpeculativeBodyModel(bindingBase.Model, baseTree, tree, method, position) is { } speculative)
            return speculative;
        var model = compilation.GetSemanticModel(tree);
        lock (_gate)
        {
            if (_trees.GetValueOrDefault(documentPath) == tree) _bindingBases[documentPath] = (tree, model);
        }
        return model;
    }

    /// <summary>The body of <paramref name="method"/> (the member of <paramref name="tree"/> around <paramref name="position"/>), bound as a replacement of the same
    /// method's body in <paramref name="baseTree"/>; null unless every edit between the two texts lies inside that body's braces
    /// (then everything the rest of the workspace declares is as the base model saw it).</summary>
    private static SemanticModel? SpeculativeBodyModel(SemanticModel baseModel, SyntaxTree baseTree, SyntaxTree tree, BaseMethodDeclarationSyntax? method, int position)
    {
        if (method?.Body is not { } body || position <= body.OpenBraceToken.SpanStart || position > body.CloseBraceToken.SpanStart) return null;
        var edits = tree.GetText().GetChangeRanges(baseTree.GetText());
        if (MethodHoldingEdits(baseTree.GetRoot(), [.. edits.Select(edit => edit.Span)]) is not { Body: { } baseBody } baseMethod
            || baseMethod.SpanStart != method.SpanStart) return null;
        return baseModel.TryGetSpeculativeSemanticModelForMethodBody(baseBody.SpanStart, method, out var speculative) ? speculative : null;
    }

    /// <summary>The method of <paramref name="root"/> whose body, between its braces, holds every one of <paramref name="edited"/>
    /// (spans of root's text); null where there is no edit, no such method, or its `}` is missing. Both ways of binding a body
    /// alone start from it.</summary>
    private static BaseMethodDeclarationSyntax? MethodHoldingEdits(SyntaxNode root, IReadOnlyList<TextSpan> edited)
    {
        if (edited.Count == 0) return null;
        var method = root.FindToken(edited[0].Start).Parent?.AncestorsAndSelf().OfType<BaseMethodDeclarationSyntax>().FirstOrDefault();
        if (method?.Body is not { } body || body.CloseBraceToken.IsMissing) return null;
        var inside = TextSpan.FromBounds(body.OpenBraceToken.Span.End, body.CloseBraceToken.SpanStart);
        return edited.All(span => span.Start >= inside.Start && span.End <= inside.End) ? method : null;
    }

    /// <summary>The edits from <paramref name="given"/> to <paramref name="text"/> as changes of the old text, when <paramref name="text"/>
    /// descends from it by edits (an editor's next version); null when they are unrelated texts.</summary>
    private static List<TextChange>? EditsSince(SourceText? given, SourceText text)
    {
        if (given is null) return null;
        var ranges = text.GetChangeRanges(given);
        // Unrelated texts report one change of everything; a real edit of everything is then re-scanned, which is as cheap.
        if (ranges.Count == 1 && ranges[0].Span == new TextSpan(0, given.Length) && ranges[0].NewLength == text.Length) return null;
        var changes = new List<TextChange>(ranges.Count);
        var shift = 0;
        foreach (var range in ranges)
        {
            changes.Add(new TextChange(range.Span, text.ToString(new TextSpan(range.Span.Start + shift, range.NewLength))));
            shift += range.NewLength - range.Span.Length;
        }
        return changes;
    }

    /// <summary>The one change from <paramref name="old"/> to <paramref name="text"/> (common prefix and suffix
    /// kept), so that the parser re-uses everything outside it; null when the texts are equal. Compared a block at
    /// a time, as copies: a text made of many edits is slow to index one character at a time.</summary>
    private static TextChange? Difference(SourceText old, SourceText text)
    {
        const int block = 4096;
        var limit = Math.Min(old.Length, text.Length);
        var a = new char[block];
        var b = new char[block];
        var prefix = 0;
        while (prefix < limit)
        {
            var count = Math.Min(block, limit - prefix);
            old.CopyTo(prefix, a, 0, count);
            text.CopyTo(prefix, b, 0, count);
            var same = a.AsSpan(0, count).CommonPrefixLength(b.AsSpan(0, count));
            prefix += same;
            if (same < count) break;
        }
        if (prefix == old.Length && prefix == text.Length) return null;
        var suffix = 0;
        while (suffix < limit - prefix)
        {
            var count = Math.Min(block, limit - prefix - suffix);
            old.CopyTo(old.Length - suffix - count, a, 0, count);
            text.CopyTo(text.Length - suffix - count, b, 0, count);
            var same = 0;
            while (same < count && a[count - 1 - same] == b[count - 1 - same]) same++;
            suffix += same;
            if (same < count) break;
        }
        return new TextChange(TextSpan.FromBounds(prefix, old.Length - suffix), text.ToString(TextSpan.FromBounds(prefix, text.Length - suffix)));
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
