// The parameters a configuration and a vocabulary imply, by their TorchSharp names, with their shapes:
// what a checkpoint must hold for inference to read it. The plain steppers' kernels load weights with
// unchecked vector loads, so a weight shorter than its shape says would be read past its end; every
// parameter is checked against this before any kernel sees it. All sizes are computed with checked
// arithmetic and must fit in one array, so a configuration read from a file cannot wrap a product round.
using CharRnnCode.Inference.Checkpoints;

namespace CharRnnCode.Inference;

public sealed record ParameterShape(string Name, long[] Shape)
{
    public long Elements => ParameterShapes.Elements(Shape);

    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}

public static class ParameterShapes
{
    /// <summary>Ids a vocabulary may have: every UTF-16 code unit, and the unknown id.</summary>
    public const int MaxVocabulary = char.MaxValue + 2;

    /// <summary>The product of <paramref name="shape"/>'s dimensions; an OverflowException past long.</summary>
    public static long Elements(IEnumerable<long> shape) => shape.Aggregate(1L, (product, dimension) => checked(product * dimension));

    /// <summary>
    /// Every parameter of a <paramref name="config"/> model over <paramref name="vocabularySize"/> ids. A
    /// CheckpointException when the configuration is invalid or a parameter (or the first layer's per-character
    /// table, V x gate rows, which the plain steppers build) would not fit in one array.
    /// </summary>
    public static IReadOnlyList<ParameterShape> For(ModelConfig config, int vocabularySize)
    {
        try { config.Validate(); }
        catch (Common.UserError error) { throw new CheckpointException($"the model's configuration is invalid: {error.Message}"); }
        if (vocabularySize is < 2 or > MaxVocabulary)
            throw new CheckpointException($"the vocabulary has {vocabularySize} ids; a model needs from 2 to {MaxVocabulary} (the unknown id and at least one character).");
        var rows = checked((long)CellEquations.Gates(config.Cell) * config.Hidden);
        long v = vocabularySize, e = config.Embedding, h = config.Hidden;
        var shapes = new List<ParameterShape> { new("embedding.weight", [v, e]) };
        for (var l = 0; l < config.Layers; l++)
        {
            shapes.Add(new($"recurrent.weight_ih_l{l}", [rows, l == 0 ? e : h]));
            shapes.Add(new($"recurrent.weight_hh_l{l}", [rows, h]));
            shapes.Add(new($"recurrent.bias_ih_l{l}", [rows]));
            shapes.Add(new($"recurrent.bias_hh_l{l}", [rows]));
        }
        shapes.Add(new("head.weight", [v, h]));
        shapes.Add(new("head.bias", [v]));
        foreach (var shape in shapes.Append(new ParameterShape("the first layer's input table", [v, rows])))
        {
            long elements;
            try { elements = shape.Elements; }
            catch (OverflowException) { elements = long.MaxValue; }
            if (elements > Array.MaxLength)
                throw new CheckpointException($"the model ({config.Shape}, embedding {config.Embedding}, vocabulary {vocabularySize}) is too large to run: {shape} has more values than one array " +
                    $"holds.");
        }
        return shapes;
    }

    /// <summary>
    /// <paramref name="values"/> if it has exactly the values <paramref name="shape"/> implies; otherwise a
    /// CheckpointException that names the parameter, what it holds and what was expected.
    /// </summary>
    public static float[] Checked(ParameterShape shape, float[] values, string describe)
    {
        if (values.LongLength != shape.Elements)
            throw new CheckpointException($"the checkpoint's parameter {shape.Name} has {values.LongLength} values, but its configuration ({describe}) implies [{string.Join(", ", shape.Shape)}] = " +
                $"{shape.Elements}; the file is damaged or does not match its configuration.");
        return values;
    }

    /// <summary>"lstm 2x256, embedding 64, vocabulary 97": what a shape mismatch is measured against.</summary>
    public static string Describe(ModelConfig config, int vocabularySize) =>
        $"{config.Shape}, embedding {config.Embedding}, vocabulary {vocabularySize}";
}
