// The recurrent step written the plain way: one System.Numerics.Tensors dot product per (weight row,
// sequence), PyTorch's gate order and equations. It is the readable statement of what
// PlainRecurrentStepper computes with its blocked kernel; tests hold the two against each other, and
// `StepperChoice.Reference` selects it for comparison. It is not tuned: one thread, no tiling.
// It does inference only: no gradients, no dropout.
using System.Numerics.Tensors;

namespace CharRnnCode.Inference;

public sealed class ReferenceRecurrentStepper : IRecurrentStepper
{
    private readonly RecurrentWeights _weights;
    // Scratch rows, reused between steps so a step allocates nothing.
    private float[] _inputGates = [], _hiddenGates = [], _below = [];   // (B, G*H), (B, G*H), (B, H)

    public ModelConfig Config { get; }
    public int VocabularySize { get; }

    public ReferenceRecurrentStepper(ModelConfig config, int vocabularySize, Func<string, float[]> parameter)
    {
        Config = config;
        VocabularySize = vocabularySize;
        _weights = new RecurrentWeights(config, vocabularySize, parameter);
    }

    public void Step(ReadOnlySpan<int> tokens, float[][] h, float[][]? c, Span<float> logits, ReadOnlySpan<bool> skip = default)
    {
        var batch = tokens.Length;
        var rows = _weights.Rows;
        var hidden = _weights.Hidden;
        EnsureScratch(batch);
        // Layer by layer over the whole batch, weight row outermost: each row is read once per step
        // and reused for every sequence while it is in cache.
        for (var l = 0; l < _weights.Layers.Length; l++)
        {
            var layer = _weights.Layers[l];
            for (var b = 0; b < batch; b++)
            {
                if (Skipped(skip, b)) continue;
                if (l == 0) _weights.FirstLayerInput.AsSpan(tokens[b] * rows, rows).CopyTo(_inputGates.AsSpan(b * rows, rows));
            }
            if (l > 0) MatVecBatch(layer.WeightIh, layer.BiasIh, rows, layer.Input, _below, _inputGates, batch, skip);
            MatVecBatch(layer.WeightHh, layer.BiasHh, rows, hidden, h[l], _hiddenGates, batch, skip);
            for (var b = 0; b < batch; b++)
            {
                if (Skipped(skip, b)) continue;
                var hRow = h[l].AsSpan(b * hidden, hidden);
                CellEquations.Update(Config.Cell, _inputGates.AsSpan(b * rows, rows), _hiddenGates.AsSpan(b * rows, rows), hidden, 0,
                    hRow, hRow, c is null ? default : c[l].AsSpan(b * hidden, hidden));
                hRow.CopyTo(_below.AsSpan(b * hidden, hidden));
            }
        }
        MatVecBatch(_weights.HeadWeight, _weights.HeadBias, VocabularySize, hidden, _below, logits, batch, skip);
    }

    private static bool Skipped(ReadOnlySpan<bool> skip, int b) => !skip.IsEmpty && skip[b];

    private void EnsureScratch(int batch)
    {
        var rows = _weights.Rows;
        if (_inputGates.Length >= batch * rows) return;
        _inputGates = new float[batch * rows];
        _hiddenGates = new float[batch * rows];
        _below = new float[batch * _weights.Hidden];
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
