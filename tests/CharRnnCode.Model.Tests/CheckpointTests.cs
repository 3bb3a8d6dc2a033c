// The checkpoint format: round trip, and a clear CheckpointException for every damaged or foreign file.
using System.Buffers.Binary;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Model.Tests;

public sealed class CheckpointTests
{
    private static string CopyOfBest(string name)
    {
        var path = Path.Combine(TestCorpus.TemporaryDirectory(name), "model.ckpt");
        File.Copy(SharedTinyModel.Files.BestCheckpoint, path);
        return path;
    }

    [Fact]
    public void A_checkpoint_round_trips_every_fact_and_array()
    {
        var original = Checkpoint.Load(SharedTinyModel.Files.BestCheckpoint);
        var path = Path.Combine(TestCorpus.TemporaryDirectory("roundtrip"), "copy.ckpt");
        original.Save(path);
        var copy = Checkpoint.Load(path);

        Assert.Equal(original.Info, copy.Info with { Config = original.Info.Config });
        Assert.Equal(original.Info.Config.ToJson(), copy.Info.Config.ToJson());
        Assert.Equal(original.Entries.Keys.Order(), copy.Entries.Keys.Order());
        foreach (var (name, entry) in original.Entries)
        {
            Assert.Equal(entry.DType, copy.Entries[name].DType);
            Assert.Equal(entry.Shape, copy.Entries[name].Shape);
            Assert.Equal(entry.Data, copy.Entries[name].Data);
        }
        Assert.Equal(File.ReadAllBytes(path).Length, new FileInfo(SharedTinyModel.Files.BestCheckpoint).Length);
        // What a sampler needs is all there: configuration, vocabulary, progress, corpus identity, weights, training state.
        Assert.Equal(Corpus.CorpusIdentity.Compute(copy.Info.CorpusPath!), copy.Info.CorpusId);
        Assert.Equal(1500, copy.Info.Progress.Step);   // the shared model's maxSteps
        Assert.Contains(Checkpoint.OptimizerEntry, copy.Entries.Keys);
        Assert.Contains(Checkpoint.RngEntry, copy.Entries.Keys);
        Assert.Contains("model.recurrent.weight_hh_l0", copy.Entries.Keys);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.999)]
    [InlineData(0.05)]
    public void A_single_corrupted_byte_is_rejected(double where)
    {
        var path = CopyOfBest("corrupt");
        var bytes = File.ReadAllBytes(path);
        bytes[(int)(bytes.Length * where)] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Matches("corrupt|truncated", error.Message);
        Assert.Contains(path, error.Message);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.01)]
    public void A_truncated_file_is_rejected(double keep)
    {
        var path = CopyOfBest("truncated");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * keep)]);
        var error = Assert.Throws<CheckpointException>(() => Checkpoint.Load(path));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void A_foreign_file_a_newer_version_and_a_missing_file_are_rejected_clearly()
    {
        var directory = TestCorpus.TemporaryDirectory("foreign");
        var foreign = Path.Combine(directory, "model.pt");
        File.WriteAllBytes(foreign, "PK\u0003\u0004 a zip of pickles, not ours"u8.ToArray());
        Assert.Contains("not a CharRnnCode checkpoint", Assert.Throws<CheckpointException>(() => Checkpoint.Load(foreign)).Message);

        var newer = CopyOfBest("newer");
        var bytes = File.ReadAllBytes(newer);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), CheckpointFile.Version + 1);
        File.WriteAllBytes(newer, bytes);
        Assert.Contains("newer", Assert.Throws<CheckpointException>(() => Checkpoint.Load(newer)).Message);

        Assert.Contains("does not exist", Assert.Throws<CheckpointException>(() => CharLanguageModel.Load(Path.Combine(directory, "absent.ckpt"))).Message);
        Assert.Contains("is a folder", Assert.Throws<CheckpointException>(() => CharLanguageModel.Load(directory)).Message);
    }

    [Fact]
    public void Writing_a_checkpoint_over_an_existing_one_leaves_no_temporary_files_and_the_file_stays_loadable()
    {
        var path = CopyOfBest("overwrite");
        var checkpoint = Checkpoint.Load(path);
        for (var i = 0; i < 3; i++) checkpoint.Save(path);
        Assert.Equal(checkpoint.Info, Checkpoint.Load(path).Info with { Config = checkpoint.Info.Config });
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }
}
