// The recurrent step in plain C#, the CPU default: what ReferenceRecurrentStepper computes (PyTorch's
// gate order and equations), with every matrix product through BlockedMatrixKernel, so that a batch of
// K sequences reads each weight matrix about once per step. When a layer's work is large enough to pay
// for another core, its hidden units are cut into chunks that the threads share (StepWorkers): each
// chunk computes its units' gate rows and finishes their cell update. At batch 1-8 it beats
// TorchSharp's call, whose cost there is per-op overhead rather than arithmetic (README, Threads).
// Inference only: no gradients, no dropout; one Step at a time per instance.
using System.Runtime.CompilerServices;

namespace CharRnnCode.Inference;

/// <summary>How a plain stepper uses the cores.</summary>
public sealed record PlainStepperOptions
{
    /// <summary>
    /// Multiply-adds of a layer (or of the head) for the whole batch below which it runs on the calling
    /// thread alone, because handing chunks to another core would cost about what it saves. On the 2-vCPU
    /// development machine, 2x256 at batch 1 (262,144 and 524,288 a layer) ran faster split when the second
    /// vCPU was free; 1x128 at batch 1 (65,536) ran slower.
    /// </summary>
    public const long DefaultSplitAtMultiplyAdds = 1 << 18;

    /// <summary>Threads a step may use, the caller's included; null: one per CPU.</summary>
    public int? Threads { get; init; }

    public long SplitAtMultiplyAdds { get; init; } = DefaultSplitAtMultiplyAdds;
}

public sealed class PlainRecurrentStepper : IRecurrentStepper
{
    private const int UnitAlignment = 4;            // chunks start on a whole tile of rows
    // Chunks a split product is cut into, per thread: small enough that a thread the OS preempts
    // holds up little, large enough that each chunk still streams whole tiles.
    private const int ChunksPerThread = 4;

    private readonly RecurrentWeights _weights;
    private readonly int _threads;
    private readonly long _splitAt;
    private readonly Action<int, int> _layerChunk, _headChunk;   // cached: a step allocates no delegate
    private StepWorkers? _workers;                  // started by the first step that splits
    // Scratch, reused between steps so a step allocates nothing.
    private float[] _inputGates = [], _hiddenGates = [], _nextHidden = [], _logits = [];   // (B, G*H), (B, G*H), (B, H), (B, V)
    private int[] _active = [];                     // the rows not skipped, in order
    // The step in progress, for the chunks.
    private int _activeCount, _layer;
    private float[][] _h = [];
    private float[][]? _c;

    public ModelConfig Config { get; }
    public int VocabularySize { get; }

    public PlainRecurrentStepper(ModelConfig config, int vocabularySize, Func<string, float[]> parameter, PlainStepperOptions? options = null)
    {
        options ??= new PlainStepperOptions();
        Config = config;
        VocabularySize = vocabularySize;
        _weights = new RecurrentWeights(config, vocabularySize, parameter);
        _threads = Math.Clamp(options.Threads ?? Environment.ProcessorCount, 1, Math.Max(1, Environment.ProcessorCount));
        _splitAt = options.SplitAtMultiplyAdds;
        _layerChunk = LayerChunk;
        _headChunk = HeadChunk;
    }

    /// <summary>Multiply-adds of one step for one sequence (the first layer's input side is precomputed per character).</summary>
    public static long MultiplyAddsPerStep(ModelConfig config, int vocabularySize)
    {
        var rows = (long)CellEquations.Gates(config.Cell) * config.Hidden;
        return rows * config.Hidden * config.Layers + rows * config.Hidden * (config.Layers - 1) + (long)vocabularySize * config.Hidden;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Step(ReadOnlySpan<int> tokens, float[][] h, float[][]? c, Span<float> logits, ReadOnlySpan<bool> skip = default)
    {
        var batch = tokens.Length;
        var rows = _weights.Rows;
        var hidden = _weights.Hidden;
        EnsureScratch(batch);
        _activeCount = 0;
        for (var b = 0; b < batch; b++)
            if (skip.IsEmpty || !skip[b]) _active[_activeCount++] = b;
        if (_activeCount == 0) return;
        for (var i = 0; i < _activeCount; i++)
        {
            var b = _active[i];
            _weights.FirstLayerInput.AsSpan(tokens[b] * rows, rows).CopyTo(_inputGates.AsSpan(b * rows, rows));
        }
        (_h, _c) = (h, c);
        try
        {
            for (_layer = 0; _layer < _weights.Layers.Length; _layer++)
            {
                var inputCols = _layer == 0 ? 0 : hidden;
                RunChunks(_layerChunk, (long)_activeCount * rows * (inputCols + hidden));
                // The chunks wrote the new state aside: every chunk reads the whole old state of its layer.
                for (var i = 0; i < _activeCount; i++)
                {
                    var b = _active[i];
                    _nextHidden.AsSpan(b * hidden, hidden).CopyTo(h[_layer].AsSpan(b * hidden, hidden));
                }
            }
            RunChunks(_headChunk, (long)_activeCount * VocabularySize * hidden);
        }
        finally
        {
            (_h, _c) = ([], null);
        }
        for (var i = 0; i < _activeCount; i++)
        {
            var b = _active[i];
            _logits.AsSpan(b * VocabularySize, VocabularySize).CopyTo(logits.Slice(b * VocabularySize, VocabularySize));
        }
    }

    private void RunChunks(Action<int, int> chunk, long multiplyAdds)
    {
        if (_threads > 1 && multiplyAdds >= _splitAt) (_workers ??= new StepWorkers(_threads - 1)).Run(chunk, _threads * ChunksPerThread);
        else chunk(0, 1);
    }

    /// <summary>Hidden units of chunk <paramref name="chunk"/>: their gate rows of both products, then their cell update.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void LayerChunk(int chunk, int chunks)
    {
        var hidden = _weights.Hidden;
        var (start, end) = Share(hidden, chunk, chunks);
        if (start == end) return;
        var rows = _weights.Rows;
        var layer = _weights.Layers[_layer];
        var active = _active.AsSpan(0, _activeCount);
        for (var gate = 0; gate < _weights.Gates; gate++)
        {
            var first = gate * hidden;
            if (_layer > 0)
                BlockedMatrixKernel.Multiply(layer.WeightIh, layer.BiasIh, hidden, first + start, first + end, _h[_layer - 1], hidden, _inputGates, rows, active);
            BlockedMatrixKernel.Multiply(layer.WeightHh, layer.BiasHh, hidden, first + start, first + end, _h[_layer], hidden, _hiddenGates, rows, active);
        }
        var count = end - start;
        foreach (var b in active)
        {
            var unit = b * hidden + start;
            CellEquations.Update(Config.Cell, _inputGates.AsSpan(b * rows, rows), _hiddenGates.AsSpan(b * rows, rows), hidden, start,
                _h[_layer].AsSpan(unit, count), _nextHidden.AsSpan(unit, count), _c is null ? default : _c[_layer].AsSpan(unit, count));
        }
    }

    /// <summary>Characters of chunk <paramref name="chunk"/>: their logits from the top layer's new state.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void HeadChunk(int chunk, int chunks)
    {
        var (start, end) = Share(VocabularySize, chunk, chunks);
        if (start == end) return;
        var hidden = _weights.Hidden;
        BlockedMatrixKernel.Multiply(_weights.HeadWeight, _weights.HeadBias, hidden, start, end, _h[^1], hidden, _logits, VocabularySize, _active.AsSpan(0, _activeCount));
    }

    /// <summary>Chunk <paramref name="chunk"/>'s share of <paramref name="count"/> units: equal shares of whole tiles, the last one short.</summary>
    private static (int Start, int End) Share(int count, int chunk, int chunks)
    {
        var share = (count + chunks * UnitAlignment - 1) / (chunks * UnitAlignment) * UnitAlignment;
        var start = Math.Min(count, chunk * share);
        return (start, Math.Min(count, start + share));
    }

    private void EnsureScratch(int batch)
    {
        if (_active.Length >= batch) return;
        var rows = _weights.Rows;
        _inputGates = new float[batch * rows];
        _hiddenGates = new float[batch * rows];
        _nextHidden = new float[batch * _weights.Hidden];
        _logits = new float[batch * VocabularySize];
        _active = new int[batch];
    }

    public void Dispose()
    {
        _workers?.Dispose();
        _workers = null;
    }
}
