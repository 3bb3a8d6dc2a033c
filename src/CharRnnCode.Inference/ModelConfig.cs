// The typed hyperparameters of a run: the network (ModelConfig) and its training (TrainConfig).
// Defaults here are what a preset does not mention; RunConfig loads presets and command-line overrides.
// Deliberately plain records: no behaviour beyond validation, so a checkpoint can store them as JSON.
namespace CharRnnCode.Inference;

public sealed record ModelConfig
{
    /// <summary>Recurrent cell: lstm, gru or rnn (tanh), as compared by Karpathy, Johnson and Fei-Fei (2015).</summary>
    public string Cell { get; init; } = "lstm";
    /// <summary>Stacked recurrent layers.</summary>
    public int Layers { get; init; } = 2;
    /// <summary>Hidden (and cell) state size of every layer.</summary>
    public int Hidden { get; init; } = 256;
    /// <summary>Size of the character embedding fed to the first layer.</summary>
    public int Embedding { get; init; } = 64;
    /// <summary>Dropout between stacked layers and before the output head (0 disables it).</summary>
    public double Dropout { get; init; } = 0.0;

    // Upper bounds far above any model this project trains (2x256 by default), low enough that every product of
    // them (gate rows x hidden, the kernels' int offsets) fits in an int; a checkpoint's configuration is
    // read from its file, so a damaged or crafted one must not size arrays the process cannot allocate.
    public const int MaxLayers = 64;
    public const int MaxHidden = 16_384;
    public const int MaxEmbedding = 16_384;

    public void Validate()
    {
        if (Cell is not ("lstm" or "gru" or "rnn")) throw new Common.UserError($"cell '{Cell}' is unknown: use lstm, gru or rnn.");
        if (Layers is < 1 or > MaxLayers) throw new Common.UserError($"layers must be from 1 to {MaxLayers}; it is {Layers}.");
        if (Hidden is < 1 or > MaxHidden) throw new Common.UserError($"hidden must be from 1 to {MaxHidden}; it is {Hidden}.");
        if (Embedding is < 1 or > MaxEmbedding) throw new Common.UserError($"embedding must be from 1 to {MaxEmbedding}; it is {Embedding}.");
        if (!(Dropout is >= 0 and < 1)) throw new Common.UserError("dropout must be in [0, 1).");
    }

    /// <summary>e.g. "lstm 2x256".</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Shape => $"{Cell} {Layers}x{Hidden}";
}

public sealed record TrainConfig
{
    /// <summary>Parallel streams over the training text (B).</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Truncated backpropagation length in characters (T).</summary>
    public int SeqLength { get; init; } = 64;
    /// <summary>adamw, adam or rmsprop (char-rnn's choice).</summary>
    public string Optimizer { get; init; } = "adamw";
    /// <summary>Peak learning rate, reached after warm-up.</summary>
    public double LearningRate { get; init; } = 2e-3;
    /// <summary>Floor of the cosine decay.</summary>
    public double MinLearningRate { get; init; } = 2e-4;
    /// <summary>Linear warm-up steps from zero to the peak learning rate.</summary>
    public int WarmupSteps { get; init; } = 100;
    /// <summary>Decay after warm-up: cosine (to minLearningRate at the last step), cosine-minutes (to the floor when maxMinutes run out), exponential (per epoch) or none.</summary>
    public string Decay { get; init; } = "cosine";
    /// <summary>Per-epoch factor of the exponential decay (char-rnn used 0.97).</summary>
    public double DecayRate { get; init; } = 0.97;
    /// <summary>Epochs before the exponential decay starts (char-rnn used 10).</summary>
    public int DecayAfterEpochs { get; init; } = 10;
    /// <summary>Decoupled weight decay of AdamW (ignored by the other optimizers).</summary>
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Adam's first-moment decay.</summary>
    public double Beta1 { get; init; } = 0.9;
    /// <summary>Adam's second-moment decay.</summary>
    public double Beta2 { get; init; } = 0.99;
    /// <summary>RMSProp's squared-gradient decay (char-rnn's decay_rate).</summary>
    public double RmsAlpha { get; init; } = 0.95;
    /// <summary>Clip the global gradient norm to this (0 disables clipping).</summary>
    public double GradClip { get; init; } = 5.0;
    /// <summary>Passes over the training text.</summary>
    public int MaxEpochs { get; init; } = 50;
    /// <summary>Stop after this many steps (0: the epochs decide).</summary>
    public int MaxSteps { get; init; } = 0;
    /// <summary>Steps between validations (and checkpoints).</summary>
    public int EvalInterval { get; init; } = 200;
    /// <summary>Validation characters per evaluation (0: the whole validation split).</summary>
    public int EvalChars { get; init; } = 200_000;
    /// <summary>Stop after this many validations without improvement (0: never).</summary>
    public int Patience { get; init; } = 5;
    /// <summary>Steps between metrics-log lines.</summary>
    public int LogInterval { get; init; } = 10;
    /// <summary>Seed of every random choice: initialisation, dropout.</summary>
    public long Seed { get; init; } = 1337;
    /// <summary>Wall-clock budget in minutes, checkpointing before it runs out (0: none).</summary>
    public double MaxMinutes { get; init; } = 0;

    public void Validate()
    {
        if (BatchSize < 1 || SeqLength < 1) throw new Common.UserError("batchSize and seqLength must be at least 1.");
        if (Optimizer is not ("adamw" or "adam" or "rmsprop")) throw new Common.UserError($"optimizer '{Optimizer}' is unknown: use adamw, adam or rmsprop.");
        if (Decay is not ("cosine" or "cosine-minutes" or "exponential" or "none")) throw new Common.UserError($"decay '{Decay}' is unknown: use cosine, cosine-minutes, exponential or none.");
        if (Decay == "cosine-minutes" && MaxMinutes <= 0) throw new Common.InvalidInputError("maxMinutes", "decay cosine-minutes decays over the time budget: give one ({maxMinutes} N or {set} " +
            "maxMinutes=N).");
        if (LearningRate <= 0 || MinLearningRate < 0) throw new Common.UserError("learningRate must be positive and minLearningRate not negative.");
        if (EvalInterval < 1 || LogInterval < 1) throw new Common.UserError("evalInterval and logInterval must be at least 1.");
        if (MaxEpochs < 1) throw new Common.UserError("maxEpochs must be at least 1.");
        if (WarmupSteps < 0 || MaxSteps < 0 || Patience < 0 || EvalChars < 0 || MaxMinutes < 0 || GradClip < 0)
            throw new Common.UserError("warmupSteps, maxSteps, patience, evalChars, maxMinutes and gradClip must not be negative.");
    }
}
