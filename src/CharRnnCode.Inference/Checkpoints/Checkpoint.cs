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
        return new Checkpoint(info, entries);
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
            : throw new CheckpointException($"checkpoint lacks the parameter {name}; it does not match its configuration ({Info.Config.Model.Shape}).");
}
