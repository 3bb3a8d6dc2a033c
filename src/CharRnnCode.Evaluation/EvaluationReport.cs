// Everything one evaluation measured, as plain records: what report.json holds and what the Markdown, HTML
// and plots are drawn from. Nothing here computes; Evaluator fills it, ReportWriter renders it.
namespace CharRnnCode.Evaluation;

public sealed record EvaluationOptions
{
    public int SamplesPerTemperature { get; init; } = 16;
    public int SampleLength { get; init; } = 600;
    public IReadOnlyList<double> Temperatures { get; init; } = [0.2, 0.5, 0.8, 1.0, 1.2];
    public int Positions { get; init; } = 40;
    public int K { get; init; } = 8;
    public double LineTemperature { get; init; } = 0.8;
    public int MaxLineChars { get; init; } = 100;
    public int MaxContextChars { get; init; } = 1500;
    public int MaxValidationChars { get; init; } = 30_000;
    public int NGramOrder { get; init; } = NGramModel.MaxOrder;
    public int CellTextChars { get; init; } = 3000;
    public int GuessTextChars { get; init; } = 240;
    public (int Layer, int Cell)? ChosenCell { get; init; }
    public long Seed { get; init; } = 1;
}

public sealed record CurvePoint(long Step, double Bpc);

public sealed record NGramLoss(int Order, double BitsPerCharacter);

public sealed record ModelComparison(string Checkpoint, string Model, double ValidationBpc, TemperatureSummary FreeRunning,
    IReadOnlyList<StrategySummary> LineCompletion);

public sealed record GuessColumn(char Character, IReadOnlyList<Guess> Guesses);

public sealed record Guess(char Character, double Probability);

/// <summary>A cell's activation over the visualisation text, for the HTML (not for report.json: it is large).</summary>
public sealed record CellTrace(int Layer, int Cell, string Caption, float[] Activations);

public sealed record Timing(string Section, double Seconds);

public sealed record EvaluationReport
{
    public required string Checkpoint { get; init; }
    public required string Model { get; init; }
    public required string Corpus { get; init; }
    public required string CorpusId { get; init; }
    public required DateTime CreatedUtc { get; init; }
    public required EvaluationOptions Options { get; init; }

    public required LossMeasurement ModelLoss { get; init; }
    public required IReadOnlyList<NGramLoss> NGramLosses { get; init; }
    public required int NGramBestOrder { get; init; }
    public required IReadOnlyList<CurvePoint> TrainCurve { get; init; }
    public required IReadOnlyList<CurvePoint> ValidationCurve { get; init; }

    public required FreeRunningResult FreeRunning { get; init; }
    public required FreeRunningResult NGramFreeRunning { get; init; }
    public required LineCompletionResult LineCompletion { get; init; }
    public required LineCompletionResult NGramLineCompletion { get; init; }
    public IReadOnlyList<ModelComparison> Comparisons { get; init; } = [];

    public required string GuessText { get; init; }
    public required IReadOnlyList<GuessColumn> Guesses { get; init; }
    public required string CellText { get; init; }
    public required IReadOnlyList<CellRanking> CellRankings { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public IReadOnlyList<CellTrace> CellTraces { get; init; } = [];
    public required IReadOnlyList<Timing> Timings { get; init; }

    public double NGramBestBpc => NGramLosses.Single(loss => loss.Order == NGramBestOrder).BitsPerCharacter;
}
