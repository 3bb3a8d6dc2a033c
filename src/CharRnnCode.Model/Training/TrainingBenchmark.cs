// Measures training and sampling speed of standard model shapes against this machine's own float32
// matrix-multiply rate, measured in the same process: the ratio says how close the recurrent
// training gets to what the hardware does on plain GEMM. Medians of short runs, because the machine
// may be shared. It does not pick settings; the command line reports and the README records them.
using System.Diagnostics;
using CharRnnCode.Common;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Runtime;
using static TorchSharp.torch;

namespace CharRnnCode.Model.Training;

public sealed record BenchmarkOptions
{
    public IReadOnlyList<(int Layers, int Hidden)> Shapes { get; init; } = [(1, 128), (2, 256), (2, 512), (3, 512)];
    public int BatchSize { get; init; } = 50;
    public int SeqLength { get; init; } = 50;
    public int Embedding { get; init; } = 64;
    public int VocabularySize { get; init; } = 100;
    /// <summary>Timed training steps per model (after one untimed warm-up step).</summary>
    public int TrainSteps { get; init; } = 5;
    /// <summary>Characters generated per sample in the sampling measurement.</summary>
    public int SampleChars { get; init; } = 200;
    /// <summary>Timed repetitions of the matrix multiply.</summary>
    public int MatmulRepeats { get; init; } = 5;
    public int MatmulSize { get; init; } = 1024;
}

/// <summary>One model shape's training and sampling speeds; every figure is named where it is set (an object initializer).</summary>
public sealed record ModelBenchmark
{
    public string Shape { get; init; } = "";
    public long Parameters { get; init; }
    public double MatmulGflops { get; init; }
    public double TrainCharsPerSecond { get; init; }
    public double TrainGflops { get; init; }
    public double RatioToMatmul { get; init; }
    /// <summary>Sampling rate in characters a second, batch 1, plain stepper; the next three: batch 8, and both with TorchSharp.</summary>
    public double SampleBatch1Plain { get; init; }
    public double SampleBatch8Plain { get; init; }
    public double SampleBatch1Torch { get; init; }
    public double SampleBatch8Torch { get; init; }
    public double PeakMemoryMiB { get; init; }
    /// <summary>Multiply-adds of one sampling step for one sequence, the arithmetic the sampling GFLOP/s count.</summary>
    public long StepMultiplyAdds { get; init; }
    /// <summary>The batch-8 rate over the batch-1 rate: 1 where batch 8 costs 8 batch-1 steps, 8 where it costs one.</summary>
    public double SampleBatch8OverBatch1Plain { get; init; }
    public double SampleBatch8OverBatch1Torch { get; init; }
    /// <summary>The sampling rate's GFLOP/s (2 x StepMultiplyAdds a character) over MatmulGflops; the next three likewise.</summary>
    public double SampleOfMatmulPlain1 { get; init; }
    public double SampleOfMatmulPlain8 { get; init; }
    public double SampleOfMatmulTorch1 { get; init; }
    public double SampleOfMatmulTorch8 { get; init; }
}

public sealed record BenchmarkReport(string OmpWaitPolicy, int Threads, IReadOnlyList<ModelBenchmark> Models);

public static class TrainingBenchmark
{
    public static BenchmarkReport Run(BenchmarkOptions options, int threads, Action<string>? log = null)
    {
        log ??= _ => { };
        TorchRuntime.Initialize(threads);
        var models = new List<ModelBenchmark>();
        foreach (var (layers, hidden) in options.Shapes)
        {
            ResetPeakMemory();
            var config = new ModelConfig { Cell = "lstm", Layers = layers, Hidden = hidden, Embedding = options.Embedding };
            // The baseline is measured beside each model, so that both see the same load on a shared machine:
            // the median of GEMM runs just before and just after the training steps.
            var matmulBefore = MatmulRates(options);
            var (charsPerSecond, checkpoint, parameters) = TrainSpeed(config, options);
            var matmul = Median.Of([.. matmulBefore, .. MatmulRates(options)]);
            // Forward and backward: 2 FLOPs per multiply-accumulate, backward about twice the forward.
            var gflops = 6.0 * CharRnnNetwork.MacsPerCharacter(config, options.VocabularySize) * charsPerSecond / 1e9;
            var plain1 = SampleSpeed(checkpoint, StepperChoice.Plain, 1, options.SampleChars, threads);
            var plain8 = SampleSpeed(checkpoint, StepperChoice.Plain, 8, options.SampleChars, threads);
            var torch1 = SampleSpeed(checkpoint, StepperChoice.Torch, 1, options.SampleChars, threads);
            var torch8 = SampleSpeed(checkpoint, StepperChoice.Torch, 8, options.SampleChars, threads);
            // Sampling is held against two bounds: batch 8 against 8 batch-1 steps, and its arithmetic against the matmul rate.
            var stepMultiplyAdds = PlainRecurrentStepper.MultiplyAddsPerStep(config, options.VocabularySize);
            double OfMatmul(double sampleCharsPerSecond) => 2.0 * stepMultiplyAdds * sampleCharsPerSecond / 1e9 / matmul;
            var model = new ModelBenchmark
            {
                Shape = config.Shape,
                Parameters = parameters,
                MatmulGflops = matmul,
                TrainCharsPerSecond = charsPerSecond,
                TrainGflops = gflops,
                RatioToMatmul = gflops / matmul,
                SampleBatch1Plain = plain1,
                SampleBatch8Plain = plain8,
                SampleBatch1Torch = torch1,
                SampleBatch8Torch = torch8,
                PeakMemoryMiB = PeakMemoryMiB(),
                StepMultiplyAdds = stepMultiplyAdds,
                SampleBatch8OverBatch1Plain = plain8 / plain1,
                SampleBatch8OverBatch1Torch = torch8 / torch1,
                SampleOfMatmulPlain1 = OfMatmul(plain1),
                SampleOfMatmulPlain8 = OfMatmul(plain8),
                SampleOfMatmulTorch1 = OfMatmul(torch1),
                SampleOfMatmulTorch8 = OfMatmul(torch8),
            };
            log($"{model.Shape}: matmul {matmul:0.0} GFLOP/s; training {charsPerSecond:N0} chars/s, {gflops:0.0} GFLOP/s ({gflops / matmul:0.00} of matmul); " +
                $"sampling b1 {plain1:N0} ({model.SampleOfMatmulPlain1:0.00} of matmul) / b8 {plain8:N0} chars/s ({model.SampleBatch8OverBatch1Plain:0.0}x b1, {model.SampleOfMatmulPlain8:0.00} of " +
                    $"matmul) (plain), " +
                $"{torch1:N0} ({model.SampleOfMatmulTorch1:0.00}) / {torch8:N0} ({model.SampleBatch8OverBatch1Torch:0.0}x b1, {model.SampleOfMatmulTorch8:0.00}) (torch)");
            models.Add(model);
        }
        var policy = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is { Length: > 0 } p ? p : "unset";
        return new BenchmarkReport(policy, threads, models);
    }

    /// <summary>Median float32 GEMM rate, GFLOP/s.</summary>
    public static double MatmulGflops(BenchmarkOptions options) => Median.Of(MatmulRates(options));

    /// <summary>float32 GEMM rates of MatmulRepeats timed multiplies, GFLOP/s each.</summary>
    public static List<double> MatmulRates(BenchmarkOptions options)
    {
        var n = options.MatmulSize;
        using var a = randn(n, n);
        using var b = randn(n, n);
        using (var warm = matmul(a, b)) { }
        var times = new List<double>();
        for (var i = 0; i < options.MatmulRepeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var c = matmul(a, b);
            times.Add(2.0 * n * n * n / clock.Elapsed.TotalSeconds / 1e9);
        }
        return times;
    }

    private static (double CharsPerSecond, Checkpoint Checkpoint, long Parameters) TrainSpeed(ModelConfig config, BenchmarkOptions options)
    {
        manual_seed(1);
        using var network = new CharRnnNetwork(config, options.VocabularySize);
        var parameters = network.parameters().ToList();
        using var optimizer = optim.Adam(parameters, 1e-3);
        using var input = randint(0, options.VocabularySize, [options.BatchSize, options.SeqLength]);      // (B, T)
        using var target = randint(0, options.VocabularySize, [options.BatchSize, options.SeqLength]);     // (B, T)
        TorchState? state = null;
        var times = new List<double>();
        for (var step = 0; step <= options.TrainSteps; step++)
        {
            var clock = Stopwatch.StartNew();
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                var (logits, next) = network.call(input, state);
                var loss = nn.functional.cross_entropy(logits.reshape(-1, options.VocabularySize), target.reshape(-1));
                loss.backward();
                ScalarSafeRegion.Run(() =>
                {
                    nn.utils.clip_grad_norm_(parameters, 5.0);
                    optimizer.step();
                });
                state?.Dispose();
                state = next.Detach();
                state.H.MoveToOuterDisposeScope();
                state.C?.MoveToOuterDisposeScope();
            }
            if (step > 0) times.Add(clock.Elapsed.TotalSeconds);       // step 0 warms up allocators and optimizer state
        }
        state?.Dispose();
        var vocabulary = Vocabulary.FromCharacters(Enumerable.Range(32, options.VocabularySize - 1).Select(i => (char)i));
        var checkpoint = new Checkpoint(new CheckpointInfo
        {
            Config = new RunConfig(config, new TrainConfig()), Vocabulary = vocabulary.Serialize(), Progress = new TrainingProgress(), Kind = "benchmark",
        }, TorchCheckpointTensors.ParameterEntries(network).ToDictionary());
        return (options.BatchSize * options.SeqLength / Median.Of(times), checkpoint, parameters.Sum(p => p.numel()));
    }

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(0.5);

    private static double SampleSpeed(Checkpoint checkpoint, StepperChoice stepper, int batch, int chars, int threads)
    {
        using var model = CharLanguageModel.FromCheckpoint(checkpoint, "cpu", threads, stepper);
        var state = model.Advance(model.InitialState(), "public ");
        // K distinct sequences, as the peer computes: sharing equal prefixes would skip rows and flatter the rate.
        // Untimed runs first, as the PyTorch peer's first steps are: the JIT compiles the sampling loop quickly
        // at first and optimises it once it has run hot, which a short timed run would otherwise measure.
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < WarmUp;)
            model.Generate(state, new GenerationOptions(batch, chars, 1.0, Seed: -1, SharePrefixes: false), CancellationToken.None);
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            model.Generate(state, new GenerationOptions(batch, chars, 1.0, Seed: i, SharePrefixes: false), CancellationToken.None);
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return batch * chars / Median.Of(times);
    }


    // Linux: writing 5 to clear_refs resets the peak resident set size (VmHWM), so each model gets its own peak.
    private static void ResetPeakMemory()
    {
        try { File.WriteAllText("/proc/self/clear_refs", "5"); } catch (Exception error) when (error is IOException or UnauthorizedAccessException) { }
    }

    private static double PeakMemoryMiB()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch (IOException) { }
        return Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024.0);
    }
}
