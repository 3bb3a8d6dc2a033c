// The free-running metrics as a probe `charrnn train` calls at every validation (--eval-parse-rate): the
// current weights write a few samples, the corpus language's scorer scores them (Roslyn for C#, libclang for C;
// see CorpusLanguage), and the parse rate and, for C#, undefined identifiers per 1,000 characters join the
// validation's log line. A corpus whose language has no scorer gets no metrics. Kept small by default so that it
// costs seconds, not minutes. It samples with the plain C# stepper, apart from the training's tensors.
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Scoring;

namespace CharRnnCode.Evaluation;

public static class TrainingProbe
{
    public static readonly FreeRunningOptions DefaultOptions = new() { SamplesPerTemperature = 8, SampleLength = 400, Temperatures = [0.8] };

    /// <summary>A probe for TrainRequest.ValidationProbe. Metric names carry the temperature when there are several.
    /// <paramref name="languages"/> (the training corpus's, see CorpusFolder.Languages) choose the scorer; without them, C#.</summary>
    public static Func<Checkpoint, IReadOnlyDictionary<string, double>> ParseRate(FreeRunningOptions? options = null, IReadOnlyList<string>? languages = null)
    {
        options ??= DefaultOptions;
        var scorer = languages is null ? new CSharpScorer() : CorpusLanguage.Choose(languages).Scorer;
        return checkpoint =>
        {
            if (scorer is null) return new Dictionary<string, double>();
            using var model = new CheckpointModel(CharLanguageModel.FromCheckpoint(checkpoint, "cpu", stepper: StepperChoice.Plain));
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
            if (t.UndefinedPer1000 is double undefined) metrics["undefinedPer1k" + suffix] = Math.Round(undefined, 3);
            metrics["bracketsBalanced" + suffix] = Math.Round(t.BracketBalanceRate, 4);
        }
        return metrics;
    }
}
