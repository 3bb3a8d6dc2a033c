// Inference: the plain C# step against TorchSharp's fused cells, state carry-over, the sampler's
// determinism and argmax limit, and live-tensor counts over many training and sampling steps.
using CharRnnCode.Cli;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Runtime;
using CharRnnCode.Model.Training;
using CharRnnCode.TestSupport;
using TorchSharp;
using static TorchSharp.torch;

namespace CharRnnCode.Model.Tests;

public sealed class InferenceTests
{
    private const float Tolerance = 1e-5f;

    [Theory]
    [InlineData("lstm")]
    [InlineData("gru")]
    [InlineData("rnn")]
    public void The_plain_step_agrees_with_TorchSharps_fused_cells_on_a_batch_of_sequences(string cell)
    {
        TorchRuntime.Initialize(threads: 1);
        torch.manual_seed(11);
        var config = new ModelConfig { Cell = cell, Layers = 2, Hidden = 12, Embedding = 5 };
        const int vocabularySize = 9, batch = 3, steps = 7;
        using var network = new CharRnnNetwork(config, vocabularySize);
        network.eval();
        var parameters = TorchCheckpointTensors.ParameterEntries(network).ToDictionary(e => e.Key[Checkpoint.ParameterPrefix.Length..], e => e.Value.ToFloats());
        using var plain = new PlainRecurrentStepper(config, vocabularySize, name => parameters[name]);

        var ids = new long[batch * steps];
        for (var i = 0; i < ids.Length; i++) ids[i] = (i * 7 + i / 3) % vocabularySize;
        float[] expected;                                                        // (B, T, V)
        using (no_grad())
        {
            var (logits, state) = network.call(tensor(ids, [batch, steps]), null);
            expected = logits.data<float>().ToArray();
            state.Dispose();
            logits.Dispose();
        }

        // The plain step, one character at a time, with its state carried over between calls.
        var h = Enumerable.Range(0, config.Layers).Select(_ => new float[batch * config.Hidden]).ToArray();
        var c = cell == "lstm" ? Enumerable.Range(0, config.Layers).Select(_ => new float[batch * config.Hidden]).ToArray() : null;
        var stepLogits = new float[batch * vocabularySize];
        for (var t = 0; t < steps; t++)
        {
            var tokens = Enumerable.Range(0, batch).Select(b => (int)ids[b * steps + t]).ToArray();
            plain.Step(tokens, h, c, stepLogits);
            for (var b = 0; b < batch; b++)
                for (var v = 0; v < vocabularySize; v++)
                    Assert.Equal(expected[(b * steps + t) * vocabularySize + v], stepLogits[b * vocabularySize + v], Tolerance);
        }
    }

    [Fact]
    public void Both_steppers_give_the_same_probabilities_activations_and_samples()
    {
        var checkpoint = Checkpoint.Load(SharedTinyModel.Files.BestCheckpoint);
        using var plain = CharLanguageModel.FromCheckpoint(checkpoint, "cpu", 1, StepperChoice.Plain);
        using var native = CharLanguageModel.FromCheckpoint(checkpoint, "cpu", 1, StepperChoice.Torch);
        Assert.Equal("plain", plain.StepperName);
        Assert.StartsWith("torch", native.StepperName);

        var text = "public void Add(int value)";
        AssertClose(plain.CharacterLogProbabilities(text), native.CharacterLogProbabilities(text));
        var plainCells = plain.CellActivations(text, 0);
        var nativeCells = native.CellActivations(text, 0);
        Assert.Equal(plainCells.GetLength(0), text.Length);
        for (var t = 0; t < text.Length; t++)
            for (var j = 0; j < plainCells.GetLength(1); j++)
                Assert.Equal(plainCells[t, j], nativeCells[t, j], Tolerance);

        var options = new GenerationOptions(Count: 4, MaxChars: 40, Temperature: 0.7, Seed: 5);
        var a = plain.Generate(plain.Advance(plain.InitialState(), "public "), options, CancellationToken.None);
        var b = native.Generate(native.Advance(native.InitialState(), "public "), options, CancellationToken.None);
        Assert.Equal(a.Select(x => x.Text), b.Select(x => x.Text));
        AssertClose(a.Select(x => x.LogProbability).ToArray(), b.Select(x => x.LogProbability).ToArray(), 1e-3);
    }

    [Fact]
    public void The_state_carries_over_between_calls_and_is_an_immutable_snapshot()
    {
        using var model = CharLanguageModel.Load(SharedTinyModel.Files.BestCheckpoint);
        var start = model.InitialState();
        var whole = model.Advance(start, "public static");
        var half = model.Advance(start, "public ");
        var halves = model.Advance(half, "static");
        Assert.Equal(model.NextLogProbabilities(whole), model.NextLogProbabilities(halves));
        Assert.Equal(13, halves.Length);
        // Advancing from a state leaves it as it was.
        var again = model.Advance(start, "public ");
        Assert.Equal(model.NextLogProbabilities(half), model.NextLogProbabilities(again));
        // CharacterLogProbabilities reads the same distributions.
        var logs = model.CharacterLogProbabilities("public statics");
        Assert.Equal(model.NextLogProbabilities(whole)[model.Vocabulary.Encode('s')], logs[^1], 1e-6);
        var next = model.NextLogProbabilities(whole);
        Assert.Equal(1.0, next.Sum(p => Math.Exp(p)), 1e-4);
    }

    [Fact]
    public void The_trained_model_writes_what_it_learned_and_a_temperature_near_zero_equals_argmax()
    {
        using var model = CharLanguageModel.Load(SharedTinyModel.Files.BestCheckpoint);
        // Its corpus writes Console. only as Console.WriteLine(...).
        var state = model.Advance(model.InitialState(), "        public void Add(int value)\n        {\n            total = total + value;\n            Console.Wri");
        var argmax = model.Generate(state, new GenerationOptions(1, 30, 1.0, Argmax: true), CancellationToken.None).Single();
        var cold = model.Generate(state, new GenerationOptions(3, 30, 1e-6, Seed: 1), CancellationToken.None);
        Assert.All(cold, c => Assert.Equal(argmax.Text, c.Text));
        Assert.StartsWith("teLine(", argmax.Text);
    }

    [Theory]
    [InlineData(StepperChoice.Plain)]
    [InlineData(StepperChoice.Reference)]
    public void Candidates_that_share_a_prefix_share_its_steps_and_come_out_exactly_as_when_computed_apart(StepperChoice stepper)
    {
        using var model = CharLanguageModel.FromCheckpoint(Checkpoint.Load(SharedTinyModel.Files.BestCheckpoint), "cpu", threads: 1, stepper);
        var state = model.Advance(model.InitialState(), "        public void Add(int value)\n        {\n");
        var options = new GenerationOptions(Count: 8, MaxChars: 80, Temperature: 0.8, TopP: 0.95, Seed: 5, Stop: text => text.EndsWith('\n'));

        var (steps, rows) = (model.GeneratedSteps, model.GeneratedRows);
        var apart = model.Generate(state, options with { SharePrefixes = false }, CancellationToken.None);
        var (apartSteps, apartRows) = (model.GeneratedSteps - steps, model.GeneratedRows - rows);
        (steps, rows) = (model.GeneratedSteps, model.GeneratedRows);
        var shared = model.Generate(state, options, CancellationToken.None);
        var (sharedSteps, sharedRows) = (model.GeneratedSteps - steps, model.GeneratedRows - rows);

        Assert.Equal(apart, shared);                        // same texts, same log-probabilities to the bit, same stops
        Assert.Equal(apartSteps, sharedSteps);
        Assert.True(apart.Select(c => c.Text).Distinct().Count() > 1, "the seed should give candidates that differ");
        Assert.InRange(sharedRows, sharedSteps, apartRows - 1);   // at least one row a step; fewer than apart
        Assert.True(apartRows > apartSteps, "apart, more than one row a step");

        // Argmax candidates are one sequence: one row a step.
        (steps, rows) = (model.GeneratedSteps, model.GeneratedRows);
        var argmax = model.Generate(state, options with { Argmax = true }, CancellationToken.None);
        Assert.Single(argmax.Select(c => c.Text).Distinct());
        Assert.Equal(model.GeneratedSteps - steps, model.GeneratedRows - rows);
    }

    [Fact]
    public void The_sampler_is_deterministic_for_a_seed_and_honours_stop_top_k_and_cancellation()
    {
        using var model = CharLanguageModel.Load(SharedTinyModel.Files.BestCheckpoint);
        var state = model.InitialState();
        var options = new GenerationOptions(Count: 5, MaxChars: 60, Temperature: 1.5, TopP: 0.95, TopK: 10, Seed: 42);
        var first = model.Generate(state, options, CancellationToken.None);
        var second = model.Generate(state, options, CancellationToken.None);
        Assert.Equal(first, second);
        Assert.NotEqual(first, model.Generate(state, options with { Seed = 43 }, CancellationToken.None));
        Assert.All(first, c => Assert.Equal(60, c.Text.Length));

        var stopped = model.Generate(state, options with { Stop = text => text.EndsWith('\n') }, CancellationToken.None);
        Assert.All(stopped, c => Assert.True(c.Stopped ? c.Text.EndsWith('\n') && c.Text.IndexOf('\n') == c.Text.Length - 1 : c.Text.Length == 60));

        // Top-k 1 is argmax whatever the temperature.
        var argmax = model.Generate(state, options with { Argmax = true, Count = 1 }, CancellationToken.None).Single().Text;
        Assert.All(model.Generate(state, options with { TopK = 1, Temperature = 5 }, CancellationToken.None), c => Assert.Equal(argmax, c.Text));

        using var cancelled = new CancellationTokenSource();
        var streamed = 0;
        var partial = model.Generate(state, options with { OnCharacter = (_, _) => { if (++streamed == 5 * 10) cancelled.Cancel(); } }, cancelled.Token);
        Assert.All(partial, c => Assert.Equal(10, c.Text.Length));
    }

    [Fact]
    public void Live_tensors_stay_flat_over_many_training_and_sampling_steps()
    {
        TorchRuntime.Initialize(threads: 1);
        var live = new List<long>();
        Trainer.Run(new TrainRequest
        {
            Config = TestCorpus.Tiny("maxSteps=100", "evalInterval=25"),
            Corpus = CorpusInputs.ForTraining(TestCorpus.Write("leaks")),
            RunDirectory = TestCorpus.TemporaryDirectory("leaks-run"),
            Device = "cpu",
            Threads = 1,
        }, e => { if (e.Kind == TrainEventKind.Step) live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount); });
        // After the first steps (optimizer state is created lazily) the count must not grow.
        Assert.True(100 == live.Count, string.Join(",", live));
        Assert.Equal(live[10], live[^1]);
        Assert.Equal(live[10], live.Skip(10).Max());

        var checkpoint = Checkpoint.Load(SharedTinyModel.Files.BestCheckpoint);
        using var native = CharLanguageModel.FromCheckpoint(checkpoint, "cpu", 1, StepperChoice.Torch);
        var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        native.Generate(native.InitialState(), new GenerationOptions(4, 50, 1.0, Seed: 1), CancellationToken.None);
        native.CharacterLogProbabilities(TinyModelCorpus.CSharp(seed: 2, classes: 1));
        Assert.Equal(before, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], tolerance);
    }
}
