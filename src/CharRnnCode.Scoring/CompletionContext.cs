// What CompletionScorer.Prepare computes once per request, so that scoring each candidate is cheap:
// the syntax around the caret (the document's tree, or the caret's method parsed alone when only its
// body changed), the semantic model at that moment (that body bound alone), the member around the caret
// (the region re-parsed per candidate), the names in scope at the caret and, after a `.`, the receiver's
// members. The document's whole tree and compilation are made only if a candidate needs them.
// Immutable once made: any number of candidates may be scored against it, from any thread.
using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring;

public sealed class CompletionContext
{
    internal CompletionContext(
        string documentPath, SourceText text, int position, SyntaxNode caretRoot, int rootOffset, bool methodParsedAlone, Func<(SyntaxTree Tree, CSharpCompilation Compilation)> document,
        object snapshot, SemanticModel semanticModel, TextSpan? region, int regionSyntaxErrors,
        FrozenSet<string> namesInScope, FrozenSet<string>? receiverMembers, string partialWord, bool afterDot)
    {
        DocumentPath = documentPath;
        Text = text;
        Position = position;
        CaretRoot = caretRoot;
        RootOffset = rootOffset;
        MethodParsedAlone = methodParsedAlone;
        _document = new Lazy<(SyntaxTree, CSharpCompilation)>(document);
        Snapshot = snapshot;
        SemanticModel = semanticModel;
        Region = region;
        RegionSyntaxErrors = regionSyntaxErrors;
        _documentSyntaxErrors = new Lazy<int>(() => ScoringDiagnostics.SyntaxErrorCount(Tree));
        NamesInScope = namesInScope;
        ReceiverMembers = receiverMembers;
        PartialWord = partialWord;
        AfterDot = afterDot;
    }

    public string DocumentPath { get; }
    public SourceText Text { get; }
    public int Position { get; }
    /// <summary>The root of the syntax that holds the caret: the document's, or the caret's method parsed alone.</summary>
    public SyntaxNode CaretRoot { get; }
    /// <summary>The document position of CaretRoot's position 0 (0 for the document's root).</summary>
    public int RootOffset { get; }
    /// <summary>The caret in CaretRoot's positions, which are the semantic model's too.</summary>
    public int PositionInRoot => Position - RootOffset;
    /// <summary>Whether the caret's method was parsed alone (every edit since the last full parse lies inside its body).</summary>
    public bool MethodParsedAlone { get; }
    /// <summary>The document's whole tree; where the method was parsed alone, re-parsed incrementally the first time it is asked for.</summary>
    public SyntaxTree Tree => _document.Value.Item1;
    internal CSharpCompilation Compilation => _document.Value.Item2;
    private readonly Lazy<(SyntaxTree, CSharpCompilation)> _document;
    /// <summary>What the context was made from (the compilation, or the model the body was bound against): equal snapshots, text and caret give an equal context.</summary>
    internal object Snapshot { get; }
    /// <summary>The document's model, for binding a candidate's receivers speculatively at the caret.</summary>
    internal SemanticModel SemanticModel { get; }
    /// <summary>Whether the caret's method body was bound alone, speculatively against the document's last full model,
    /// because every edit since that model lies inside the body (otherwise the whole document was bound).</summary>
    public bool BodyBoundAlone => SemanticModel.IsSpeculativeSemanticModel;

    /// <summary>The method, accessor or property around the caret, re-parsed alone per candidate;
    /// null where the caret is outside one (then the whole document is re-parsed incrementally).</summary>
    public TextSpan? Region { get; }
    public int RegionSyntaxErrors { get; }
    /// <summary>Counted the first time a candidate outside any region needs it: a walk of the whole tree.</summary>
    public int DocumentSyntaxErrors => _documentSyntaxErrors.Value;
    private readonly Lazy<int> _documentSyntaxErrors;

    /// <summary>Every name visible at the caret: locals, parameters, members, types, namespaces.</summary>
    public FrozenSet<string> NamesInScope { get; }

    /// <summary>After `receiver.`: the names `receiver` has (members, extension methods, nested types);
    /// null where there is no `.` before the caret or the receiver's type is unknown.</summary>
    public FrozenSet<string>? ReceiverMembers { get; }

    /// <summary>The identifier characters just before the caret, which a completion continues.</summary>
    public string PartialWord { get; }
    public bool AfterDot { get; }
}
