// Inference over a saved checkpoint: the one API that `charrnn sample`, the evaluation and the language
// server call. It loads weights only (no optimizer), keeps no per-document state of its own (callers
// hold RecurrentState snapshots), and is single-threaded per instance.
// On a CPU it steps in plain C# (PlainRecurrentStepper); on a GPU through TorchSharp, which it reaches
// through TorchStepperSource only when asked, so that CPU inference never loads TorchSharp.
using CharRnnCode.Inference.Checkpoints;

namespace CharRnnCode.Inference;

/// <summary>Which step implementation runs inference: Auto is plain C# on a CPU and TorchSharp on a GPU; Reference is the untuned plain step, for comparison.</summary>
public enum StepperChoice { Auto, Plain, Torch, Reference }

public sealed class CharLanguageModel : IDisposable
{
    /// <summary>The context a model starts from: the line break every file of a corpus follows.</summary>
    public const char ContextStart = '\n';

    private readonly IRecurrentStepper _stepper;
    private readonly RecurrentState _initial;
    private readonly float[] _logits;                // (V) scratch for single-sequence steps

    public Vocabulary Vocabulary { get; }
    public ModelConfig Config { get; }
    public CheckpointInfo Info { get; }
    public string Description { get; }
    /// <summary>"plain", "reference" or "torch (cpu|cuda)": which step implementation runs.</summary>
    public string StepperName { get; }
    /// <summary>Batch steps Generate has taken since the model loaded: the characters it generated, counted once per batch.</summary>
    public long GeneratedSteps => Interlocked.Read(ref _generatedSteps);
    private long _generatedSteps;
    /// <summary>Sequences those steps computed, summed: below GeneratedSteps x K where candidates shared a prefix or had finished.</summary>
    public long GeneratedRows => Interlocked.Read(ref _generatedRows);
    private long _generatedRows;

    private CharLanguageModel(CheckpointInfo info, Vocabulary vocabulary, IRecurrentStepper stepper, string stepperName)
    {
        Info = info;
        Vocabulary = vocabulary;
        Config = info.Config.Model;
        _stepper = stepper;
        StepperName = stepperName;
        _logits = new float[vocabulary.Size];
        var p = info.Progress;
        var validation = p.BestValLoss is double best && double.IsFinite(best) ? $", val {best / Math.Log(2):0.00} bpc" : "";
        Description = $"{Config.Shape}, step {p.Step}{validation}";
        var empty = new RecurrentState(ZeroLayers(), Config.Cell == "lstm" ? ZeroLayers() : null, new float[vocabulary.Size], 0);
        _initial = Advance(empty, [ContextStart]);
        _initial = new RecurrentState(_initial.H, _initial.C, _initial.NextLogProbabilities, 0);
    }

    /// <param name="device">auto, cpu or cuda: cpu (and auto without a GPU) uses the plain C# step.</param>
    /// <param name="threads">intra-op threads for the TorchSharp stepper; for the plain stepper, the most threads a step splits across; null: one per CPU.</param>
    public static CharLanguageModel Load(string checkpointPath, string device = "auto", int? threads = null)
    {
        var checkpoint = Checkpoint.Load(checkpointPath);
        return FromCheckpoint(checkpoint, device, threads);
    }

    public static CharLanguageModel FromCheckpoint(Checkpoint checkpoint, string device = "auto", int? threads = null, StepperChoice stepper = StepperChoice.Auto)
    {
        var vocabulary = checkpoint.Vocabulary;
        var config = checkpoint.Info.Config.Model;
        checkpoint.CheckParameters();
        var spec = device.Trim().ToLowerInvariant();
        if (spec is not ("auto" or "cpu") && !spec.StartsWith("cuda", StringComparison.Ordinal))
            throw new Common.UserError($"Unknown device '{device}'. Use auto, cpu or cuda.");
        var useTorch = stepper == StepperChoice.Torch ||
                       (stepper == StepperChoice.Auto && (spec.StartsWith("cuda", StringComparison.Ordinal) || (spec == "auto" && TorchCudaIfPresent())));
        try
        {
            if (stepper == StepperChoice.Reference)
                return new CharLanguageModel(checkpoint.Info, vocabulary, new ReferenceRecurrentStepper(config, vocabulary.Size, checkpoint.Parameter), "reference");
            if (!useTorch)
                return new CharLanguageModel(checkpoint.Info, vocabulary,
                    new PlainRecurrentStepper(config, vocabulary.Size, checkpoint.Parameter, new PlainStepperOptions { Threads = threads }), "plain");
            return LoadTorch(checkpoint, vocabulary, device, threads, stepper == StepperChoice.Torch ? "the torch stepper" : $"device '{device}'");
        }
        catch (Exception error) when (error is IndexOutOfRangeException or ArgumentException)
        {
            throw new CheckpointException($"checkpoint's weights do not match its configuration ({config.Shape}, vocabulary {vocabulary.Size}): {error.Message}", error);
        }
    }

    private static CharLanguageModel LoadTorch(Checkpoint checkpoint, Vocabulary vocabulary, string device, int? threads, string why)
    {
        var (stepper, name) = TorchStepperSource.Require(why).Create(checkpoint, device, threads);
        return new CharLanguageModel(checkpoint.Info, vocabulary, stepper, name);
    }

    // "auto" picks a GPU only when the CUDA build of the torch path is present; the CPU build never loads TorchSharp for inference.
    private static bool TorchCudaIfPresent() => TorchStepperSource.Find() is { IsCudaBuild: true } torch && torch.CudaAvailable();

    public RecurrentState InitialState() => _initial;

    /// <summary>The state after reading <paramref name="text"/>, each character as <see cref="ReadAs"/> maps it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public RecurrentState Advance(RecurrentState state, ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return state;
        var h = CopyLayers(state.H);
        var c = state.C is null ? null : CopyLayers(state.C);
        var logits = new float[Vocabulary.Size];
        Span<int> token = stackalloc int[1];
        var stepped = false;
        foreach (var character in text)
        {
            foreach (var read in ReadAs(character))
            {
                token[0] = Vocabulary.Encode(read);
                _stepper.Step(token, h, c, logits);
                stepped = true;
            }
        }
        if (!stepped) return new RecurrentState(h, c, (float[])state.NextLogProbabilities.Clone(), state.Length + text.Length);
        CharacterSampler.LogSoftmax(logits);
        return new RecurrentState(h, c, logits, state.Length + text.Length);
    }

    /// <summary>
    /// The state after reading <paramref name="text"/>, as <see cref="Advance(RecurrentState, ReadOnlySpan{char})"/>, and
    /// the natural-log probability the model gave each character before reading it (into
    /// <paramref name="characterLogProbabilities"/>); NaN for a character the model reads as something else (ReadAs).
    /// </summary>
    public RecurrentState Advance(RecurrentState state, ReadOnlySpan<char> text, Span<float> characterLogProbabilities)
    {
        if (characterLogProbabilities.Length < text.Length) throw new ArgumentException("one probability per character is needed", nameof(characterLogProbabilities));
        if (text.IsEmpty) return state;
        var h = CopyLayers(state.H);
        var c = state.C is null ? null : CopyLayers(state.C);
        var next = (float[])state.NextLogProbabilities.Clone();          // (V) log-softmaxed before each character
        Span<int> token = stackalloc int[1];
        for (var i = 0; i < text.Length; i++)
        {
            var read = ReadAs(text[i]);
            characterLogProbabilities[i] = read.Length == 1 && read[0] == text[i] ? next[Vocabulary.Encode(text[i])] : float.NaN;
            foreach (var character in read)
            {
                token[0] = Vocabulary.Encode(character);
                _stepper.Step(token, h, c, next);
                CharacterSampler.LogSoftmax(next);
            }
        }
        return new RecurrentState(h, c, next, state.Length + text.Length);
    }

    /// <summary>Whether the model writes tab characters; a spaces-trained one reads a tab as IndentWidth spaces.</summary>
    public bool KnowsTabs => Vocabulary.Encode('\t') != Vocabulary.UnknownId;

    /// <summary>Spaces a tab stands for when the model never saw tabs.</summary>
    public const int IndentWidth = 4;

    /// <summary>
    /// How a document character is read: itself when the vocabulary knows it; otherwise something the model
    /// was trained on, so that one unusual character does not derail the state (the unknown id's embedding
    /// never saw training): a tab as IndentWidth spaces, a carriage return as nothing, an unknown letter
    /// as 'x', digit as '0', space as ' ', anything else as nothing.
    /// </summary>
    public string ReadAs(char character)
    {
        if (Vocabulary.Encode(character) != Vocabulary.UnknownId) return character.ToString();
        var substitute = character switch
        {
            '\t' => new string(' ', IndentWidth),
            '\r' => "",
            _ when char.IsLetter(character) => "x",
            _ when char.IsDigit(character) => "0",
            _ when char.IsWhiteSpace(character) => " ",
            _ => "",
        };
        foreach (var read in substitute)
            if (Vocabulary.Encode(read) == Vocabulary.UnknownId) return character.ToString();
        return substitute;
    }

    public float[] NextLogProbabilities(RecurrentState state) => (float[])state.NextLogProbabilities.Clone();

    /// <summary>K candidates from <paramref name="state"/>, advanced as one batch; returns what it has when cancelled.</summary>
    /// <param name="budget">
    /// the soft stop: once cancelled, generation ends as soon as some candidate is usable
    /// (<see cref="GenerationOptions.Usable"/>), so a budget that runs out early still yields something to show
    /// </param>
    /// <param name="hardStop">ends generation at once, usable or not</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public IReadOnlyList<Candidate> Generate(RecurrentState state, GenerationOptions options, CancellationToken budget = default, CancellationToken hardStop = default)
    {
        if (options.Count < 1) throw new ArgumentOutOfRangeException(nameof(options), "Count must be at least 1");
        var k = options.Count;
        var v = Vocabulary.Size;
        var hidden = Config.Hidden;
        var h = Replicate(state.H, k, hidden);
        var c = state.C is null ? null : Replicate(state.C, k, hidden);
        var logProbabilities = new float[k * v];                       // (K, V)
        for (var b = 0; b < k; b++) state.NextLogProbabilities.CopyTo(logProbabilities, b * v);
        var random = options.Seed is long seed ? new Random(unchecked((int)(seed ^ (seed >> 32)))) : new Random();
        var texts = Enumerable.Range(0, k).Select(_ => new System.Text.StringBuilder()).ToArray();
        var scores = new double[k];
        var stopped = new bool[k];
        var finished = new bool[k];
        var tokens = new int[k];
        var weightRows = new double[k * v];                            // (K, V) what each row draws from
        var sums = new double[k];
        var decided = new int[k];                                      // the id where no draw is needed, else -1
        var masked = new float[v];
        // Prefix sharing: rows with the same prefix node hold the same state; only one of them (the node's
        // first row) is stepped, the others copy its result. Every row starts at node 0, the given state.
        var node = new int[k];
        var skip = new bool[k];                                        // true for the rows this step does not compute
        var sharedFrom = new int[k];                                   // the row whose result a row copies; itself when computed
        var children = new Dictionary<(int Node, int Token), int>(k);
        var nodes = 1;

        bool AnyUsable()
        {
            if (options.Usable is null) return true;
            for (var b = 0; b < k; b++)
                if (options.Usable(texts[b].ToString())) return true;
            return false;
        }

        for (var step = 0; step < options.MaxChars && !hardStop.IsCancellationRequested; step++)
        {
            if (budget.IsCancellationRequested && AnyUsable()) break;
            for (var b = 0; b < k; b++)
            {
                if (finished[b]) continue;
                var row = logProbabilities.AsSpan(b * v, v);
                // A row with the prefix of an earlier one has its distribution and constraint: it draws from that row's weights.
                var weighedBy = b;
                if (options.SharePrefixes)
                    for (var earlier = 0; earlier < b; earlier++)
                        if (!finished[earlier] && node[earlier] == node[b]) { weighedBy = earlier; break; }
                var weights = weightRows.AsSpan(weighedBy * v, v);
                if (options.Mix is { } mix)
                {
                    // Rows that share a prefix share the mixed row too: mixed once, copied to the others.
                    if (weighedBy == b) mix(texts[b].ToString(), row);
                    else logProbabilities.AsSpan(weighedBy * v, v).CopyTo(row);
                }
                if (weighedBy == b)
                    sums[b] = CharacterSampler.Weigh(Constrained(row, options.Allowed?.Invoke(texts[b].ToString()), masked), options, Vocabulary.UnknownId, weights, out decided[b]);
                var id = decided[weighedBy] >= 0 ? decided[weighedBy] : CharacterSampler.Draw(weights, sums[weighedBy], random);
                tokens[b] = id;
                scores[b] += row[id];
                var character = Vocabulary.Decode(id);
                texts[b].Append(character);
                options.OnCharacter?.Invoke(b, character);
                if (options.Stop?.Invoke(texts[b].ToString()) == true) { stopped[b] = true; finished[b] = true; }
            }
            if (step == options.MaxChars - 1 || finished.All(f => f)) break;
            children.Clear();
            var rows = 0;
            for (var b = 0; b < k; b++)
            {
                sharedFrom[b] = b;
                skip[b] = finished[b];
                if (finished[b]) continue;
                if (!options.SharePrefixes) { rows++; continue; }
                var key = (node[b], tokens[b]);
                if (children.TryGetValue(key, out var first)) { node[b] = node[first]; sharedFrom[b] = first; skip[b] = true; continue; }
                children[key] = b;
                node[b] = nodes++;
                rows++;
            }
            _stepper.Step(tokens, h, c, logProbabilities, skip);
            Interlocked.Increment(ref _generatedSteps);
            Interlocked.Add(ref _generatedRows, rows);
            for (var b = 0; b < k; b++)
                if (!finished[b] && sharedFrom[b] == b) CharacterSampler.LogSoftmax(logProbabilities.AsSpan(b * v, v));
            for (var b = 0; b < k; b++)
                if (!finished[b] && sharedFrom[b] != b) CopyRow(sharedFrom[b], b, h, c, logProbabilities, hidden, v);
        }
        return Enumerable.Range(0, k).Select(b => new Candidate(texts[b].ToString(), scores[b], stopped[b])).ToList();
    }

    /// <summary>Row <paramref name="to"/> of the batch takes row <paramref name="from"/>'s state and next-character distribution.</summary>
    private static void CopyRow(int from, int to, float[][] h, float[][]? c, float[] logProbabilities, int hidden, int v)
    {
        foreach (var layer in h) layer.AsSpan(from * hidden, hidden).CopyTo(layer.AsSpan(to * hidden, hidden));
        if (c is not null)
            foreach (var layer in c) layer.AsSpan(from * hidden, hidden).CopyTo(layer.AsSpan(to * hidden, hidden));
        logProbabilities.AsSpan(from * v, v).CopyTo(logProbabilities.AsSpan(to * v, v));
    }

    /// <summary>The row with the characters <paramref name="allowed"/> refuses set to -infinity; the row itself when nothing is refused or everything would be.</summary>
    private ReadOnlySpan<float> Constrained(ReadOnlySpan<float> row, Func<char, bool>? allowed, float[] masked)
    {
        if (allowed is null) return row;
        var any = false;
        var refused = false;
        for (var id = 0; id < row.Length; id++)
        {
            if (id != Vocabulary.UnknownId && allowed(Vocabulary.Decode(id)))
            {
                masked[id] = row[id];
                any = true;
            }
            else
            {
                masked[id] = float.NegativeInfinity;
                refused |= id != Vocabulary.UnknownId;
            }
        }
        return any && refused ? masked : row;
    }

    /// <summary>log p(text[i] | text[..i]) from the initial state, natural log; characters outside the vocabulary score as the unknown id.</summary>
    public double[] CharacterLogProbabilities(string text)
    {
        var result = new double[text.Length];
        var h = CopyLayers(_initial.H);
        var c = _initial.C is null ? null : CopyLayers(_initial.C);
        var next = (float[])_initial.NextLogProbabilities.Clone();
        Span<int> token = stackalloc int[1];
        for (var i = 0; i < text.Length; i++)
        {
            token[0] = Vocabulary.Encode(text[i]);
            result[i] = next[token[0]];
            if (i == text.Length - 1) break;
            _stepper.Step(token, h, c, next);
            CharacterSampler.LogSoftmax(next);
        }
        return result;
    }

    /// <summary>(T, H): the cell state of <paramref name="layer"/> after each character (the hidden state for GRU and RNN).</summary>
    public float[,] CellActivations(string text, int layer)
    {
        if (layer < 0 || layer >= Config.Layers) throw new ArgumentOutOfRangeException(nameof(layer), $"layer must be in [0, {Config.Layers})");
        var hidden = Config.Hidden;
        var result = new float[text.Length, hidden];
        var h = CopyLayers(_initial.H);
        var c = _initial.C is null ? null : CopyLayers(_initial.C);
        Span<int> token = stackalloc int[1];
        for (var t = 0; t < text.Length; t++)
        {
            token[0] = Vocabulary.Encode(text[t]);
            _stepper.Step(token, h, c, _logits);
            var source = (c ?? h)[layer];
            for (var j = 0; j < hidden; j++) result[t, j] = source[j];
        }
        return result;
    }

    private float[][] ZeroLayers() => Enumerable.Range(0, Config.Layers).Select(_ => new float[Config.Hidden]).ToArray();

    private static float[][] CopyLayers(float[][] layers) => layers.Select(l => (float[])l.Clone()).ToArray();

    private static float[][] Replicate(float[][] layers, int count, int hidden) =>
        layers.Select(l =>
        {
            var batch = new float[count * hidden];                       // (K, H)
            for (var b = 0; b < count; b++) l.AsSpan(0, hidden).CopyTo(batch.AsSpan(b * hidden));
            return batch;
        }).ToArray();

    public void Dispose() => _stepper.Dispose();
}
