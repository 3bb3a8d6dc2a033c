// What a checkpoint holds, in typed form: the run's facts (configuration, vocabulary, progress, corpus
// identity) and its arrays (weights, optimizer state, RNG state, the carried hidden state). A sampler or
// the language server needs nothing but the path. Every checkpoint training writes can resume, so `best`
// and `last` are interchangeable for loading; an export (`charrnn export --weights-only`) holds the weights
// and the run's facts only, and loads everywhere except --resume.
using System.Text.Json;

namespace CharRnnCode.Inference.Checkpoints;

/// <summary>The facts of a run at the moment it was saved.</summary>
public sealed record TrainingProgress
{
    public long Step { get; init; }
    public int Epoch { get; init; }
    /// <summary>Batches of the current epoch already done; the next step uses batch StepInEpoch.</summary>
    public int StepInEpoch { get; init; }
    /// <summary>Infinity until a validation has run (a run whose validation text is empty never has one).</summary>
    [System.Text.Json.Serialization.JsonNumberHandling(System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)]
    public double BestValLoss { get; init; } = double.PositiveInfinity;
    public long BestStep { get; init; }
    public double? LastValLoss { get; init; }
    public int EvaluationsWithoutImprovement { get; init; }
    public long CharactersSeen { get; init; }
    public double ElapsedSeconds { get; init; }
}

public sealed record CheckpointInfo
{
    public required RunConfig Config { get; init; }
    /// <summary>The known characters in id order (id 0, the unknown character, is implicit).</summary>
    public required string Vocabulary { get; init; }
    public required TrainingProgress Progress { get; init; }
    /// <summary>The corpus manifest's identity (a hash of its splits); null for a corpus without a manifest.</summary>
    public string? CorpusId { get; init; }
    /// <summary>Where the corpus was when training ran (a hint for --resume; CorpusId is what identifies it).</summary>
    public string? CorpusPath { get; init; }
    /// <summary>"best" or "last"; "export" for an inference-only copy (no optimizer state).</summary>
    public required string Kind { get; init; }
    public DateTime SavedUtc { get; init; }
    public string? Software { get; init; }
}

public sealed record Checkpoint(CheckpointInfo Info, IReadOnlyDictionary<string, CheckpointEntry> Entries)
{
    public const string ParameterPrefix = "model.";
    public const string OptimizerEntry = "optimizer";
    public const string RngEntry = "rng";
    public const string CarriedHEntry = "state.h";
    public const string CarriedCEntry = "state.c";

    public Vocabulary Vocabulary => Inference.Vocabulary.Deserialize(Info.Vocabulary);

    /// <summary>The file it was loaded from, for messages about it; null for one made in memory.</summary>
    public string? Source { get; init; }

    private string Named => Source is null ? "checkpoint" : $"checkpoint {Source}";

    /// <summary>Whether a run can resume from it: the optimizer's and the RNG's state are there (an export has neither).</summary>
    public bool HasTrainingState => Entries.ContainsKey(OptimizerEntry) && Entries.ContainsKey(RngEntry);

    public static Checkpoint Load(string path)
    {
        var (facts, entries) = CheckpointFile.Read(path);
        if (!facts.TryGetValue("run", out var run))
            throw new CheckpointException($"checkpoint {path} has no run description; it was not written by charrnn train.");
        CheckpointInfo? info;
        try { info = run.Deserialize<CheckpointInfo>(RunConfig.Json); }
        catch (JsonException error) { throw new CheckpointException($"checkpoint {path} has an unreadable run description ({error.Message}).", error); }
        if (info is null) throw new CheckpointException($"checkpoint {path} has an empty run description.");
        CheckInfo(path, info);
        return new Checkpoint(info, entries) { Source = path };
    }

    /// <summary>
    /// The run description names what every array is sized by, so it is checked before anything is sized by
    /// it: the fields are there and the configuration and vocabulary are within bounds (ParameterShapes).
    /// </summary>
    private static void CheckInfo(string path, CheckpointInfo info)
    {
        // The JSON reader fills a required field given as null with null.
        var missing = new (string Name, object? Value)[]
        {
            ("config", info.Config), ("config.model", info.Config?.Model), ("config.train", info.Config?.Train),
            ("vocabulary", info.Vocabulary), ("progress", info.Progress), ("kind", info.Kind),
        }.Where(f => f.Value is null).Select(f => f.Name).ToList();
        if (missing.Count > 0)
            throw new CheckpointException($"checkpoint {path} has a run description without {string.Join(", ", missing)}; the file is damaged or was not written by charrnn train.");
        if (info.Vocabulary.Length > ParameterShapes.MaxVocabulary - 1)
            throw new CheckpointException($"checkpoint {path} has a vocabulary of {info.Vocabulary.Length} characters, more than there are UTF-16 characters; the file is damaged.");
        try { ParameterShapes.For(info.Config!.Model, info.Vocabulary.Length + 1); }
        catch (CheckpointException error) { throw new CheckpointException($"checkpoint {path}: {error.Message} The file is damaged or was not written by charrnn train."); }
    }

    /// <summary>
    /// That every parameter the configuration implies is there, numeric, with its shape and the bytes that shape
    /// needs; a CheckpointException naming the first that is not. Inference checks this before any stepper reads a weight.
    /// </summary>
    public void CheckParameters()
    {
        var config = Info.Config.Model;
        var vocabularySize = Vocabulary.Size;
        foreach (var expected in ParameterShapes.For(config, vocabularySize))
        {
            if (!Entries.TryGetValue(ParameterPrefix + expected.Name, out var entry))
                throw new CheckpointException($"{Named} lacks the parameter {expected.Name}; it does not match its configuration ({ParameterShapes.Describe(config, vocabularySize)}).");
            if (CheckpointEntry.ElementSize(entry.DType) is not int size)
                throw new CheckpointException($"{Named}: parameter {expected.Name} has dtype {entry.DType}, expected {CheckpointEntry.Float32} or {CheckpointEntry.Float16}; the file is damaged.");
            if (!entry.Shape.SequenceEqual(expected.Shape) || entry.Data.LongLength != expected.Elements * size)
                throw new CheckpointException($"{Named}: parameter {expected.Name} has shape [{string.Join(", ", entry.Shape)}] and {entry.Data.LongLength} bytes, but its configuration " +
                    $"({ParameterShapes.Describe(config, vocabularySize)}) implies [{string.Join(", ", expected.Shape)}]; the file is damaged or does not match its configuration.");
        }
    }

    public void Save(string path)
    {
        var facts = new Dictionary<string, object?> { ["run"] = Info };
        CheckpointFile.Write(path, facts, Entries);
    }

    /// <summary>The model's parameters by their TorchSharp names (without the "model." prefix).</summary>
    public IEnumerable<(string Name, CheckpointEntry Entry)> Parameters() =>
        Entries.Where(e => e.Key.StartsWith(ParameterPrefix, StringComparison.Ordinal))
               .Select(e => (e.Key[ParameterPrefix.Length..], e.Value));

    public float[] Parameter(string name) =>
        Entries.TryGetValue(ParameterPrefix + name, out var entry)
            ? entry.ToFloats()
            : throw new CheckpointException($"{Named} lacks the parameter {name}; it does not match its configuration ({Info.Config.Model.Shape}).");
}
