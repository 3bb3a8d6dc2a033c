// A checkpoint of the size users train (a 2x256 LSTM, preset "small-cpu"), trained once per test run
// with the real trainer for 300 steps (about 20 s on two cores) on the generated C# corpus (TinyModelCorpus): weak as a model, but every
// request costs what it costs with a user's model, which is what latency-bound behaviour (the first
// request in a document, the time budget) must be tested with. Nothing is committed. Only the slow tier
// (RUN_SLOW_TESTS=1) trains it.
using CharRnnCode.Cli;
using CharRnnCode.Inference;
using CharRnnCode.Model.Training;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed class UserSizedCheckpoint : IDisposable
{
    public UserSizedCheckpoint()
    {
        var config = RunConfig.LoadPreset("small-cpu", ["maxSteps=300", "evalInterval=300", "evalChars=4000", "warmupSteps=20", "batchSize=16"]);
        Directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"charrnn-server-tests-2x256-{Guid.NewGuid():N}");
        // Its tests are the slow tier's: without RUN_SLOW_TESTS=1 they are skipped, and nothing is trained for them.
        if (!SlowTests.Enabled) { Path = ""; return; }
        var corpus = System.IO.Path.Combine(Directory, "corpus");
        System.IO.Directory.CreateDirectory(corpus);
        File.WriteAllText(System.IO.Path.Combine(corpus, "train.txt"), TinyModelCorpus.CSharp(seed: 11, classes: 200));
        File.WriteAllText(System.IO.Path.Combine(corpus, "val.txt"), TinyModelCorpus.CSharp(seed: 12, classes: 6));
        File.WriteAllText(System.IO.Path.Combine(corpus, "test.txt"), TinyModelCorpus.CSharp(seed: 13, classes: 6));
        Path = SharedTinyModel.TrainAlone(() => Trainer.Run(new TrainRequest
        {
            Config = config,
            Corpus = CorpusInputs.ForTraining(corpus),
            RunDirectory = System.IO.Path.Combine(Directory, "run"),
            Device = "cpu",
        })).BestCheckpoint;
        using var model = CharLanguageModel.Load(Path, "cpu", 1);
        if (model.Config.Layers != 2 || model.Config.Hidden != 256)
            throw new InvalidOperationException($"the preset small-cpu is no longer 2x256 ({model.Config.Shape}): update this fixture");
    }

    public string Directory { get; }

    public string Path { get; }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { }
    }
}

// Not beside other collections: while the fixture trains, other tests' allocations trigger garbage collections,
// and TorchSharp's optimizer step passes implicitly converted Scalars to native code without keeping them alive, so a
// finalizer can free one mid-call ("Unknown scalar type" from AdamW's add_, seen about once in five suite runs).
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UserSizedCheckpointCollection : ICollectionFixture<UserSizedCheckpoint>
{
    public const string Name = "2x256 checkpoint";
}
