// The recurrent step through TorchSharp's fused cells (the training network in eval mode), on any
// device. Slower than the plain step on a CPU at small batches (per-op overhead dominates), but the
// way to use a GPU. It copies the state between arrays and tensors every step: simple, and small
// next to a step's cost at these sizes.
using CharRnnCode.Inference;
using TorchSharp;
using static TorchSharp.torch;

namespace CharRnnCode.Model;

public sealed class TorchRecurrentStepper : IRecurrentStepper
{
    private readonly CharRnnNetwork _network;
    private readonly Device _device;

    public ModelConfig Config => _network.Config;
    public int VocabularySize => _network.VocabularySize;

    /// <summary>Takes ownership of <paramref name="network"/>.</summary>
    public TorchRecurrentStepper(CharRnnNetwork network, Device device)
    {
        _network = network;
        _device = device;
        _network.to(device);
        _network.eval();
    }

    public void Step(ReadOnlySpan<int> tokens, float[][] h, float[][]? c, Span<float> logits, ReadOnlySpan<bool> skip = default)
    {
        var batch = tokens.Length;
        var hidden = Config.Hidden;
        var layers = Config.Layers;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var ids = new long[batch];
        for (var b = 0; b < batch; b++) ids[b] = tokens[b];
        var input = tensor(ids, [batch, 1], device: _device);                                  // (B, 1)
        var state = new TorchState(Stack(h, layers, batch, hidden), c is null ? null : Stack(c, layers, batch, hidden));
        var (output, next) = _network.call(input, state);                                       // (B, 1, V)
        var logitsHost = output.reshape(batch, VocabularySize).cpu().data<float>().ToArray();
        var hHost = next.H.cpu().data<float>().ToArray();                                       // (L, B, H)
        var cHost = next.C?.cpu().data<float>().ToArray();
        for (var b = 0; b < batch; b++)
        {
            if (!skip.IsEmpty && skip[b]) continue;
            logitsHost.AsSpan(b * VocabularySize, VocabularySize).CopyTo(logits.Slice(b * VocabularySize, VocabularySize));
            for (var l = 0; l < layers; l++)
            {
                hHost.AsSpan((l * batch + b) * hidden, hidden).CopyTo(h[l].AsSpan(b * hidden, hidden));
                cHost?.AsSpan((l * batch + b) * hidden, hidden).CopyTo(c![l].AsSpan(b * hidden, hidden));
            }
        }
    }

    private Tensor Stack(float[][] perLayer, int layers, int batch, int hidden)
    {
        var flat = new float[layers * batch * hidden];
        for (var l = 0; l < layers; l++) perLayer[l].AsSpan(0, batch * hidden).CopyTo(flat.AsSpan(l * batch * hidden));
        return tensor(flat, [layers, batch, hidden], device: _device);                         // (L, B, H)
    }

    public void Dispose() => _network.Dispose();
}
