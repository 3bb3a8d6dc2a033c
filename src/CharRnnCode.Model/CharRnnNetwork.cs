// The network: embedding, L stacked recurrent layers (TorchSharp's fused LSTM/GRU/RNN, one native
// call per sequence), dropout, linear head. Used for training and for batched inference on a GPU;
// CPU inference goes through the plain step in Inference/ instead (faster at batch 1-8, see README).
using CharRnnCode.Inference;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnnCode.Model;

/// <summary>The recurrent state of a batch in Torch form: H (L, B, H) and, for an LSTM, C (L, B, H).</summary>
public sealed record TorchState(Tensor H, Tensor? C) : IDisposable
{
    public TorchState Detach() => new(H.detach(), C?.detach());
    public void Dispose() { H.Dispose(); C?.Dispose(); }
}

public sealed class CharRnnNetwork : nn.Module<Tensor, TorchState?, (Tensor Logits, TorchState State)>
{
    // Field names are the parameter names a checkpoint stores ("embedding.weight", "recurrent.weight_ih_l0", ...),
    // so they keep those names rather than the _camelCase of other private fields.
#pragma warning disable IDE1006
    private readonly Embedding embedding;
    private readonly nn.Module recurrent;
    private readonly Dropout dropout;
    private readonly Linear head;
#pragma warning restore IDE1006

    public ModelConfig Config { get; }
    public int VocabularySize { get; }

    public CharRnnNetwork(ModelConfig config, int vocabularySize) : base("charrnn")
    {
        Config = config;
        VocabularySize = vocabularySize;
        embedding = nn.Embedding(vocabularySize, config.Embedding);
        var betweenLayers = config.Layers > 1 ? config.Dropout : 0.0;
        recurrent = config.Cell switch
        {
            "lstm" => nn.LSTM(config.Embedding, config.Hidden, config.Layers, batchFirst: true, dropout: betweenLayers),
            "gru" => nn.GRU(config.Embedding, config.Hidden, config.Layers, batchFirst: true, dropout: betweenLayers),
            "rnn" => nn.RNN(config.Embedding, config.Hidden, config.Layers, nn.NonLinearities.Tanh, batchFirst: true, dropout: betweenLayers),
            _ => throw new ArgumentException($"unknown cell {config.Cell}"),
        };
        dropout = nn.Dropout(config.Dropout);
        head = nn.Linear(config.Hidden, vocabularySize);
        RegisterComponents();
    }

    /// <param name="tokens">(B, T) int64 character ids.</param>
    /// <param name="state">The state to start from; null for zeros.</param>
    /// <returns>Logits (B, T, V) and the state after the last step.</returns>
    public override (Tensor Logits, TorchState State) forward(Tensor tokens, TorchState? state)
    {
        using var scope = NewDisposeScope();
        var x = embedding.call(tokens);                                     // (B, T, E)
        Tensor output;                                                      // (B, T, H)
        TorchState next;
        switch (recurrent)
        {
            case LSTM lstm:
                {
                    var (o, h, c) = lstm.call(x, state is null ? null : (state.H, state.C!));
                    output = o; next = new TorchState(h, c);
                    break;
                }
            case GRU gru:
                {
                    var (o, h) = gru.call(x, state?.H);
                    output = o; next = new TorchState(h, null);
                    break;
                }
            case RNN rnn:
                {
                    var (o, h) = rnn.call(x, state?.H);
                    output = o; next = new TorchState(h, null);
                    break;
                }
            default: throw new InvalidOperationException("unreachable");
        }
        var logits = head.call(dropout.call(output));                      // (B, T, V)
        return (logits.MoveToOuterDisposeScope(), new TorchState(next.H.MoveToOuterDisposeScope(), next.C?.MoveToOuterDisposeScope()));
    }

    /// <summary>Multiply-accumulates per character of a forward pass (recurrent layers and head), for GFLOP/s figures.</summary>
    public static long MacsPerCharacter(ModelConfig config, int vocabularySize)
    {
        var gates = config.Cell switch { "lstm" => 4, "gru" => 3, _ => 1 };
        long macs = 0;
        for (var layer = 0; layer < config.Layers; layer++)
        {
            var input = layer == 0 ? config.Embedding : config.Hidden;
            macs += (long)gates * config.Hidden * (input + config.Hidden);
        }
        return macs + (long)config.Hidden * vocabularySize;
    }
}
