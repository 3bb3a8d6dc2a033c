// charrnn export, run as a user runs it, on a tiny trained model: an inference-only file that every reader
// loads and --resume refuses with the way forward; float16 weights within half a float16 step of the
// originals; and float16 refused, with nothing written, when it would change the test-split loss.
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Cli.Tests;

public sealed class ExportProcessTests
{
    private static TinyModelFiles Tiny => SharedTinyModel.Files;

    [Fact]
    public void Weights_only_keeps_the_weights_and_facts_drops_the_training_state_and_cannot_be_resumed()
    {
        using var folder = new TempFolder();
        var exported = folder["tiny.ckpt"];
        var result = Charrnn.Run("export", "--checkpoint", Tiny.BestCheckpoint, "--out", exported, "--weights-only");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("size: ", result.Stdout);
        Assert.Contains(" before (", result.Stdout);
        Assert.Contains(" after (", result.Stdout);

        var source = Checkpoint.Load(Tiny.BestCheckpoint);
        var copy = Checkpoint.Load(exported);
        Assert.False(copy.HasTrainingState);
        Assert.Equal(source.Parameters().Select(p => p.Name).Order(), copy.Entries.Keys.Select(k => k[Checkpoint.ParameterPrefix.Length..]).Order());
        foreach (var (name, entry) in source.Parameters()) Assert.Equal(entry.Data, copy.Entries[Checkpoint.ParameterPrefix + name].Data);
        Assert.Equal((source.Info.Progress, source.Info.CorpusId, source.Info.Vocabulary), (copy.Info.Progress, copy.Info.CorpusId, copy.Info.Vocabulary));
        Assert.Null(copy.Info.CorpusPath);
        // Adam keeps two moments per weight: without them the file is about a third of the size.
        Assert.InRange(new FileInfo(exported).Length, 1, new FileInfo(Tiny.BestCheckpoint).Length / 2);

        // The same weights write the same greedy text.
        var fromSource = Charrnn.Run("sample", "--checkpoint", Tiny.BestCheckpoint, "--argmax", "--length", "40", "--prime", "int ");
        var fromExport = Charrnn.Run("sample", "--checkpoint", exported, "--argmax", "--length", "40", "--prime", "int ");
        Assert.True(fromExport.ExitCode == 0, fromExport.ToString());
        Assert.Equal(fromSource.Stdout, fromExport.Stdout);

        // --resume needs the optimizer state: a run folder whose last.ckpt is an export is refused with the way forward.
        Directory.CreateDirectory(folder["run"]);
        File.Copy(exported, Path.Combine(folder["run"], "last.ckpt"));
        var resumed = Charrnn.Run("train", "--resume", folder["run"]);
        Assert.NotEqual(0, resumed.ExitCode);
        Assert.Contains("holds no optimizer state", resumed.Stderr);
        Assert.Contains("--init-from", resumed.Stderr);

        // --init-from starts a new run from it.
        var tuned = Charrnn.Run("train", "--init-from", exported, "--corpus", Tiny.Corpus, "--set", "maxSteps=2", "--threads", "1", "--out", folder["tuned"]);
        Assert.True(tuned.ExitCode == 0, tuned.ToString());
        Assert.True(Checkpoint.Load(Path.Combine(folder["tuned"], "best.ckpt")).HasTrainingState);
    }

    [Fact]
    public void Fp16_stores_every_weight_within_half_a_float16_step_and_prints_both_test_losses()
    {
        using var folder = new TempFolder();
        var exported = folder["tiny-fp16.ckpt"];
        var result = Charrnn.Run("export", "--checkpoint", Tiny.BestCheckpoint, "--out", exported, "--weights-only", "--fp16", "--corpus", Tiny.Corpus);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"test-split loss \(.*\): float32 \d\.\d{6} bpc, float16 \d\.\d{6} bpc, relative change [+-]\d\.\d{4} % \(limit ±0\.5 %\)", result.Stdout);

        var source = Checkpoint.Load(Tiny.BestCheckpoint);
        var copy = Checkpoint.Load(exported);
        foreach (var (name, entry) in source.Parameters())
        {
            var half = copy.Entries[Checkpoint.ParameterPrefix + name];
            Assert.Equal(CheckpointEntry.Float16, half.DType);
            Assert.Equal(entry.Data.Length / 2, half.Data.Length);
            var (originals, readBack) = (entry.ToFloats(), half.ToFloats());
            // float16 keeps 11 significant bits: rounding moves a value by at most 2^-11 of itself (2^-25 below the normal range).
            for (var i = 0; i < originals.Length; i++)
                Assert.True(Math.Abs(readBack[i] - originals[i]) <= Math.Max(Math.Abs(originals[i]) * Math.Pow(2, -11), Math.Pow(2, -25)),
                    $"{name}[{i}]: {originals[i]} read back as {readBack[i]}");
        }
        var sample = Charrnn.Run("sample", "--checkpoint", exported, "--length", "20", "--seed", "1");
        Assert.True(sample.ExitCode == 0, sample.ToString());
    }

    [Fact]
    public void Fp16_is_refused_and_nothing_written_when_it_would_change_the_test_loss()
    {
        // The output layer's biases all moved by one amount, to around 30008: the softmax, and so the float32 loss,
        // cannot tell (a common shift cancels). float16 holds numbers there only to the nearest 16 (30000 or 30016),
        // and with the median bias at 30008 half the biases move up by about 8 and half down by about 8.
        using var folder = new TempFolder();
        var source = Checkpoint.Load(Tiny.BestCheckpoint);
        var bias = source.Entries[Checkpoint.ParameterPrefix + "head.bias"];
        var median = bias.ToFloats().Order().ElementAt(bias.ToFloats().Length / 2);
        var shifted = source with
        {
            Entries = new Dictionary<string, CheckpointEntry>(source.Entries)
            {
                [Checkpoint.ParameterPrefix + "head.bias"] = CheckpointEntry.Floats([.. bias.ToFloats().Select(b => b - median + 30_008f)], bias.Shape),
            },
        };
        var crafted = folder["shifted.ckpt"];
        shifted.Save(crafted);

        var exported = folder["refused.ckpt"];
        var result = Charrnn.Run("export", "--checkpoint", crafted, "--out", exported, "--weights-only", "--fp16", "--corpus", Tiny.Corpus);
        Assert.True(result.ExitCode != 0, result.ToString());
        Assert.Contains("float16 weights change the test-split loss by ", result.Stderr);
        Assert.Contains("Export without --fp16", result.Stderr);
        Assert.Equal(["shifted.ckpt"], Directory.EnumerateFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }
}
