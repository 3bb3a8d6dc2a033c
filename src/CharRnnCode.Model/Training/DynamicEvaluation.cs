// Dynamic evaluation (Krause et al. 2017, 2018): a copy of the weights takes gradient steps on the text it has
// just read, so the model follows the project it is used on without a training run. Two uses:
// - Loss: the test split read file by file in segments; each segment is scored with the weights as they are,
//   then one step is taken on it (the weights carry over from file to file, as a workspace's copy would). The
//   scores are the per-character log-probabilities `charrnn eval` reports and mixes with the workspace cache.
// - Adapt: steps on a workspace's text (its files, in streams) for a time budget; the adapted weights are
//   returned as an inference-only checkpoint for `charrnn adapt`, which the language server runs in the
//   background and whose file it loads (the server itself never loads TorchSharp).
// The optimiser is Adam at a tenth of the run's own learning rate, gradients clipped as the run clipped them:
// nothing here is fitted to a repository. It writes no file.
using System.Diagnostics;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Runtime;
using static TorchSharp.torch;

namespace CharRnnCode.Model.Training;

/// <param name="SegmentChars">characters scored between two steps (Loss) and per window (Adapt)</param>
/// <param name="LearningRateScale">the step size, as a share of the run's learning rate</param>
/// <param name="Streams">streams of workspace text stepped through side by side (Adapt)</param>
public sealed record DynamicEvaluationOptions(int SegmentChars = 64, double LearningRateScale = 0.1, int Streams = 16);

public sealed class DynamicEvaluation : IDisposable
{
    private readonly Checkpoint _checkpoint;
    private readonly CharRnnNetwork _network;
    private readonly optim.Optimizer _optimizer;
    private readonly IList<TorchSharp.Modules.Parameter> _parameters;
    private readonly DynamicEvaluationOptions _options;
    private readonly Vocabulary _vocabulary;

    public DynamicEvaluation(Checkpoint checkpoint, DynamicEvaluationOptions? options = null, int? threads = null)
    {
        TorchRuntime.Initialize(threads);
        _checkpoint = checkpoint;
        _options = options ?? new DynamicEvaluationOptions();
        _vocabulary = checkpoint.Vocabulary;
        _network = new CharRnnNetwork(checkpoint.Info.Config.Model, _vocabulary.Size);
        TorchCheckpointTensors.LoadParameters(_network, checkpoint);
        _network.eval(); // no dropout: the steps adapt the weights the server serves
        _parameters = [.. _network.parameters()];
        _optimizer = optim.Adam(_parameters, checkpoint.Info.Config.Train.LearningRate * _options.LearningRateScale);
    }

    /// <summary>Steps taken so far.</summary>
    public long Steps { get; private set; }

    /// <summary>
    /// log p(text[i] | text[..i]) (natural log) for one file read from the start of a file (after a line break, as the
    /// inference model starts), a step taken after each segment; the weights stay adapted for the next file.
    /// </summary>
    public double[] CharacterLogProbabilities(string text, CancellationToken cancellationToken = default)
    {
        var result = new double[text.Length];
        var ids = _vocabulary.Encode(CharLanguageModel.ContextStart + text);   // the inputs: the start, then each character
        TorchState? state = null;
        for (var start = 0; start < text.Length; start += _options.SegmentChars)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var length = Math.Min(_options.SegmentChars, text.Length - start);
            using var scope = NewDisposeScope();
            var input = tensor(ids.AsSpan(start, length).ToArray().Select(id => (long)id).ToArray(), [1, length]);   // (1, T)
            var target = tensor(ids.AsSpan(start + 1, length).ToArray().Select(id => (long)id).ToArray(), [1, length]); // (1, T)
            var (logits, next) = _network.call(input, state);                                                            // (1, T, V)
            var logProbabilities = nn.functional.log_softmax(logits, -1).gather(-1, target.unsqueeze(-1)).reshape(length); // (T)
            var scores = logProbabilities.data<float>().ToArray();
            for (var i = 0; i < length; i++) result[start + i] = scores[i];
            Step(-logProbabilities.mean());
            state?.Dispose();
            state = next.Detach();
            state.H.MoveToOuterDisposeScope();
            state.C?.MoveToOuterDisposeScope();
        }
        state?.Dispose();
        return result;
    }

    /// <summary>Steps on <paramref name="text"/> (a workspace's files, joined) in streams, until one pass or the budget is done.</summary>
    /// <returns>the mean loss (nats per character) of the windows stepped on, as each was read before its step</returns>
    public double Adapt(string text, TimeSpan budget, Action<double>? fractionDone = null, CancellationToken cancellationToken = default)
    {
        var streams = new TextStreams(_vocabulary.Encode(text), _options.Streams, _options.SegmentChars);
        var clock = Stopwatch.StartNew();
        TorchState? state = null;
        double total = 0;
        var windows = 0;
        for (var k = 0; k < streams.BatchesPerEpoch && clock.Elapsed < budget; k++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var (input, target) = streams.Batch(k, CPU);
            var (logits, next) = _network.call(input, state);                                                        // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.reshape(-1, _vocabulary.Size), target.reshape(-1));
            total += loss.item<float>();
            windows++;
            Step(loss);
            state?.Dispose();
            state = next.Detach();
            state.H.MoveToOuterDisposeScope();
            state.C?.MoveToOuterDisposeScope();
            fractionDone?.Invoke(Math.Max((k + 1.0) / streams.BatchesPerEpoch, clock.Elapsed / budget));
        }
        state?.Dispose();
        return windows == 0 ? double.NaN : total / windows;
    }

    /// <summary>The adapted weights as an inference-only checkpoint, with the run's facts.</summary>
    public Checkpoint ToCheckpoint()
    {
        var entries = TorchCheckpointTensors.ParameterEntries(_network).ToDictionary(entry => entry.Key, entry => entry.Value);
        return CheckpointExport.WeightsOnly(_checkpoint with { Entries = entries });
    }

    private void Step(Tensor loss)
    {
        _optimizer.zero_grad();
        loss.backward();
        var clip = _checkpoint.Info.Config.Train.GradClip;
        if (clip > 0) nn.utils.clip_grad_norm_(_parameters, clip);
        _optimizer.step();
        Steps++;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _network.Dispose();
    }
}
