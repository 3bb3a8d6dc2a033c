// One request as the completion pipeline takes it, and what it gives back, in offsets of the document's
// text: no protocol positions (the language server translates LSP to these and back). It does not
// complete anything: CompletionPipeline does.
namespace CharRnnCode.Completion;

/// <summary>The item the editor's completion widget has selected: it replaces the text from <paramref name="Start"/>
/// to the caret with <paramref name="Text"/>, and the completion continues as if that were already typed.</summary>
public sealed record SelectedCompletion(int Start, string Text);

/// <summary>A completion at <paramref name="Caret"/> (an offset in <paramref name="Document"/>'s text).</summary>
/// <param name="Automatic">the editor asked as the user typed (one item; the editor rules may decline); false: the user invoked it</param>
/// <param name="Selected">the completion widget's selected item, if any</param>
public sealed record CompletionRequest(Documents.OpenDocument Document, int Caret, bool Automatic, SelectedCompletion? Selected = null);

/// <summary>One item: <paramref name="Text"/> replaces the document's text from <paramref name="ReplaceStart"/> to
/// <paramref name="ReplaceEnd"/> (offsets in the request's text; the span holds the selected item's prefix and the
/// closers the item retypes).</summary>
public sealed record CompletionItem(string Text, int ReplaceStart, int ReplaceEnd)
{
    /// <summary>How sure the model is of the best candidate's first token (ShownText), 0 to 1.</summary>
    public double Confidence { get; init; }
}

/// <summary>The items, best first, and the trace of how they were made.</summary>
public sealed record CompletionResult(IReadOnlyList<CompletionItem> Items, CompletionTrace Trace);
