// Inference-only copies of a checkpoint, for shipping a model: the run's facts (configuration, vocabulary,
// step, validation loss, corpus identity) and the weights, without the optimizer, RNG and carried state
// that only resuming needs; optionally with float16 weights (read back as float32 by every loader). It
// does not measure what float16 costs (`charrnn export` does, on a corpus) and writes nothing itself.
namespace CharRnnCode.Inference.Checkpoints;

public static class CheckpointExport
{
    /// <summary>The <see cref="CheckpointInfo.Kind"/> of an inference-only checkpoint.</summary>
    public const string ExportKind = "export";

    /// <summary>The checkpoint without its training state. The corpus path goes too: it is a hint for --resume,
    /// which an export cannot do, and names a folder on the machine that trained it; the corpus id stays.</summary>
    public static Checkpoint WeightsOnly(Checkpoint checkpoint) => new(
        checkpoint.Info with { Kind = ExportKind, CorpusPath = null },
        checkpoint.Entries.Where(e => e.Key.StartsWith(Checkpoint.ParameterPrefix, StringComparison.Ordinal))
                          .ToDictionary(e => e.Key, e => e.Value));

    /// <summary>The checkpoint with its model parameters rounded to float16; every other entry as it was.</summary>
    public static Checkpoint WithHalfWeights(Checkpoint checkpoint) => checkpoint with
    {
        Entries = checkpoint.Entries.ToDictionary(e => e.Key, e =>
            e.Key.StartsWith(Checkpoint.ParameterPrefix, StringComparison.Ordinal) && e.Value.DType == CheckpointEntry.Float32
                ? CheckpointEntry.Halves(e.Value.ToFloats(), e.Value.Shape)
                : e.Value),
    };
}
