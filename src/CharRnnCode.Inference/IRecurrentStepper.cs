// One step of the recurrent network for a batch of independent sequences, on plain arrays. Two
// implementations: PlainRecurrentStepper (C#, System.Numerics.Tensors; the CPU default) and
// TorchRecurrentStepper (TorchSharp's fused cells; for GPUs). Tests hold them against each other.
namespace CharRnnCode.Inference;

public interface IRecurrentStepper : IDisposable
{
    ModelConfig Config { get; }
    int VocabularySize { get; }

    /// <summary>
    /// Feeds tokens[b] to sequence b, updating its state in place, and writes its next-character logits.
    /// </summary>
    /// <param name="tokens">(B) character ids.</param>
    /// <param name="h">per layer, (B, H) row-major; updated in place.</param>
    /// <param name="c">per layer, (B, H) for an LSTM's cell state; null for GRU and RNN.</param>
    /// <param name="logits">(B, V) output.</param>
    /// <param name="skip">optional (B): true rows are left untouched (finished candidates).</param>
    void Step(ReadOnlySpan<int> tokens, float[][] h, float[][]? c, Span<float> logits, ReadOnlySpan<bool> skip = default);
}
