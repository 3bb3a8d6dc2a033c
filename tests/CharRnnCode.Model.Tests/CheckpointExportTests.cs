// Inference-only checkpoints and float16 entries: values read back as the nearest float16 (worked out by
// hand), a file with float16 entries is format version 2 while a training checkpoint stays version 1,
// and an export loads for inference and for --init-from but not for --resume.
using System.Buffers.Binary;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Training;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Model.Tests;

public sealed class CheckpointExportTests
{
    [Fact]
    public void A_float16_entry_reads_back_the_nearest_float16_of_each_value()
    {
        // 0.1 lies between the float16 values 1638/16384 and 1639/16384 (0.0999755859375 and 0.10003662109375), nearer the first;
        // 65504 is the largest float16; 1e-8 is below half the smallest subnormal (2^-24), so it becomes 0; 2049 is halfway
        // between 2048 and 2050 and rounds to the even one.
        var entry = CheckpointEntry.Halves([1f, -0.1f, 65504f, 1e-8f, 2049f, 0.5f], 2, 3);
        Assert.Equal(CheckpointEntry.Float16, entry.DType);
        Assert.Equal(12, entry.Data.Length);
        Assert.Equal([1f, -0.0999755859375f, 65504f, 0f, 2048f, 0.5f], entry.ToFloats());
    }

    [Fact]
    public void An_export_has_the_weights_and_facts_only_and_float16_makes_it_format_version_2()
    {
        var directory = TestCorpus.TemporaryDirectory("export");
        var source = Checkpoint.Load(SharedTinyModel.Files.BestCheckpoint);
        var full = Path.Combine(directory, "weights.ckpt");
        var half = Path.Combine(directory, "half.ckpt");
        CheckpointExport.WeightsOnly(source).Save(full);
        CheckpointExport.WithHalfWeights(CheckpointExport.WeightsOnly(source)).Save(half);

        uint VersionOf(string path) => BinaryPrimitives.ReadUInt32LittleEndian(File.ReadAllBytes(path).AsSpan(8));
        Assert.Equal(1u, VersionOf(SharedTinyModel.Files.BestCheckpoint));
        Assert.Equal(1u, VersionOf(full));
        Assert.Equal(2u, VersionOf(half));

        var loaded = Checkpoint.Load(half);
        Assert.Equal("export", loaded.Info.Kind);
        Assert.False(loaded.HasTrainingState);
        Assert.All(loaded.Entries, e => Assert.StartsWith(Checkpoint.ParameterPrefix, e.Key));
        Assert.All(loaded.Entries.Values, e => Assert.Equal(CheckpointEntry.Float16, e.DType));
        Assert.Equal(source.Info.Progress, loaded.Info.Progress);

        using var model = CharLanguageModel.Load(half, "cpu");
        Assert.Equal(source.Vocabulary.Size, model.Vocabulary.Size);
        Assert.True(model.CharacterLogProbabilities("int x = 1;").All(double.IsFinite));
    }

    [Fact]
    public void Resuming_from_an_export_is_refused_with_the_way_forward()
    {
        var run = TestCorpus.TemporaryDirectory("export-resume");
        CheckpointExport.WeightsOnly(Checkpoint.Load(SharedTinyModel.Files.BestCheckpoint)).Save(Path.Combine(run, RunFolder.LastCheckpoint));
        var error = Assert.Throws<Common.InvalidInputError>(() => Trainer.Run(new TrainRequest { RunDirectory = run, Resume = true, Device = "cpu", Threads = 1 }));
        Assert.Contains("holds no optimizer state", error.Message);
        Assert.Contains("{initFrom}", error.Problem);
    }
}
