// Everything one evaluation measured, as plain records: what report.json holds and what the Markdown, HTML
// and plots are drawn from. Nothing here computes; Evaluator fills it, EvaluationReportDocument turns it into
// the report model and ReportWriter writes that.
namespace CharRnnCode.Evaluation;

public sealed record EvaluationOptions
{
    public int SamplesPerTemperature { get; init; } = 16;
    public int SampleLength { get; init; } = 600;
    public IReadOnlyList<double> Temperatures { get; init; } = [0.2, 0.5, 0.8, 1.0, 1.2];
    public int Positions { get; init; } = 200;
    /// <summary>Lines of the test split the typing replay types (0: no replay).</summary>
    public int TypingLines { get; init; } = 30;
    /// <summary>Settings (minConfidence, stopAgreement) the model's ghost text is also typed with: the trade-off between keystrokes and acceptance.</summary>
    public IReadOnlyList<Typing.GateSetting> TypingSweep { get; init; } = [new(0, 0), new(0.5, 0.5), new(0.75, 0.5), new(0.875, 0.5)];
    public int K { get; init; } = 8;
    public double LineTemperature { get; init; } = 0.8;
    public int MaxLineChars { get; init; } = 100;
    public int MaxContextChars { get; init; } = 1500;
    /// <summary>Characters of each split read for loss (the test split for the reported loss, the validation split for
    /// choosing the n-gram order); 0 reads the whole split.</summary>
    public int MaxLossChars { get; init; }
    public int NGramOrder { get; init; } = NGramModel.MaxOrder;
    public int CellTextChars { get; init; } = 3000;
    public int GuessTextChars { get; init; } = 240;
    public (int Layer, int Cell)? ChosenCell { get; init; }
    public long Seed { get; init; } = 1;
    /// <summary>How free-running samples are decoded: "free" (the model alone) or "constrained" (Roslyn steers every character, as in the server).</summary>
    public string Decode { get; init; } = "free";
}

public sealed record CurvePoint(long Step, double Bpc);

/// <param name="ValidationBitsPerCharacter">what chooses the order</param>
/// <param name="BitsPerCharacter">on the test split: what is reported</param>
public sealed record NGramLoss(int Order, double ValidationBitsPerCharacter, double BitsPerCharacter);

/// <summary>The checkpoint's validation loss as its training log has it, recomputed here the way training measures
/// it (the first evalChars characters of the validation split in batchSize streams of seqLength windows, each stream
/// from a zero state), and the same text read as one stream from the start state (how eval reads the test split).</summary>
public sealed record TrainingLossCheck(long Step, double? TrainingLogBpc, double RecomputedBpc, double OneStreamBpc, int Characters,
    int Streams, int Window)
{
    public const double Tolerance = 0.01;

    /// <summary>The id of the corpus the checkpoint was trained (and validated) on, when it is not the one evaluated.</summary>
    public string? TrainedOnAnotherCorpus { get; init; }

    public bool Agrees => TrainingLogBpc is double logged && Math.Abs(logged - RecomputedBpc) <= Tolerance;

    public string Explanation
    {
        get
        {
            var logged = TrainingLogBpc is double l ? FormattableString.Invariant($"{l:0.000} bpc") : "not logged";
            var agreement = TrainingLogBpc is null ? "" : Agrees ? FormattableString.Invariant($" (agrees within {Tolerance})")
                : TrainedOnAnotherCorpus is { } other ? $" (differs: the training log's figure is for the validation split of corpus {other}, not this one)"
                : FormattableString.Invariant($" (differs by more than {Tolerance}: the checkpoint's weights are not the ones that were validated)");
            return FormattableString.Invariant(
                    $"training's validation loss at step {Step}: {logged}; recomputed here the same way ({Characters:N0} characters of the validation split in {Streams} ") +
                FormattableString.Invariant($"streams of {Window}-character windows, each stream from a zero state): {RecomputedBpc:0.000} bpc{agreement}; ") +
                FormattableString.Invariant($"the same text read as one stream from the start state: {OneStreamBpc:0.000} bpc (the difference is the {Streams} cold starts). ") +
                "The reported loss is on the test split, read as one stream: another text.";
        }
    }
}

/// <summary>What a contender is: the evaluated checkpoint, the n-gram baseline, a checkpoint it is compared with, or the
/// evaluated model adapted some way (a cache, dynamic evaluation).</summary>
public enum ContenderKind { Model, NGram, Compared, Adapted }

/// <summary>One contender of the evaluation, measured with the same measures as the others on the same splits.</summary>
/// <param name="Name">short, for a column or row: "model", "6-gram", "GRU 1x16 (run-b)"</param>
/// <param name="Description">the model as it describes itself ("LSTM 2x256, …", "n-gram order 6, …")</param>
/// <param name="Checkpoint">its checkpoint file, as given (none for the n-gram)</param>
/// <param name="Loss">on the test split, read as one stream from the start state</param>
/// <param name="FreeRunning">null when the corpus's language has no scorer</param>
/// <param name="LineCompletion">null when the corpus is not C#</param>
public sealed record Contender(string Name, ContenderKind Kind, string Description, string? Checkpoint, LossMeasurement Loss,
    [property: System.Text.Json.Serialization.JsonIgnore] FreeRunningResult? FreeRunning,
    [property: System.Text.Json.Serialization.JsonIgnore] LineCompletionResult? LineCompletion)
{
    /// <summary>For report.json: the free-running summary by temperature, without the samples.</summary>
    public IReadOnlyList<TemperatureSummary>? FreeRunningTemperatures => FreeRunning?.Temperatures;
    /// <summary>For report.json: the line completion summary by strategy, without the positions.</summary>
    public IReadOnlyList<StrategySummary>? LineCompletionSummary => LineCompletion?.Summary;
}

/// <summary>A compared checkpoint as report.json has always listed it (under "comparisons").</summary>
/// <param name="FreeRunning">null when the corpus's language has no scorer</param>
/// <param name="LineCompletion">empty when the corpus is not C#</param>
public sealed record ModelComparison(string Checkpoint, string Model, double TestBpc, TemperatureSummary? FreeRunning,
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

    /// <summary>On the test split, read as one stream from the start state.</summary>
    public required LossMeasurement ModelLoss { get; init; }
    public required TrainingLossCheck TrainingLoss { get; init; }
    /// <summary>Share of the corpus's characters (all splits) that the checkpoint's vocabulary knows.</summary>
    public required double VocabularyCoverage { get; init; }
    public required IReadOnlyList<NGramLoss> NGramLosses { get; init; }
    public required int NGramBestOrder { get; init; }
    public required IReadOnlyList<CurvePoint> TrainCurve { get; init; }
    public required IReadOnlyList<CurvePoint> ValidationCurve { get; init; }

    /// <summary>The corpus's languages and the scorer its samples got (or why none).</summary>
    public required CodeScoring Scoring { get; init; }
    /// <summary>The evaluated model first, the n-gram second, then every compared checkpoint and adapted variant: each
    /// measured alike (loss, free-running samples, line completion).</summary>
    public required IReadOnlyList<Contender> Contenders { get; init; }

    /// <summary>The model's free-running samples; null when the corpus's language has no scorer (Scoring.NotMeasured says so).</summary>
    public FreeRunningResult? FreeRunning => ContenderOf(ContenderKind.Model).FreeRunning;
    public FreeRunningResult? NGramFreeRunning => ContenderOf(ContenderKind.NGram).FreeRunning;
    /// <summary>The model's line completion; null for a corpus that is not C#: it is judged by Roslyn's binding.</summary>
    public LineCompletionResult? LineCompletion => ContenderOf(ContenderKind.Model).LineCompletion;
    public LineCompletionResult? NGramLineCompletion => ContenderOf(ContenderKind.NGram).LineCompletion;
    /// <summary>The compared checkpoints, in the shape report.json has always had.</summary>
    public IReadOnlyList<ModelComparison> Comparisons => [.. Contenders.Where(c => c.Kind == ContenderKind.Compared)
        .Select(c => new ModelComparison(c.Checkpoint ?? "", c.Name, c.Loss.BitsPerCharacter, c.FreeRunning?.Temperatures[0], c.LineCompletion?.Summary ?? []))];
    /// <summary>The typing replay on the test split (C# corpora, TypingLines above 0): what a user keeps, beside IntelliSense.</summary>
    public TypingEvaluation? Typing { get; init; }
    /// <summary>Test-split bits per character with the workspace cache mixed in, for the model and each compared checkpoint.</summary>
    public IReadOnlyList<WorkspaceCacheLossRow> WorkspaceCacheLosses { get; init; } = [];

    public required string GuessText { get; init; }
    public required IReadOnlyList<GuessColumn> Guesses { get; init; }
    public required string CellText { get; init; }
    public required IReadOnlyList<CellRanking> CellRankings { get; init; }
    [System.Text.Json.Serialization.JsonIgnore] public IReadOnlyList<CellTrace> CellTraces { get; init; } = [];
    public required IReadOnlyList<Timing> Timings { get; init; }

    public double NGramBestBpc => NGramLosses.Single(loss => loss.Order == NGramBestOrder).BitsPerCharacter;

    /// <summary>The first contender of <paramref name="kind"/> (there is always one model and one n-gram).</summary>
    public Contender ContenderOf(ContenderKind kind) => Contenders.First(c => c.Kind == kind);
}
