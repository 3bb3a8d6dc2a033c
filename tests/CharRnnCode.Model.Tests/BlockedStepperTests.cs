// The blocked plain step against the reference step on random weights: every cell, 1 to 3 layers,
// sizes that are not multiples of the vector width or of the 4-row tile, batches 1 to 9, rows skipped,
// on one thread and split across threads (the two the same to the bit); and a step that allocates
// nothing. It does not check the equations themselves (InferenceTests holds the plain step against
// TorchSharp's fused cells).
using CharRnnCode.Inference;

namespace CharRnnCode.Model.Tests;

public sealed class BlockedStepperTests
{
    private const float Tolerance = 1e-5f;
    private const int Embedding = 11, VocabularySize = 13, Steps = 4;

    public static TheoryData<string, int, int> SmallShapes()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var cell in new[] { "lstm", "gru", "rnn" })
            for (var layers = 1; layers <= 3; layers++)
                data.Add(cell, layers, 37);
        return data;
    }

    [Theory]
    [MemberData(nameof(SmallShapes))]
    public void The_blocked_step_agrees_with_the_reference_at_every_batch_size_from_1_to_9(string cell, int layers, int hidden)
    {
        for (var batch = 1; batch <= 9; batch++)
            AssertAgrees(cell, layers, hidden, batch);
    }

    [Theory]
    [InlineData("lstm", 2, 256, 1)]
    [InlineData("lstm", 2, 256, 8)]
    [InlineData("gru", 2, 256, 5)]
    [InlineData("lstm", 1, 512, 9)]
    [InlineData("rnn", 3, 512, 3)]
    [InlineData("lstm", 2, 300, 7)]       // rows of 300 columns: a tail of 4 after the vectors
    public void The_blocked_step_agrees_with_the_reference_at_model_sizes(string cell, int layers, int hidden, int batch) =>
        AssertAgrees(cell, layers, hidden, batch);

    [Fact]
    public void A_step_allocates_nothing_once_its_scratch_is_there()
    {
        var config = new ModelConfig { Cell = "lstm", Layers = 2, Hidden = 64, Embedding = Embedding };
        var parameters = RandomParameters(config, seed: 3);
        foreach (var options in new[] { new PlainStepperOptions { Threads = 1 }, new PlainStepperOptions { Threads = 2, SplitAtMultiplyAdds = 0 } })
        {
            using var stepper = new PlainRecurrentStepper(config, VocabularySize, name => parameters[name], options);
            var run = new Run(config, batch: 8, seed: 4);
            run.Step(stepper, 0);                                          // scratch and worker threads
            var before = GC.GetAllocatedBytesForCurrentThread();
            const int steps = 31;
            for (var t = 1; t <= steps; t++) run.Step(stepper, t);
            // Less than one object per step (the smallest is 24 bytes): waiting may create the wait's lock once, on the first wait that blocks.
            Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 24 * steps, $"{options}: {GC.GetAllocatedBytesForCurrentThread() - before} bytes allocated in {steps} steps");
        }
    }

    [Fact]
    public void Multiply_adds_per_step_count_the_products_a_step_computes()
    {
        // 2x256 LSTM, vocabulary 100: W_hh of both layers 2 x 1024 x 256, W_ih of the second 1024 x 256, the head 100 x 256.
        var config = new ModelConfig { Cell = "lstm", Layers = 2, Hidden = 256, Embedding = 64 };
        Assert.Equal(3L * 1024 * 256 + 100 * 256, PlainRecurrentStepper.MultiplyAddsPerStep(config, 100));
    }

    /// <summary>Reference, blocked on one thread, and blocked split across two threads (at any size), stepped side by side from the same state.</summary>
    private static void AssertAgrees(string cell, int layers, int hidden, int batch)
    {
        var config = new ModelConfig { Cell = cell, Layers = layers, Hidden = hidden, Embedding = Embedding };
        var parameters = RandomParameters(config, seed: hidden * 31 + layers);
        using var reference = new ReferenceRecurrentStepper(config, VocabularySize, name => parameters[name]);
        using var single = new PlainRecurrentStepper(config, VocabularySize, name => parameters[name], new PlainStepperOptions { Threads = 1 });
        using var split = new PlainRecurrentStepper(config, VocabularySize, name => parameters[name], new PlainStepperOptions { Threads = 2, SplitAtMultiplyAdds = 0 });
        var expected = new Run(config, batch, seed: batch);
        var runs = new[] { new Run(config, batch, seed: batch), new Run(config, batch, seed: batch) };
        for (var t = 0; t < Steps; t++)
        {
            expected.Step(reference, t);
            runs[0].Step(single, t);
            runs[1].Step(split, t);
            // A split step computes every output with the same tiles, in the same order, as a step on one thread.
            Assert.Equal(runs[0].Logits, runs[1].Logits);
            foreach (var run in runs)
            {
                var where = $"{cell} {layers}x{hidden}, batch {batch}, step {t}";
                AssertClose(expected.Logits, run.Logits, where + ", logits");
                for (var l = 0; l < layers; l++)
                {
                    AssertClose(expected.H[l], run.H[l], $"{where}, h of layer {l}");
                    if (expected.C is not null) AssertClose(expected.C[l], run.C![l], $"{where}, c of layer {l}");
                }
            }
        }
    }

    private static void AssertClose(float[] expected, float[] actual, string where)
    {
        var worst = 0f;
        for (var i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= Tolerance, $"{where}: max abs difference {worst:E2} > {Tolerance:E0}");
    }

    /// <summary>One batch's tokens, skip masks, state and logits: the same sequence of inputs for every stepper it drives.</summary>
    private sealed class Run
    {
        private readonly int[][] _tokens;
        private readonly bool[][] _skips;

        public float[][] H { get; }
        public float[][]? C { get; }
        public float[] Logits { get; }

        public Run(ModelConfig config, int batch, int seed)
        {
            var random = new Random(seed);
            _tokens = Enumerable.Range(0, 33).Select(_ => Enumerable.Range(0, batch).Select(_ => random.Next(VocabularySize)).ToArray()).ToArray();
            // Step 0 runs every row; later steps skip a third of them, a different third each time (never all of a batch of 1).
            _skips = Enumerable.Range(0, 33).Select(t => Enumerable.Range(0, batch).Select(b => t > 0 && batch > 1 && (b + t) % 3 == 0).ToArray()).ToArray();
            H = Enumerable.Range(0, config.Layers).Select(_ => RandomValues(random, batch * config.Hidden, 0.5f)).ToArray();
            C = config.Cell == "lstm" ? Enumerable.Range(0, config.Layers).Select(_ => RandomValues(random, batch * config.Hidden, 1f)).ToArray() : null;
            Logits = RandomValues(random, batch * VocabularySize, 1f);   // skipped rows must keep these
        }

        public void Step(IRecurrentStepper stepper, int t) => stepper.Step(_tokens[t], H, C, Logits, _skips[t]);
    }

    /// <summary>Weights named as a checkpoint names them, uniform in ±1.5/sqrt(hidden): larger than PyTorch's initialisation, so the gates saturate somewhere.</summary>
    private static Dictionary<string, float[]> RandomParameters(ModelConfig config, int seed)
    {
        var random = new Random(seed);
        var scale = 1.5f / MathF.Sqrt(config.Hidden);
        var rows = (config.Cell switch { "lstm" => 4, "gru" => 3, _ => 1 }) * config.Hidden;
        var parameters = new Dictionary<string, float[]>
        {
            ["embedding.weight"] = RandomValues(random, VocabularySize * config.Embedding, 1f),
            ["head.weight"] = RandomValues(random, VocabularySize * config.Hidden, scale),
            ["head.bias"] = RandomValues(random, VocabularySize, scale),
        };
        for (var l = 0; l < config.Layers; l++)
        {
            var input = l == 0 ? config.Embedding : config.Hidden;
            parameters[$"recurrent.weight_ih_l{l}"] = RandomValues(random, rows * input, scale);
            parameters[$"recurrent.weight_hh_l{l}"] = RandomValues(random, rows * config.Hidden, scale);
            parameters[$"recurrent.bias_ih_l{l}"] = RandomValues(random, rows, scale);
            parameters[$"recurrent.bias_hh_l{l}"] = RandomValues(random, rows, scale);
        }
        return parameters;
    }

    private static float[] RandomValues(Random random, int count, float scale) =>
        Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2 - 1) * scale).ToArray();
}
