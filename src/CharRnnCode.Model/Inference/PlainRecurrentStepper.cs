// The recurrent step in plain C#: the readable reference of what TorchSharp's fused LSTM/GRU/RNN
// compute (PyTorch's gate order and equations), vectorised with System.Numerics.Tensors. At batch 1-8
// it beats the native call, whose cost there is per-op overhead rather than arithmetic (README, Threads).
// It does inference only: no gradients, no dropout.
using System.Numerics.Tensors;

namespace CharRnnCode.Model.Inference;

public sealed class PlainRecurrentStepper : IRecurrentStepper
{
    private sealed record Layer(float[] WeightIh, float[] WeightHh, float[] BiasIh, float[] BiasHh, int Input);

    private readonly Layer[] _layers;
    private readonly float[] _firstLayerInput;   // (V, G*H): W_ih0 · embedding[v] + b_ih0, precomputed per character
    private readonly float[] _headWeight;        // (V, H)
    private readonly float[] _headBias;          // (V)
    private readonly int _gates;
    private readonly int _hidden;
    // Scratch rows, reused between steps so a step allocates nothing.
    private float[] _inputGates = [], _hiddenGates = [], _below = [];   // (B, G*H), (B, G*H), (B, H)

    public ModelConfig Config { get; }
    public int VocabularySize { get; }

    public PlainRecurrentStepper(ModelConfig config, int vocabularySize, Func<string, float[]> parameter)
    {
        Config = config;
        VocabularySize = vocabularySize;
        _hidden = config.Hidden;
        _gates = config.Cell switch { "lstm" => 4, "gru" => 3, _ => 1 };
        _layers = new Layer[config.Layers];
        for (var l = 0; l < config.Layers; l++)
            _layers[l] = new Layer(parameter($"recurrent.weight_ih_l{l}"), parameter($"recurrent.weight_hh_l{l}"),
                parameter($"recurrent.bias_ih_l{l}"), parameter($"recurrent.bias_hh_l{l}"), l == 0 ? config.Embedding : config.Hidden);
        _headWeight = parameter("head.weight");
        _headBias = parameter("head.bias");

        var embedding = parameter("embedding.weight");                       // (V, E)
        var rows = _gates * _hidden;
        _firstLayerInput = new float[vocabularySize * rows];
        for (var v = 0; v < vocabularySize; v++)
            MatVec(_layers[0].WeightIh, _layers[0].BiasIh, rows, config.Embedding,
                embedding.AsSpan(v * config.Embedding, config.Embedding), _firstLayerInput.AsSpan(v * rows, rows));
    }

    public void Step(ReadOnlySpan<int> tokens, float[][] h, float[][]? c, Span<float> logits, ReadOnlySpan<bool> skip = default)
    {
        var batch = tokens.Length;
        var rows = _gates * _hidden;
        EnsureScratch(batch);
        // Layer by layer over the whole batch, weight row outermost: each row is read once per step
        // and reused for every sequence while it is in cache.
        for (var l = 0; l < _layers.Length; l++)
        {
            var layer = _layers[l];
            for (var b = 0; b < batch; b++)
            {
                if (Skipped(skip, b)) continue;
                if (l == 0) _firstLayerInput.AsSpan(tokens[b] * rows, rows).CopyTo(_inputGates.AsSpan(b * rows, rows));
            }
            if (l > 0) MatVecBatch(layer.WeightIh, layer.BiasIh, rows, layer.Input, _below, _inputGates, batch, skip);
            MatVecBatch(layer.WeightHh, layer.BiasHh, rows, _hidden, h[l], _hiddenGates, batch, skip);
            for (var b = 0; b < batch; b++)
            {
                if (Skipped(skip, b)) continue;
                var hRow = h[l].AsSpan(b * _hidden, _hidden);
                var x = _inputGates.AsSpan(b * rows, rows);
                var hh = _hiddenGates.AsSpan(b * rows, rows);
                switch (Config.Cell)
                {
                    case "lstm": LstmUpdate(x, hh, hRow, c![l].AsSpan(b * _hidden, _hidden)); break;
                    case "gru": GruUpdate(x, hh, hRow); break;
                    default: RnnUpdate(x, hh, hRow); break;
                }
                hRow.CopyTo(_below.AsSpan(b * _hidden, _hidden));
            }
        }
        MatVecBatch(_headWeight, _headBias, VocabularySize, _hidden, _below, logits, batch, skip);
    }

    private static bool Skipped(ReadOnlySpan<bool> skip, int b) => !skip.IsEmpty && skip[b];

    private void EnsureScratch(int batch)
    {
        var rows = _gates * _hidden;
        if (_inputGates.Length >= batch * rows) return;
        _inputGates = new float[batch * rows];
        _hiddenGates = new float[batch * rows];
        _below = new float[batch * _hidden];
    }

    // PyTorch's LSTM, gates i, f, g, o: c' = f*c + i*g, h' = o*tanh(c').
    private void LstmUpdate(Span<float> gates, ReadOnlySpan<float> hiddenGates, Span<float> h, Span<float> c)
    {
        var n = _hidden;
        TensorPrimitives.Add(gates, hiddenGates, gates);
        var i = gates[..n]; var f = gates.Slice(n, n); var g = gates.Slice(2 * n, n); var o = gates.Slice(3 * n, n);
        TensorPrimitives.Sigmoid(i, i);
        TensorPrimitives.Sigmoid(f, f);
        TensorPrimitives.Tanh(g, g);
        TensorPrimitives.Sigmoid(o, o);
        TensorPrimitives.Multiply(f, c, c);
        TensorPrimitives.MultiplyAdd(i, g, c, c);
        TensorPrimitives.Tanh(c, h);
        TensorPrimitives.Multiply(o, h, h);
    }

    // PyTorch's GRU, gates r, z, n: n = tanh(x_n + r*(h_n)), h' = (1-z)*n + z*h = n + z*(h - n).
    private void GruUpdate(Span<float> x, ReadOnlySpan<float> hh, Span<float> h)
    {
        var n = _hidden;
        var r = x[..n]; var z = x.Slice(n, n); var candidate = x.Slice(2 * n, n);
        TensorPrimitives.Add(r, hh[..n], r);
        TensorPrimitives.Sigmoid(r, r);
        TensorPrimitives.Add(z, hh.Slice(n, n), z);
        TensorPrimitives.Sigmoid(z, z);
        TensorPrimitives.MultiplyAdd(r, hh.Slice(2 * n, n), candidate, candidate);
        TensorPrimitives.Tanh(candidate, candidate);
        TensorPrimitives.Subtract(h, candidate, h);
        TensorPrimitives.MultiplyAdd(z, h, candidate, h);
    }

    // Elman RNN: h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
    private static void RnnUpdate(ReadOnlySpan<float> x, ReadOnlySpan<float> hh, Span<float> h)
    {
        TensorPrimitives.Add(x, hh, h);
        TensorPrimitives.Tanh(h, h);
    }

    /// <summary>y = W x + bias, W (rows, cols) row-major.</summary>
    private static void MatVec(float[] weight, float[] bias, int rows, int cols, ReadOnlySpan<float> x, Span<float> y)
    {
        var w = weight.AsSpan();
        for (var r = 0; r < rows; r++)
            y[r] = TensorPrimitives.Dot(w.Slice(r * cols, cols), x) + bias[r];
    }

    /// <summary>y[b] = W x[b] + bias for every row b not skipped; x (B, cols), y (B, rows).</summary>
    private static void MatVecBatch(float[] weight, float[] bias, int rows, int cols, ReadOnlySpan<float> x, Span<float> y, int batch, ReadOnlySpan<bool> skip)
    {
        var w = weight.AsSpan();
        for (var r = 0; r < rows; r++)
        {
            var row = w.Slice(r * cols, cols);
            for (var b = 0; b < batch; b++)
                if (!Skipped(skip, b)) y[b * rows + r] = TensorPrimitives.Dot(row, x.Slice(b * cols, cols)) + bias[r];
        }
    }

    public void Dispose() { }
}
