// Type-through: while the user types the next characters of the ghost text just shown, the answer comes
// from that request's ranked candidates, those that begin with what was typed, less what was typed. No
// model or Roslyn work is done, so the ghost text keeps up with typing at any speed. The shown answer is
// kept until the next request that is not typed through replaces it; it is usable only while the one
// change since it is an insertion at its caret (no line break) in the same document, with the same
// options and the same model. It does not rank or generate: CompletionPipeline does, and asks it first.
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Completion;

public sealed class TypeThrough
{
    private sealed record Shown(string Uri, SourceText Text, int Caret, CompletionOptions Settings, IReadOnlyList<RankedCandidate> Ranked);

    private Shown? _shown;

    /// <summary>The ranked candidates a request answered at <paramref name="caret"/> of <paramref name="text"/>.</summary>
    public void Remember(string uri, SourceText text, int caret, CompletionOptions settings, IReadOnlyList<RankedCandidate> ranked) =>
        Volatile.Write(ref _shown, ranked.Count == 0 ? null : new Shown(uri, text, caret, settings, ranked));

    /// <summary>Nothing shown can be typed through any more (the model changed, or a request could not be remembered).</summary>
    public void Forget() => Volatile.Write(ref _shown, null);

    /// <summary>The shown candidates that continue what was typed since, less the typed part, best first; null when the text
    /// changed otherwise, or when no candidate continues it (the caller then generates afresh).</summary>
    public IReadOnlyList<RankedCandidate>? Continue(string uri, SourceText text, int caret, CompletionOptions settings)
    {
        var shown = Volatile.Read(ref _shown);
        if (shown is null || shown.Uri != uri || shown.Settings != settings) return null;
        var typedLength = caret - shown.Caret;
        if (typedLength <= 0 || text.Length != shown.Text.Length + typedLength) return null;
        // Texts that descend from the shown one by edits report those edits; any other text reports one change of everything.
        var changes = text.GetChangeRanges(shown.Text);
        if (changes.Count != 1 || changes[0].Span != new TextSpan(shown.Caret, 0) || changes[0].NewLength != typedLength) return null;
        var typed = text.ToString(new TextSpan(shown.Caret, typedLength));
        if (typed.Contains('\n') || typed.Contains('\r')) return null;
        var left = shown.Ranked
            .Where(candidate => candidate.Text.Length > typed.Length && candidate.Text.StartsWith(typed, StringComparison.Ordinal))
            .Select(candidate => candidate with { Text = candidate.Text[typed.Length..] })
            .ToList();
        return left.Count == 0 ? null : left;
    }
}
