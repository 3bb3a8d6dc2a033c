// The recurrent state of each open document's prefix, cached so that a request costs a few model
// steps, not a pass over the file. For each document it keeps states at every Interval-th offset that
// has been encoded, plus the state at the last caret: typing one character then advances the cached
// caret state by one step, and an edit earlier in the file drops only the states after the edit and
// resumes from the nearest one before it. The encoded context is bounded by ContextWindow: with no
// saved state within that distance, encoding starts afresh at a line start about ContextWindow
// characters before the caret, so no request grows with the length of the file. Not thread-safe for
// encoding (the model thread calls StateAt); Invalidate may come from any thread.
using CharRnnCode.Model;
using Microsoft.CodeAnalysis.Text;

namespace CharRnnCode.Server.Modeling;

public sealed record PrefixCacheStatistics(int Documents, int States, long Hits, long Misses, long CharactersEncoded);

public sealed class PrefixStateCache
{
    public const int Interval = 64;
    public const int ContextWindow = 1024;
    public const int MaxStatesPerDocument = 256;

    private sealed class DocumentStates
    {
        public readonly SortedList<int, RecurrentState> Saved = new();
        public int Caret = -1;
    }

    private readonly object _gate = new();
    private readonly Dictionary<string, DocumentStates> _documents = new(StringComparer.Ordinal);
    private long _hits, _misses, _charactersEncoded;

    public PrefixCacheStatistics Statistics
    {
        get
        {
            lock (_gate)
                return new PrefixCacheStatistics(_documents.Count, _documents.Values.Sum(d => d.Saved.Count), _hits, _misses, _charactersEncoded);
        }
    }

    /// <summary>An edit changed characters from <paramref name="firstChangedOffset"/> on: drop the states past it.</summary>
    public void Invalidate(string uri, int firstChangedOffset)
    {
        lock (_gate)
        {
            if (!_documents.TryGetValue(uri, out var states)) return;
            var saved = states.Saved;
            // A state at offset s encodes text[0, s): it survives an edit that starts at or after s.
            while (saved.Count > 0 && saved.Keys[^1] > firstChangedOffset) saved.RemoveAt(saved.Count - 1);
            if (states.Caret > firstChangedOffset) states.Caret = -1;
        }
    }

    public void Remove(string uri)
    {
        lock (_gate) _documents.Remove(uri);
    }

    public void Clear()
    {
        lock (_gate) _documents.Clear();
    }

    /// <summary>The state after reading <paramref name="text"/> up to <paramref name="offset"/>, from the nearest saved state.</summary>
    public RecurrentState StateAt(CharLanguageModel model, string uri, SourceText text, int offset, CancellationToken cancellationToken)
    {
        int start;
        RecurrentState state;
        lock (_gate)
        {
            if (!_documents.TryGetValue(uri, out var states)) _documents[uri] = states = new DocumentStates();
            var index = LastAtOrBefore(states.Saved, offset);
            if (index >= 0 && offset - states.Saved.Keys[index] <= ContextWindow)
            {
                start = states.Saved.Keys[index];
                state = states.Saved.Values[index];
                _hits++;
            }
            else
            {
                start = ContextStart(text, offset);
                state = model.InitialState();
                _misses++;
            }
        }

        var buffer = new char[Interval];
        while (start < offset)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = Math.Min(offset, (start / Interval + 1) * Interval);
            text.CopyTo(start, buffer, 0, next - start);
            state = model.Advance(state, buffer.AsSpan(0, next - start));
            lock (_gate) _charactersEncoded += next - start;
            start = next;
            if (start % Interval == 0 && start < offset) Save(uri, start, state, isCaret: false);
        }
        Save(uri, offset, state, isCaret: true);
        return state;
    }

    private void Save(string uri, int offset, RecurrentState state, bool isCaret)
    {
        lock (_gate)
        {
            if (!_documents.TryGetValue(uri, out var states)) return; // closed meanwhile
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
                var first = saved.Keys[0];
                var last = saved.Keys[^1];
                saved.RemoveAt(Math.Abs(offset - first) >= Math.Abs(last - offset) ? 0 : saved.Count - 1);
            }
        }
    }

    private static int LastAtOrBefore(SortedList<int, RecurrentState> saved, int offset)
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
    private static int ContextStart(SourceText text, int offset)
    {
        var earliest = Math.Max(0, offset - ContextWindow);
        if (earliest == 0) return 0;
        var line = text.Lines.GetLineFromPosition(earliest);
        var nextLineStart = line.Start == earliest ? earliest : line.EndIncludingLineBreak;
        return nextLineStart <= offset ? nextLineStart : earliest;
    }
}
