// What CompletionScorer.Prepare computes once per request, so that scoring each candidate is cheap:
// the document's tree, compilation and semantic model at that moment (the caret's method body bound
// alone when only it changed), the member around the caret (the region re-parsed per candidate), the
// names in scope at the caret and, after a `.`, the receiver's members.
// Immutable once made: any number of candidates may be scored against it, from any thread.
using System.Collections.Frozen;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Scoring;

public sealed class CompletionContext
{
    internal CompletionContext(
        string documentPath, SourceText text, int position, SyntaxTree tree, CSharpCompilation compilation, SemanticModel semanticModel,
        TextSpan? region, int regionSyntaxErrors,
        FrozenSet<string> namesInScope, FrozenSet<string>? receiverMembers, string partialWord, bool afterDot)
    {
        DocumentPath = documentPath;
        Text = text;
        Position = position;
        Tree = tree;
        Compilation = compilation;
        SemanticModel = semanticModel;
        Region = region;
        RegionSyntaxErrors = regionSyntaxErrors;
        _documentSyntaxErrors = new Lazy<int>(() => ScoringDiagnostics.SyntaxErrorCount(tree));
        NamesInScope = namesInScope;
        ReceiverMembers = receiverMembers;
        PartialWord = partialWord;
        AfterDot = afterDot;
    }

    public string DocumentPath { get; }
    public SourceText Text { get; }
    public int Position { get; }
    public SyntaxTree Tree { get; }
    internal CSharpCompilation Compilation { get; }
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
