// Encodes open documents ahead of time, so that a request rarely finds a cold prefix-state cache: on
// didOpen the document from its start (as far as the cache keeps states), after an edit the text from
// the edit on for a stretch. It runs on its own thread at the lowest priority with the idle copy of
// the model, one Interval of characters at a time, and stands aside whenever a request is being
// served (PauseForRequest cancels the chunk in flight). It never answers requests itself and keeps no
// states of its own: everything it encodes goes into the PrefixStateCache.
using CharRnnCode.Completion.Documents;
using CharRnnCode.Completion.Threading;

namespace CharRnnCode.Completion.Modeling;

public sealed class BackgroundPrefixEncoder : IDisposable
{
    /// <summary>How far past an edit the encoder goes: the user is typing there, a jump is likely nearby.</summary>
    public const int AfterEdit = 4096;
    /// <summary>The documents (most recently opened or edited first) that get encoded ahead.</summary>
    public const int MaxPendingDocuments = 8;

    private readonly PrefixStateCache _states;
    private readonly ModelHost _model;
    private readonly ICompletionLog _log;
    private readonly object _gate = new();
    private readonly LinkedList<(string Uri, int From, int To)> _pending = new(); // most recent first
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _wake = new(false);
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenSource _chunk = new();
    private int _requestsInFlight;
    private DocumentStore? _documents;

    public BackgroundPrefixEncoder(PrefixStateCache states, ModelHost model, ICompletionLog log)
    {
        _states = states;
        _model = model;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "charrnn-encode-ahead" };
        _thread.Start();
    }

    /// <summary>Off: nothing is encoded ahead (the setting encodeAhead).</summary>
    public bool Enabled
    {
        get => _enabled;
        set
        {
            _enabled = value;
            if (value) Wake();
        }
    }
    private volatile bool _enabled = true;

    public void Follow(DocumentStore documents)
    {
        _documents = documents;
        documents.Opened += document =>
        {
            if (document.Text is { } text) Enqueue(document.Uri, 0, Math.Min(text.Length, PrefixStateCache.Interval * PrefixStateCache.MaxStatesPerDocument));
        };
        documents.Changed += (document, firstChanged) =>
        {
            if (document.Text is { } text) Enqueue(document.Uri, firstChanged, Math.Min(text.Length, firstChanged + AfterEdit));
        };
        documents.Closed += uri =>
        {
            lock (_gate)
                for (var node = _pending.First; node is not null; node = node.Next)
                    if (node.Value.Uri == uri) { _pending.Remove(node); break; }
        };
        // A new model: the cache was cleared, so the open documents are encoded again.
        _model.ModelChanged += () =>
        {
            foreach (var document in documents.All())
                if (document.Text is { } text) Enqueue(document.Uri, 0, Math.Min(text.Length, PrefixStateCache.Interval * PrefixStateCache.MaxStatesPerDocument), front: false);
        };
    }

    /// <summary>Stands aside while a request is served: the chunk in flight is cancelled, nothing starts until the returned scope ends.</summary>
    public IDisposable PauseForRequest()
    {
        lock (_gate)
        {
            _requestsInFlight++;
            _chunk.Cancel();
        }
        return new Pause(this);
    }

    private sealed class Pause(BackgroundPrefixEncoder owner) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 1) return;
            lock (owner._gate) owner._requestsInFlight--;
            owner.Wake();
        }
    }

    private void Enqueue(string uri, int from, int to, bool front = true)
    {
        lock (_gate)
        {
            for (var node = _pending.First; node is not null; node = node.Next)
                if (node.Value.Uri == uri)
                {
                    // An earlier start wins (it was not encoded yet); the window reaches the farther end.
                    from = Math.Min(from, node.Value.From);
                    to = Math.Max(to, node.Value.To);
                    _pending.Remove(node);
                    break;
                }
            if (front) _pending.AddFirst((uri, from, to));
            else _pending.AddLast((uri, from, to));
            while (_pending.Count > MaxPendingDocuments) _pending.RemoveLast();
        }
        Wake();
    }

    private void Wake() => _wake.Set();

    private void Run()
    {
        // Nicer than Roslyn (10) and the model thread (0): the lowest priority of the server's work, yet not so
        // nice (19) that an editor busy rendering starves it for the seconds after a file is opened.
        ThreadNiceness.LowerCurrentThread(15);
        while (!_stopping.IsCancellationRequested)
        {
            _wake.Wait();
            if (_stopping.IsCancellationRequested) break;
            _wake.Reset();
            while (!_stopping.IsCancellationRequested && TryEncodeOneChunk()) { }
        }
    }

    /// <summary>Encodes one Interval of the most recent pending document; false when there is nothing to do now.</summary>
    private bool TryEncodeOneChunk()
    {
        (string Uri, int From, int To) job;
        CancellationToken token;
        lock (_gate)
        {
            if (!_enabled || _requestsInFlight > 0 || _pending.First is null) return false;
            job = _pending.First.Value;
            if (_chunk.IsCancellationRequested) { _chunk.Dispose(); _chunk = new CancellationTokenSource(); }
            token = _chunk.Token;
        }
        var document = _documents?.Get(job.Uri);
        var target = document?.Text is null ? -1 : _states.FirstMissing(document, job.From, Math.Min(job.To, document.Text.Length));
        if (target < 0)
        {
            lock (_gate)
                if (_pending.First?.Value == job) _pending.RemoveFirst();
            return true;
        }
        try
        {
            var loaded = _model.WithIdleModel(model => _states.StateAt(model, document!, target, token, ahead: true));
            if (!loaded)
            {
                lock (_gate) _pending.Clear();
                return false;
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            _log.Warn($"encoding {job.Uri} ahead failed at {target}: {error.Message}");
            lock (_gate)
                if (_pending.First?.Value == job) _pending.RemoveFirst();
        }
        return true;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _wake.Set();
        _thread.Join(TimeSpan.FromSeconds(5));
    }
}
