// The free-running metrics as a probe `charrnn train` calls at every validation (--eval-parse-rate): the
// current weights write a few samples, Roslyn scores them, and the parse rate and undefined identifiers per
// 1,000 characters join the validation's log line. Kept small by default so that it costs seconds, not minutes.
// It samples with the plain C# inference engine, apart from the training's tensors.
using CharRnnCode.Model;
using CharRnnCode.Model.Checkpoints;
using CharRnnCode.Scoring;

namespace CharRnnCode.Evaluation;

public static class TrainingProbe
{
    public static readonly FreeRunningOptions DefaultOptions = new() { SamplesPerTemperature = 8, SampleLength = 400, Temperatures = [0.8] };

    /// <summary>A probe for TrainRequest.ValidationProbe. Metric names carry the temperature when there are several.</summary>
    public static Func<Checkpoint, IReadOnlyDictionary<string, double>> ParseRate(FreeRunningOptions? options = null)
    {
        options ??= DefaultOptions;
        var scorer = new CSharpScorer();
        return checkpoint =>
        {
            using var model = new CheckpointModel(CharLanguageModel.FromCheckpoint(checkpoint, "cpu", engine: InferenceEngine.Plain));
            var result = FreeRunning.Evaluate(FreeRunning.From(model), options, scorer);
            return Flatten(result);
        };
    }

    public static IReadOnlyDictionary<string, double> Flatten(FreeRunningResult result)
    {
        var metrics = new Dictionary<string, double>();
        foreach (var t in result.Temperatures)
        {
            var suffix = result.Temperatures.Count == 1 ? "" : FormattableString.Invariant($"@{t.Temperature:0.0#}");
            metrics["parseRate" + suffix] = Math.Round(t.ParseRate, 4);
            metrics["parseToEndRate" + suffix] = Math.Round(t.ParseToEndRate, 4);
            metrics["syntaxErrorsPer1k" + suffix] = Math.Round(t.SyntaxErrorsPer1000, 3);
            metrics["undefinedPer1k" + suffix] = Math.Round(t.UndefinedPer1000, 3);
            metrics["bracketsBalanced" + suffix] = Math.Round(t.BracketBalanceRate, 4);
        }
        return metrics;
    }
}
