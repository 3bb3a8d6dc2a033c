// The workspace cache model: a character n-gram (interpolated, modified Kneser-Ney discounts) over the texts it is given (workspace files, open documents),
// updated file by file, and a nested prediction: the current document's own text over the open documents over
// the workspace. Every text is a segment appended to one byte arena (a character above U+00FE is stored as 255,
// "another character"). A position whose KeyOrder characters before it are some 4-gram is chained to the previous position after the same 4-gram
// (as an LZ77 matcher chains its hash heads), so the occurrences of a longer context are found by walking the
// chain newest first and checking how far back each one matches, up to MaxOrder. Removing a segment marks it, and
// its chain entries become tombstones that every walk skips; Compacted()
// copies out the live segments when the tombstones outweigh them. The current document is never indexed here:
// its layer is read from the text the caller passes (only the part before the caret it is told to use), so the
// prediction never waits for an update, and the line being written can never come from a stale copy.
// Memory: 9 bytes per character (the arena and two chains), plus the chain heads.
// It is not thread-safe (WorkspaceCache locks around it) and knows nothing of the model or of files on disk.
namespace CharRnnCode.Completion.Cache;

/// <summary>The text a prediction reads as the current document's layer: <c>Text[..Before]</c>, and <c>Text[After..]</c> when After is set.</summary>
public readonly record struct DocumentView(string Text, int Before, int After = int.MaxValue);

public sealed class CharacterCache
{
    /// <summary>The longest context a prediction looks at (longer ones made the predictions worse: too sure of one match).</summary>
    public const int MaxOrder = 12;
    /// <summary>Contexts this long chain their occurrences; the cache says nothing after a shorter one (the model it backs off onto does).</summary>
    public const int KeyOrder = 4;
    /// <summary>Contexts this long have a chain of their own (hashed), so a long context's occurrences are found among its own, not among every occurrence of its last KeyOrder characters.</summary>
    public const int LongKeyOrder = 8;
    private const int LongHeadBits = 20;
    /// <summary>Occurrences of a context a prediction reads per layer, newest (or nearest the caret) first.</summary>
    public const int MaxOccurrences = 256;
    /// <summary>Chain entries a walk may pass (removed ones included) before it gives up.</summary>
    private const int MaxSteps = 4 * MaxOccurrences;
    /// <summary>Symbols: a character's code when below 255; 255 for every other character.</summary>
    public const int Symbols = 256;
    private const byte OtherSymbol = 255;
    private const int Layers = 3;
    /// <summary>
    /// Interpolated absolute discounting with modified Kneser-Ney's three discounts (what a count of one, two, three or
    /// more gives up to the lower orders): the values NGramModel estimates from counts of counts at order 16 on this
    /// project's own C# sources. Fixed, not estimated per workspace: the chains hold no counts of counts.
    /// </summary>
    private const double DiscountOne = 0.82, DiscountTwo = 1.25, DiscountThreeOrMore = 1.53;
    private static double DiscountOf(int count) => count == 1 ? DiscountOne : count == 2 ? DiscountTwo : DiscountThreeOrMore;

    private sealed class Segment(string key, bool isOpen, int start, int length)
    {
        public string Key { get; } = key;
        public bool IsOpen { get; } = isOpen;
        public int Start { get; } = start;
        public int Length { get; } = length;
        public bool Alive { get; set; } = true;
        /// <summary>
        /// An open document's way out of each chain: for a key (long chains: a bucket), the entry its chain reaches
        /// first before this segment, or -1. A request in this document skips its own copy (the request's text is read
        /// instead), and newest first that copy stands at the front of every chain: without these, a walk would pass
        /// all of the document's occurrences, a large document's filling its step budget before the workspace's.
        /// </summary>
        public Dictionary<uint, int>? Exits { get; } = isOpen ? [] : null;
        public Dictionary<int, int>? LongExits { get; } = isOpen ? [] : null;
    }

    private byte[] _arena = new byte[1 << 16];
    private int[] _previous = new int[1 << 16];   // the previous position whose KeyOrder characters before it are the same, or -1
    private int[] _previousLong = new int[1 << 16]; // the previous position whose LongKeyOrder characters before it hash the same, or -1
    private int _used;
    private readonly Dictionary<uint, int> _heads = [];
    private readonly int[] _longHeads = NewLongHeads();
    private readonly List<Segment> _segments = [];             // by Start
    private readonly Dictionary<string, Segment> _byKey = new(StringComparer.Ordinal);
    private long _liveCharacters, _deadCharacters;

    // Scratch of one prediction: counts per layer and order, reset through the lists of symbols touched.
    private readonly int[][] _scanCounts = Enumerable.Range(0, Layers * (MaxOrder + 1)).Select(_ => new int[Symbols]).ToArray();
    private readonly List<byte>[] _scanTouched = Enumerable.Range(0, Layers * (MaxOrder + 1)).Select(_ => new List<byte>()).ToArray();
    private readonly byte[] _context = new byte[MaxOrder];
    private readonly double[] _scaled = new double[Symbols];

    /// <summary>Characters in live segments.</summary>
    public long Characters => _liveCharacters;
    /// <summary>Characters of removed segments still in the arena.</summary>
    public long RemovedCharacters => _deadCharacters;
    public int SegmentCount => _byKey.Count;
    /// <summary>Bytes held by the arena, the chain and the counts (an estimate for the status request).</summary>
    public long ApproximateBytes => _arena.Length + 4L * _previous.Length + 4L * _previousLong.Length + 4L * _longHeads.Length + 24L * _heads.Count
        + 24L * _byKey.Values.Sum(segment => (segment.Exits?.Count ?? 0) + (segment.LongExits?.Count ?? 0));

    public bool Contains(string key) => _byKey.ContainsKey(key);

    public static byte SymbolOf(char character) => character < OtherSymbol ? (byte)character : OtherSymbol;

    /// <summary>Adds <paramref name="text"/> as the segment <paramref name="key"/>, replacing the one of that key.</summary>
    /// <param name="isOpen">an open document (the middle layer) rather than a workspace file on disk</param>
    public void Set(string key, string text, bool isOpen)
    {
        Remove(key);
        var start = _used;
        Reserve(_used + text.Length);
        for (var i = 0; i < text.Length; i++) _arena[start + i] = SymbolOf(text[i]);
        _used += text.Length;
        var segment = new Segment(key, isOpen, start, text.Length);
        _segments.Add(segment);
        _byKey[key] = segment;
        _liveCharacters += text.Length;
        for (var p = start; p < start + text.Length; p++)
        {
            _previousLong[p] = -1;
            if (p - start < KeyOrder) { _previous[p] = -1; continue; }
            var key4 = Key(p);
            _previous[p] = _heads.TryGetValue(key4, out var head) ? head : -1;
            _heads[key4] = p;
            if (_previous[p] < start) segment.Exits?.TryAdd(key4, _previous[p]);
            if (p - start < LongKeyOrder) continue;
            var bucket = LongBucket(_arena.AsSpan(p - LongKeyOrder, LongKeyOrder));
            _previousLong[p] = _longHeads[bucket];
            _longHeads[bucket] = p;
            if (_previousLong[p] < start) segment.LongExits?.TryAdd(bucket, _previousLong[p]);
        }
    }

    /// <summary>Takes the segment <paramref name="key"/> out of every count at once; false when there is none.</summary>
    public bool Remove(string key)
    {
        if (!_byKey.Remove(key, out var segment)) return false;
        segment.Alive = false;
        _liveCharacters -= segment.Length;
        _deadCharacters += segment.Length;
        return true;
    }

    /// <summary>Whether removed text outweighs what is live, so that a compacted copy would pay.</summary>
    public bool WantsCompaction => _deadCharacters > Math.Max(1 << 20, _liveCharacters);

    /// <summary>The live segments' texts, in order: what a compacted copy (<see cref="Build"/>) is made of.</summary>
    public List<(string Key, string Text, bool IsOpen)> LiveSegments() =>
        [.. _segments.Where(segment => segment.Alive).Select(segment => (segment.Key, Text(segment), segment.IsOpen))];

    /// <summary>A cache of <paramref name="segments"/>, added in order.</summary>
    public static CharacterCache Build(IEnumerable<(string Key, string Text, bool IsOpen)> segments)
    {
        var cache = new CharacterCache();
        foreach (var (key, text, isOpen) in segments) cache.Set(key, text, isOpen);
        return cache;
    }

    /// <summary>
    /// What the cache says of the next symbol after <paramref name="history"/>, as the part its counts give,
    /// into <paramref name="counted"/> (Symbols long), and the mass it leaves to the model it backs off to (returned):
    /// its distribution over the next symbol is counted[x] + backoff * base(x) for any base distribution (the
    /// network's, in the completion pipeline), so with no occurrence of the context it is the base itself. Layers,
    /// innermost last: the workspace (segments not open), the open documents, the current document
    /// (<paramref name="document"/>); each interpolates over orders KeyOrder up to MaxOrder onto the one before.
    /// The segment <paramref name="currentKey"/> (the current document's own indexed copy) is left out.
    /// </summary>
    public double Predict(ReadOnlySpan<char> history, string? currentKey, DocumentView? document, Span<double> counted)
    {
        if (counted.Length != Symbols) throw new ArgumentException($"counted must hold {Symbols} symbols", nameof(counted));
        var contextLength = Math.Min(MaxOrder, history.Length);
        for (var i = 0; i < contextLength; i++) _context[i] = SymbolOf(history[history.Length - contextLength + i]);
        var context = _context.AsSpan(0, contextLength);

        // The result is counted[x] + scale * base(x), counted[x] = scale * _scaled[x]: a step p <- (max(c - D(c), 0) + (sum of D) p) / T
        // changes scale and only the touched symbols, whatever the base.
        Array.Clear(_scaled);
        var scale = 1.0;
        if (contextLength >= KeyOrder)
        {
            ScanChain(context, currentKey);
            if (document is { } view) ScanDocument(context, view);
            var lowest = Math.Max(KeyOrder, LowestOrderSpoken(context));
            for (var layer = 0; layer < Layers; layer++)
                for (var order = KeyOrder; order <= contextLength; order++)
                    scale = order >= lowest ? Interpolate(layer, order, scale) : Forget(layer, order, scale);
        }
        for (var s = 0; s < Symbols; s++) counted[s] = _scaled[s] * scale;
        return scale;
    }

    /// <summary>
    /// The counts of the workspace (layer 0) and open-document (layer 1) occurrences of the context, newest first: orders
    /// from LongKeyOrder up through the long chain, the orders below it through the KeyOrder chain.
    /// </summary>
    private void ScanChain(ReadOnlySpan<byte> context, string? currentKey)
    {
        Segment? current = currentKey is not null && _byKey.TryGetValue(currentKey, out var found) ? found : null;
        var longContext = context.Length >= LongKeyOrder;
        if (longContext)
        {
            var bucket = LongBucket(context[^LongKeyOrder..]);
            Walk(_longHeads[bucket], _previousLong, context, current, current?.LongExits is { } exits ? exits.GetValueOrDefault(bucket, -1) : null,
                LongKeyOrder, MaxOrder);
        }
        var key = Key(context);
        if (_heads.TryGetValue(key, out var head))
            Walk(head, _previous, context, current, current?.Exits is { } exits ? exits.GetValueOrDefault(key, -1) : null,
                KeyOrder, longContext ? LongKeyOrder - 1 : MaxOrder);
    }

    /// <summary>
    /// One chain from <paramref name="position"/>: occurrences matching at least <paramref name="minimum"/> characters, recorded up to
    /// <paramref name="maximum"/>. The current document's own copy is left out by jumping to <paramref name="pastCurrent"/>, the chain's
    /// first entry before it (-1: none), or, for a segment that keeps no exits (not an open document), entry by entry.
    /// </summary>
    private void Walk(int position, int[] previous, ReadOnlySpan<byte> context, Segment? current, int? pastCurrent, int minimum, int maximum)
    {
        Span<int> read = stackalloc int[2];
        Segment? segment = null;
        for (var steps = 0; position >= 0 && steps < MaxSteps; steps++, position = previous[position])
        {
            if (current is not null && position >= current.Start && position < current.Start + current.Length)
            {
                if (pastCurrent is not { } past) continue;
                // The chain is newest first and the segment contiguous: its entries run on until the one it was first reached from.
                position = past;
                if (position < 0) break;
            }
            // Occurrences come newest first, often several from one file: look the segment up only when the walk leaves it.
            if (segment is null || position < segment.Start || position >= segment.Start + segment.Length) segment = SegmentAt(position);
            if (!segment.Alive) continue;
            var layer = segment.IsOpen ? 1 : 0;
            if (read[layer] >= MaxOccurrences)
            {
                // The open documents were counted after the workspace's files, so a newest-first walk meets their
                // occurrences first: once the workspace's are read, what is left is older workspace text.
                if (layer == 0) break;
                continue;
            }
            var matched = 0;
            var limit = Math.Min(Math.Min(context.Length, maximum), position - segment.Start);
            while (matched < limit && _arena[position - matched - 1] == context[^(matched + 1)]) matched++;
            if (matched < minimum) continue; // another context in the same hash bucket
            read[layer]++;
            Record(layer, matched, _arena[position], minimum);
        }
    }

    /// <summary>The counts of the current document's occurrences of the context (layer 2), nearest the caret first.</summary>
    private void ScanDocument(ReadOnlySpan<byte> context, DocumentView view)
    {
        var text = view.Text.AsSpan();
        Span<char> key = stackalloc char[KeyOrder];
        for (var i = 0; i < KeyOrder; i++) key[i] = (char)context[context.Length - KeyOrder + i];
        if (key.Contains((char)OtherSymbol)) return; // "another character" stands for many: no exact search
        var read = 0;
        ScanRange(text, 0, Math.Min(view.Before, text.Length), ref read, context, key);
        if (view.After < text.Length) ScanRange(text, Math.Max(view.After, 0), text.Length, ref read, context, key);
    }

    /// <summary>Occurrences of <paramref name="key"/> whose follower lies in [from, to), nearest to <paramref name="to"/> first.</summary>
    private void ScanRange(ReadOnlySpan<char> all, int from, int to, ref int read, ReadOnlySpan<byte> context, ReadOnlySpan<char> key)
    {
        // The key lies within [from, searchEnd): its follower is at most searchEnd, below to.
        var searchEnd = to - 1;
        while (read < MaxOccurrences && searchEnd - from >= KeyOrder)
        {
            var at = all[from..searchEnd].LastIndexOf(key);
            if (at < 0) return;
            var start = from + at;
            var follower = start + KeyOrder;
            read++;
            var matched = KeyOrder;
            while (matched < context.Length && follower - matched - 1 >= from
                   && SymbolOf(all[follower - matched - 1]) == context[^(matched + 1)]) matched++;
            Record(2, matched, SymbolOf(all[follower]), KeyOrder);
            searchEnd = start + KeyOrder - 1; // the next occurrence starts before this one (they may overlap)
        }
    }

    private void Record(int layer, int matched, byte follower, int from)
    {
        for (var order = from; order <= matched; order++)
        {
            var slot = layer * (MaxOrder + 1) + order;
            if (_scanCounts[slot][follower]++ == 0) _scanTouched[slot].Add(follower);
        }
    }

    /// <summary>
    /// Inside a line's leading indentation, a context that does not reach back to the line break cannot tell one
    /// indentation depth from another (after four spaces of eight come four more; after eight, code): the cache
    /// speaks there only from contexts that include the line break, and not at all when the indentation is longer
    /// than MaxOrder. Elsewhere, every order.
    /// </summary>
    private static int LowestOrderSpoken(ReadOnlySpan<byte> context)
    {
        var lineBreak = context.LastIndexOf((byte)'\n');
        foreach (var symbol in context[(lineBreak + 1)..])
            if (symbol is not ((byte)' ' or (byte)'\t')) return 0;
        return lineBreak < 0 ? int.MaxValue : context.Length - lineBreak;
    }

    /// <summary>Clears the scanned counts of (layer, order) unused.</summary>
    private double Forget(int layer, int order, double scale)
    {
        var slot = layer * (MaxOrder + 1) + order;
        foreach (var s in _scanTouched[slot]) _scanCounts[slot][s] = 0;
        _scanTouched[slot].Clear();
        return scale;
    }

    /// <summary>One discounting step with the scanned counts of (layer, order), which it then clears.</summary>
    private double Interpolate(int layer, int order, double scale)
    {
        var slot = layer * (MaxOrder + 1) + order;
        var touched = _scanTouched[slot];
        if (touched.Count == 0) return scale;
        var counts = _scanCounts[slot];
        var total = 0;
        foreach (var s in touched) total += counts[s];
        double denominator = total;
        double given = 0;
        foreach (var s in touched) given += DiscountOf(counts[s]);
        scale *= given / denominator;
        foreach (var s in touched)
        {
            _scaled[s] += (counts[s] - DiscountOf(counts[s])) / denominator / scale;
            counts[s] = 0;
        }
        touched.Clear();
        return scale;
    }

    /// <summary>How often <paramref name="symbol"/> follows <paramref name="context"/> (at least KeyOrder long) in live
    /// segments not open (layer 0) or open (layer 1), read through the chain without the per-prediction cap.</summary>
    public int ChainedCount(ReadOnlySpan<char> context, char symbol, bool open)
    {
        if (context.Length < KeyOrder) throw new ArgumentOutOfRangeException(nameof(context), $"chained counts start at order {KeyOrder}");
        var bytes = new byte[context.Length];
        for (var i = 0; i < context.Length; i++) bytes[i] = SymbolOf(context[i]);
        var count = 0;
        if (!_heads.TryGetValue(Key(bytes), out var position)) return 0;
        for (; position >= 0; position = _previous[position])
        {
            var segment = SegmentAt(position);
            if (!segment.Alive || segment.IsOpen != open || _arena[position] != SymbolOf(symbol)) continue;
            if (position - context.Length < segment.Start) continue;
            var same = true;
            for (var i = 1; i <= bytes.Length && same; i++) same = _arena[position - i] == bytes[^i];
            if (same) count++;
        }
        return count;
    }

    /// <summary>The KeyOrder symbols before <paramref name="position"/>.</summary>
    private uint Key(int position) => Key(_arena.AsSpan(position - KeyOrder, KeyOrder));

    private static uint Key(ReadOnlySpan<byte> context)
    {
        var last = context[^KeyOrder..];
        return (uint)last[0] << 24 | (uint)last[1] << 16 | (uint)last[2] << 8 | last[3];
    }

    private static int[] NewLongHeads()
    {
        var heads = new int[1 << LongHeadBits];
        Array.Fill(heads, -1);
        return heads;
    }

    private static int LongBucket(ReadOnlySpan<byte> context)
    {
        var hash = 14695981039346656037;
        foreach (var symbol in context) hash = (hash ^ symbol) * 1099511628211;
        return (int)(hash >> (64 - LongHeadBits));
    }

    private Segment SegmentAt(int position)
    {
        int low = 0, high = _segments.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (_segments[middle].Start <= position) low = middle; else high = middle - 1;
        }
        return _segments[low];
    }

    private string Text(Segment segment)
    {
        var characters = new char[segment.Length];
        for (var i = 0; i < segment.Length; i++) characters[i] = (char)_arena[segment.Start + i];
        return new string(characters);
    }

    /// <summary>Gives back what the arena and the chains hold beyond their text (their doubling leaves up to half unused),
    /// keeping a little room for the next edits.</summary>
    public void TrimExcess()
    {
        var size = _used + (1 << 16);
        if (size >= _arena.Length) return;
        Array.Resize(ref _arena, size);
        Array.Resize(ref _previous, size);
        Array.Resize(ref _previousLong, size);
    }

    private void Reserve(int length)
    {
        if (length <= _arena.Length) return;
        var size = _arena.Length;
        while (size < length) size = size < (1 << 26) ? size * 2 : size + (size >> 1);
        Array.Resize(ref _arena, size);
        Array.Resize(ref _previous, size);
        Array.Resize(ref _previousLong, size);
    }
}
