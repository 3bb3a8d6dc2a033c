// The recurrent state of each open document's prefix, cached so that a request costs a few model
// steps, not a pass over the file. For each document it keeps states at every Interval-th offset that
// has been encoded, plus the state at the last caret: typing one character then advances the cached
// caret state by one step, and an edit earlier in the file drops only the states after the edit and
// resumes from the nearest one before it. The encoded context is bounded by ContextWindow: with no
// saved state within that distance, encoding starts afresh at a line start about ContextWindow
// characters before the caret, so no request grows with the length of the file.
// It follows the documents through the store's events. Encoding may run on two threads at once (the
// request's model thread and the background encoder): a state is read or saved only if no edit since
// the caller's snapshot touched the text before it, so a slow encoder never stores a stale state.
using CharRnnCode.Completion.Documents;
using CharRnnCode.Inference;

namespace CharRnnCode.Completion.Modeling;

/// <summary>A prefix's state, and how many characters had to be read to get it (the rest came from the cache).</summary>
/// <param name="CacheWeight">the workspace cache's weight in the mixture after the prefix (the prior without Evidence)</param>
public readonly record struct EncodedPrefix(RecurrentState State, int CharactersEncoded, double CacheWeight = Cache.CacheMixture.PriorCacheWeight);

/// <summary>A saved state, with the mixture weight the text before it earned the workspace cache.</summary>
public readonly record struct PrefixState(RecurrentState State, double CacheWeight);

/// <summary>The workspace cache's probability of the document's character at a position, given only what precedes it and the
/// network's probability of it (onto which the cache backs off).</summary>
public delegate double CacheEvidence(string uri, string text, int position, double networkProbability, Vocabulary vocabulary);

public sealed record PrefixCacheStatistics(int Documents, int States, long Hits, long Misses, long CharactersEncoded, long CharactersEncodedAhead);

public sealed class PrefixStateCache
{
    public const int Interval = 64;
    public const int ContextWindow = 1024;
    /// <summary>
    /// Of a longer encoded span, only the last this many characters are weighed by Evidence. Fixed share forgets at
    /// CacheMixture.SwitchRate a character, so a character this far back keeps under 8 % of its say (0.99^256), and
    /// weighing it would cost a cache lookup per character for almost nothing.
    /// </summary>
    public const int EvidenceWindow = 256;
    public const int MaxStatesPerDocument = 256;
    /// <summary>Documents with saved states; the least recently used beyond this lose theirs.</summary>
    public const int MaxDocuments = 32;
    private const int EditHistory = 256;

    private sealed class DocumentStates(long openedRevision)
    {
        public readonly SortedList<int, PrefixState> Saved = new();
        public int Caret = -1;
        public readonly long OpenedRevision = openedRevision;
        /// <summary>Recent edits, oldest first: (revision after the edit, first changed offset).</summary>
        public readonly Queue<(long Revision, int Offset)> Edits = new();
        /// <summary>The newest revision among edits dropped from the history.</summary>
        public long ForgottenRevision;
        public long LastUsed;
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, DocumentStates> _documents = new(StringComparer.Ordinal);
    private long _hits, _misses, _charactersEncoded, _charactersEncodedAhead, _clock;

    /// <summary>
    /// With the workspace cache on: how the cache predicted each encoded character, so that every saved state
    /// carries the mixture weight the text before it earned (CacheMixture). Setting it clears the saved states.
    /// </summary>
    public CacheEvidence? Evidence
    {
        get => _evidence;
        set
        {
            lock (_gate)
            {
                if (ReferenceEquals(_evidence, value)) return;
                _evidence = value;
                _documents.Clear();
            }
        }
    }
    private volatile CacheEvidence? _evidence;

    /// <summary>Keeps the cache in step with the open documents.</summary>
    public void Follow(DocumentStore documents)
    {
        documents.Opened += document => Reset(document.Uri, document.Revision);
        documents.Changed += (document, firstChanged) => Invalidate(document.Uri, document.Revision, firstChanged);
        documents.Closed += Remove;
    }

    public PrefixCacheStatistics Statistics
    {
        get
        {
            lock (_gate)
                return new PrefixCacheStatistics(_documents.Count, _documents.Values.Sum(d => d.Saved.Count), _hits, _misses, _charactersEncoded, _charactersEncodedAhead);
        }
    }

    public void Clear()
    {
        lock (_gate) _documents.Clear();
    }

    private void Reset(string uri, long revision)
    {
        lock (_gate)
        {
            // The newest document is the most recently used: the limit evicts others, never the one just opened.
            _documents[uri] = new DocumentStates(revision) { LastUsed = ++_clock };
            EvictDocuments();
        }
    }

    private void Remove(string uri)
    {
        lock (_gate) _documents.Remove(uri);
    }

    /// <summary>An edit (now at <paramref name="revision"/>) changed characters from <paramref name="firstChangedOffset"/> on: drop the states past it.</summary>
    private void Invalidate(string uri, long revision, int firstChangedOffset)
    {
        lock (_gate)
        {
            if (!_documents.TryGetValue(uri, out var states)) return;
            var saved = states.Saved;
            // A state at offset s encodes text[0, s): it survives an edit that starts at or after s.
            while (saved.Count > 0 && saved.Keys[^1] > firstChangedOffset) saved.RemoveAt(saved.Count - 1);
            if (states.Caret > firstChangedOffset) states.Caret = -1;
            states.Edits.Enqueue((revision, firstChangedOffset));
            while (states.Edits.Count > EditHistory) states.ForgottenRevision = states.Edits.Dequeue().Revision;
        }
    }

    /// <summary>The state after reading <paramref name="document"/>'s text up to <paramref name="offset"/>, from the nearest saved state.</summary>
    /// <param name="ahead">true for the background encoder: counted apart, and the caret state is left alone</param>
    public EncodedPrefix StateAt(CharLanguageModel model, OpenDocument document, int offset, CancellationToken cancellationToken, bool ahead = false)
    {
        var text = document.Text ?? throw new ArgumentException("the document has no text", nameof(document));
        var evidence = _evidence;
        int start;
        RecurrentState state;
        double weight;
        lock (_gate)
        {
            var states = Touch(document);
            var limit = states is null ? -1 : SafeLimit(states, document.Revision);
            var index = states is null ? -1 : LastAtOrBefore(states.Saved, Math.Min(offset, limit));
            if (index >= 0 && offset - states!.Saved.Keys[index] <= ContextWindow)
            {
                start = states.Saved.Keys[index];
                (state, weight) = states.Saved.Values[index];
                if (!ahead) _hits++;
            }
            else
            {
                start = ContextStart(text, offset);
                state = model.InitialState();
                weight = Cache.CacheMixture.PriorCacheWeight;
                if (!ahead) _misses++;
            }
        }

        var buffer = new char[Interval];
        var networkLogProbabilities = new float[Interval];
        string? whole = null;
        var encoded = offset - start;
        while (start < offset)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = Math.Min(offset, (start / Interval + 1) * Interval);
            var chunk = buffer.AsSpan(0, next - start);
            text.CopyTo(start, buffer, 0, next - start);
            if (evidence is null) state = model.Advance(state, chunk);
            else
            {
                state = model.Advance(state, chunk, networkLogProbabilities);
                whole ??= text.ToString();
                for (var i = 0; i < chunk.Length; i++)
                    if (start + i < offset - EvidenceWindow) weight = Cache.CacheMixture.Forget(weight);
                    else if (!float.IsNaN(networkLogProbabilities[i]))
                    {
                        var network = Math.Exp(networkLogProbabilities[i]);
                        weight = Cache.CacheMixture.Update(weight, network, evidence(document.Uri, whole, start + i, network, model.Vocabulary));
                    }
            }
            lock (_gate)
            {
                if (ahead) _charactersEncodedAhead += next - start;
                else _charactersEncoded += next - start;
            }
            start = next;
            if (start % Interval == 0 && start < offset) Save(document, start, new PrefixState(state, weight), isCaret: false, evidence);
        }
        Save(document, offset, new PrefixState(state, weight), isCaret: !ahead, evidence);
        return new EncodedPrefix(state, Math.Max(0, encoded), weight);
    }

    /// <summary>
    /// The first multiple of Interval in [<paramref name="from"/>, <paramref name="to"/>] with no saved state
    /// that the background encoder could add, or -1 when there is none (or the snapshot is out of date).
    /// </summary>
    public int FirstMissing(OpenDocument document, int from, int to)
    {
        lock (_gate)
        {
            if (!_documents.TryGetValue(document.Uri, out var states)) return -1;
            if (SafeLimit(states, document.Revision) < to) return -1; // an edit came after this snapshot
            if (states.Saved.Count >= MaxStatesPerDocument) return -1;
            for (var offset = (from + Interval - 1) / Interval * Interval; offset <= to; offset += Interval)
                if (offset > 0 && !states.Saved.ContainsKey(offset)) return offset;
            return -1;
        }
    }

    /// <summary>The document's saved states, by offset (for tests and the status request).</summary>
    public IReadOnlyList<int> SavedOffsets(string uri)
    {
        lock (_gate) return _documents.TryGetValue(uri, out var states) ? states.Saved.Keys.ToList() : [];
    }

    private DocumentStates? Touch(OpenDocument document)
    {
        if (!_documents.TryGetValue(document.Uri, out var states))
        {
            // Opened before the cache followed the store (tests that drive the completion pipeline directly).
            _documents[document.Uri] = states = new DocumentStates(document.Revision) { LastUsed = ++_clock };
            EvictDocuments();
        }
        if (document.Revision < states.OpenedRevision) return null; // a snapshot from before a reopen
        states.LastUsed = ++_clock;
        return states;
    }

    private void EvictDocuments()
    {
        while (_documents.Count > MaxDocuments)
            _documents.Remove(_documents.MinBy(pair => pair.Value.LastUsed).Key);
    }

    /// <summary>
    /// The largest offset up to which the text of a snapshot at <paramref name="revision"/> equals the
    /// current text: the smallest offset any later edit touched. -1 when the edits are older than the history.
    /// </summary>
    private static int SafeLimit(DocumentStates states, long revision)
    {
        if (revision < states.OpenedRevision || revision < states.ForgottenRevision) return -1;
        var limit = int.MaxValue;
        foreach (var (editRevision, offset) in states.Edits)
            if (editRevision > revision) limit = Math.Min(limit, offset);
        return limit;
    }

    private void Save(OpenDocument document, int offset, PrefixState state, bool isCaret, CacheEvidence? evidence)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(evidence, _evidence)) return;                  // the cache was turned on or off meanwhile
            if (!_documents.TryGetValue(document.Uri, out var states)) return; // closed meanwhile
            if (offset > SafeLimit(states, document.Revision)) return;         // edited meanwhile
            var saved = states.Saved;
            if (isCaret)
            {
                // Only one off-grid state is worth keeping: the last caret's.
                if (states.Caret >= 0 && states.Caret != offset && states.Caret % Interval != 0) saved.Remove(states.Caret);
                states.Caret = offset;
            }
            saved[offset] = state;
            while (saved.Count > MaxStatesPerDocument)
            {
                // Evict the state farthest from where the user is working.
                var focus = states.Caret >= 0 ? states.Caret : offset;
                var first = saved.Keys[0];
                var last = saved.Keys[^1];
                saved.RemoveAt(Math.Abs(focus - first) >= Math.Abs(last - focus) ? 0 : saved.Count - 1);
            }
        }
    }

    private static int LastAtOrBefore(SortedList<int, PrefixState> saved, int offset)
    {
        int low = 0, high = saved.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            if (saved.Keys[middle] <= offset) { found = middle; low = middle + 1; }
            else high = middle - 1;
        }
        return found;
    }

    /// <summary>Where fresh encoding starts: the first line start at most ContextWindow characters back.</summary>
    private static int ContextStart(Microsoft.CodeAnalysis.Text.SourceText text, int offset)
    {
        var earliest = Math.Max(0, offset - ContextWindow);
        if (earliest == 0) return 0;
        var line = text.Lines.GetLineFromPosition(earliest);
        var nextLineStart = line.Start == earliest ? earliest : line.EndIncludingLineBreak;
        return nextLineStart <= offset ? nextLineStart : earliest;
    }
}
