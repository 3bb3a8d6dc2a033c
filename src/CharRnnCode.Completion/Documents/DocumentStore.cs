// The open documents, as Roslyn SourceText (cheap incremental edits, line lookup in UTF-16 units,
// which is what LSP positions count). Edits arrive in order and are applied one after another.
// It knows no protocol: the caller finds each edit's span in the text as the edits before it left it
// (the language server from LSP positions, a benchmark from offsets).
// Bounded: documents above MaxDocumentChars are tracked without text (no completions for them),
// and at most MaxDocuments are open. It does not read files from disk: the client owns the text.
// Whatever keeps per-document state (the prefix-state cache, Roslyn) follows the documents through
// the Opened, Changed and Closed events rather than being called by the sync handlers.
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Completion.Documents;

/// <summary>An immutable snapshot of one open document; Text is null when it is too large to serve.</summary>
/// <param name="Revision">
/// The store's own counter, increasing with every open and change of any document: unlike the
/// client's Version it orders a snapshot against the edits that came after it.
/// </param>
public sealed record OpenDocument(string Uri, string LanguageId, int Version, SourceText? Text, long Revision = 0)
{
    public bool IsCSharp => LanguageId.Equals("csharp", StringComparison.OrdinalIgnoreCase) ||
                            Uri.EndsWith(".cs", StringComparison.OrdinalIgnoreCase);
}

/// <summary>One edit of a document: <paramref name="NewText"/> replaces the span <paramref name="Locate"/> finds in the text
/// as the edits before this one left it (it may return an end before the start: the end is then the start); a null
/// <paramref name="Locate"/> replaces the whole text.</summary>
public sealed record DocumentEdit(string NewText, Func<SourceText, (int Start, int End)>? Locate = null)
{
    /// <summary>The edit that replaces <paramref name="start"/>..<paramref name="end"/> (offsets in the text before it, clamped to it).</summary>
    public static DocumentEdit Replace(int start, int end, string newText) =>
        new(newText, text => (Math.Clamp(start, 0, text.Length), Math.Clamp(end, 0, text.Length)));
}

public sealed class DocumentStore
{
    public const int MaxDocumentChars = 8 << 20;
    public const int MaxDocuments = 2000;

    private readonly object _gate = new();
    private readonly Dictionary<string, OpenDocument> _documents = new(StringComparer.Ordinal);
    private long _revision;

    /// <summary>A document was opened (or reopened with new text).</summary>
    public event Action<OpenDocument>? Opened;
    /// <summary>A document changed; the offset is the first character (in the old text) any change touched.</summary>
    public event Action<OpenDocument, int>? Changed;
    /// <summary>A document was closed (its uri).</summary>
    public event Action<string>? Closed;

    public int Count { get { lock (_gate) return _documents.Count; } }

    public OpenDocument? Get(string uri)
    {
        lock (_gate) return _documents.GetValueOrDefault(uri);
    }

    public IReadOnlyList<OpenDocument> All()
    {
        lock (_gate) return _documents.Values.ToList();
    }

    /// <summary>Opens (or reopens) a document; false when the store is full.</summary>
    public bool Open(string uri, string? languageId, int version, string? text)
    {
        OpenDocument opened;
        lock (_gate)
        {
            if (!_documents.ContainsKey(uri) && _documents.Count >= MaxDocuments) return false;
            _documents[uri] = opened = new OpenDocument(uri, languageId ?? "", version, Bounded(text ?? ""), ++_revision);
        }
        Opened?.Invoke(opened);
        return true;
    }

    public bool Close(string uri)
    {
        bool removed;
        lock (_gate) removed = _documents.Remove(uri);
        if (removed) Closed?.Invoke(uri);
        return removed;
    }

    /// <summary>
    /// Applies the changes in order. Returns the new snapshot and the smallest offset (in the old text)
    /// that any change touched, or null when the document is unknown.
    /// </summary>
    public (OpenDocument Document, int FirstChangedOffset)? Change(string uri, int version, IReadOnlyList<DocumentEdit?> changes)
    {
        var result = ApplyChanges(uri, version, changes);
        if (result is var (document, firstChanged)) Changed?.Invoke(document, firstChanged);
        return result;
    }

    private (OpenDocument Document, int FirstChangedOffset)? ApplyChanges(string uri, int version, IReadOnlyList<DocumentEdit?> changes)
    {
        lock (_gate)
        {
            if (!_documents.TryGetValue(uri, out var document)) return null;
            var text = document.Text;
            var firstChanged = int.MaxValue;
            foreach (var change in changes)
            {
                if (change is null) continue;
                var newText = change.NewText ?? "";
                if (change.Locate is null)
                {
                    text = Bounded(newText);
                    firstChanged = 0;
                    continue;
                }
                if (text is null) continue; // a too-large document only comes back through a full replacement
                var (start, changeEnd) = change.Locate(text);
                var end = Math.Max(start, changeEnd);
                firstChanged = Math.Min(firstChanged, start);
                if (text.Length - (end - start) + newText.Length > MaxDocumentChars) { text = null; firstChanged = 0; continue; }
                text = text.WithChanges(new TextChange(TextSpan.FromBounds(start, end), newText));
            }
            var updated = document with { Version = version, Text = text, Revision = ++_revision };
            _documents[uri] = updated;
            return (updated, firstChanged == int.MaxValue ? (text?.Length ?? 0) : firstChanged);
        }
    }

    private static SourceText? Bounded(string text) => text.Length > MaxDocumentChars ? null : SourceText.From(text);
}
