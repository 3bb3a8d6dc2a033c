// The weights both plain steppers read, taken from a checkpoint's parameters by name, with the first
// layer's input side precomputed per character (the input is an embedding row, so W_ih0 x + b_ih0 is
// one of V rows), each checked against the shape the configuration implies (ParameterShapes). It holds
// arrays only: no stepping, no state.
using System.Numerics.Tensors;

namespace CharRnnCode.Inference;

internal sealed class RecurrentWeights
{
    public sealed record Layer(float[] WeightIh, float[] WeightHh, float[] BiasIh, float[] BiasHh, int Input);

    public Layer[] Layers { get; }
    /// <summary>(V, G*H): W_ih0 · embedding[v] + b_ih0.</summary>
    public float[] FirstLayerInput { get; }
    /// <summary>(V, H).</summary>
    public float[] HeadWeight { get; }
    /// <summary>(V).</summary>
    public float[] HeadBias { get; }
    public int Gates { get; }
    public int Hidden { get; }
    /// <summary>Gate rows of a layer: G*H.</summary>
    public int Rows => Gates * Hidden;

    public RecurrentWeights(ModelConfig config, int vocabularySize, Func<string, float[]> parameter)
    {
        // The kernels read these arrays with unchecked vector loads: each must hold exactly what its shape says.
        var shapes = ParameterShapes.For(config, vocabularySize).ToDictionary(s => s.Name);
        var describe = ParameterShapes.Describe(config, vocabularySize);
        float[] Take(string name) => ParameterShapes.Checked(shapes[name], parameter(name), describe);
        Hidden = config.Hidden;
        Gates = CellEquations.Gates(config.Cell);
        Layers = new Layer[config.Layers];
        for (var l = 0; l < config.Layers; l++)
            Layers[l] = new Layer(Take($"recurrent.weight_ih_l{l}"), Take($"recurrent.weight_hh_l{l}"),
                Take($"recurrent.bias_ih_l{l}"), Take($"recurrent.bias_hh_l{l}"), l == 0 ? config.Embedding : config.Hidden);
        HeadWeight = Take("head.weight");
        HeadBias = Take("head.bias");

        var embedding = Take("embedding.weight");                       // (V, E)
        FirstLayerInput = new float[vocabularySize * Rows];
        var weight = Layers[0].WeightIh.AsSpan();
        for (var v = 0; v < vocabularySize; v++)
        {
            var x = embedding.AsSpan(v * config.Embedding, config.Embedding);
            for (var r = 0; r < Rows; r++)
                FirstLayerInput[v * Rows + r] = TensorPrimitives.Dot(weight.Slice(r * config.Embedding, config.Embedding), x) + Layers[0].BiasIh[r];
        }
    }
}
