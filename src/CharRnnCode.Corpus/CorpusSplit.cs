// The three parts of a corpus. A file belongs to exactly one of them, chosen from a stable hash of its
// repository and path, so that nothing a model is validated or tested on was seen in training.
namespace CharRnnCode.Corpus;

public enum CorpusSplit
{
    Train,
    Val,
    Test,
}

public static class CorpusSplits
{
    public static IReadOnlyList<CorpusSplit> All { get; } = [CorpusSplit.Train, CorpusSplit.Val, CorpusSplit.Test];

    /// <summary>The file stem of a split: <c>train</c>, <c>val</c> or <c>test</c>.</summary>
    public static string Name(this CorpusSplit split) => split switch
    {
        CorpusSplit.Train => "train",
        CorpusSplit.Val => "val",
        CorpusSplit.Test => "test",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, null),
    };

    public static string TextFileName(this CorpusSplit split) => split.Name() + ".txt";

    public static string IndexFileName(this CorpusSplit split) => split.Name() + ".index.jsonl";
}
