// The workspace a CompletionScorer scores in: one compilation of every document, each document's tree, the text it
// was last given as, its last full binding (the base a method body is bound against speculatively) and the context of
// its last request. A changed document replaces only its own tree, re-parsed incrementally from the previous text: an
// editor's text that descends by edits from the one given last time costs in proportion to the edits, any other text
// one scan for the changed span (the text diff). Every member takes the workspace's lock for what it reads or writes.
// It does not score: regions, names in scope and candidates are CompletionScorer's.
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring;

internal sealed class ScoringWorkspace
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

    public ScoringWorkspace(IEnumerable<MetadataReference>? references)
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

    /// <summary>Under one lock: the method base for a request at <paramref name="position"/> (see <see cref="MethodBaseFor"/>)
    /// and the document's last context.</summary>
    public (MethodBase? Base, CompletionContext? Last) MethodBaseAndLast(string path, SourceText text, int position)
    {
        lock (_gate)
            return (MethodBaseFor(path, text, position), _lastContexts.GetValueOrDefault(path));
    }

    /// <summary>Under one lock: the document's tree brought up to <paramref name="text"/>, the compilation that holds it,
    /// and the document's last context.</summary>
    public (SyntaxTree Tree, CSharpCompilation Compilation, CompletionContext? Last) Update(string path, SourceText text)
    {
        lock (_gate)
        {
            var tree = UpdateTree(path, text);
            return (tree, _compilation, _lastContexts.GetValueOrDefault(path));
        }
    }

    /// <summary>Keeps <paramref name="context"/> as the document's last.</summary>
    public void Remember(string path, CompletionContext context)
    {
        lock (_gate) _lastContexts[path] = context;
    }

    /// <summary>The document's last full parse and binding, and the edits since, when they all lie inside one method body around the caret.</summary>
    public sealed record MethodBase(SyntaxTree Tree, CSharpCompilation Compilation, SemanticModel Model, BaseMethodDeclarationSyntax Method,
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
    public SemanticModel ModelAt(string documentPath, SyntaxTree tree, CSharpCompilation compilation, BaseMethodDeclarationSyntax? method, int position)
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
}
