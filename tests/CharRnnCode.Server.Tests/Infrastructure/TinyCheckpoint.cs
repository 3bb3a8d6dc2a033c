// The real checkpoint the server tests complete with: the tiny model the test projects share
// (SharedTinyModel: preset "tiny", a 1x32 LSTM trained 1,500 steps on TinyModelCorpus's classes, once per
// build for every test process). Long enough that it writes the corpus's lines back
// (Console.WriteLine(total);), which the completion tests expect of it. Nothing is committed.
using CharRnnCode.Inference;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed class TinyCheckpoint
{
    /// <summary>The trained checkpoint file (read-only: other test processes read it too).</summary>
    public string Path { get; } = SharedTinyModel.Files.BestCheckpoint;

    public CharLanguageModel Load() => CharLanguageModel.Load(Path, "cpu", 1);
}

// Not beside other collections: while the fixture trains, other tests' allocations trigger garbage collections,
// and TorchSharp's optimizer step passes implicitly converted Scalars to native code without keeping them alive, so a
// finalizer can free one mid-call ("Unknown scalar type" from AdamW's add_, seen about once in five suite runs).
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TinyCheckpointCollection : ICollectionFixture<TinyCheckpoint>
{
    public const string Name = "tiny checkpoint";
}
