// A run that dies while saving its checkpoints (here: the file system refuses one of the two files, at a
// validation that improved) leaves best.ckpt consistent with the progress last.ckpt records: never behind it,
// and where best.ckpt got ahead, a resume takes over its best loss instead of overwriting it with a worse model.
using CharRnnCode.Cli;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Training;

namespace CharRnnCode.Model.Tests;

public sealed class CheckpointOrderTests
{
    private static TrainRequest Request(string corpus, string run, bool resume = false) => new()
    {
        Config = TestCorpus.Tiny("maxSteps=20", "evalInterval=10", "learningRate=0.02"),
        Corpus = CorpusInputs.ForTraining(corpus), RunDirectory = run, Resume = resume, Device = "cpu", Threads = 1,
    };

    /// <summary>Trains until the validation at step 20 (an improvement over step 10's) and makes <paramref name="refused"/>
    /// unwritable just before the checkpoints of that validation are saved, as a crash there would stop the run.</summary>
    private static string CrashWhileSaving(string name, string refused, out string corpus)
    {
        corpus = TestCorpus.Write(name);
        var run = TestCorpus.TemporaryDirectory(name + "-run");
        var sabotaged = false;
        var request = Request(corpus, run);
        Assert.ThrowsAny<Exception>(() => Trainer.Run(request, e =>
        {
            if (e.Kind != TrainEventKind.Validation || e.Step != 20) return;
            Assert.Contains("(best)", e.Message); // the test needs an improving validation
            var path = Path.Combine(run, refused);
            File.Move(path, path + ".kept");
            Directory.CreateDirectory(path);       // a folder where the file goes: its rename fails
            sabotaged = true;
        }));
        Assert.True(sabotaged);
        return run;
    }

    [Fact]
    public void A_failure_saving_best_leaves_last_at_the_previous_checkpoint()
    {
        var run = CrashWhileSaving("crash-best", RunFolder.BestCheckpoint, out _);
        var last = Checkpoint.Load(Path.Combine(run, RunFolder.LastCheckpoint)).Info.Progress;
        var best = Checkpoint.Load(Path.Combine(run, RunFolder.BestCheckpoint + ".kept")).Info.Progress;
        // last.ckpt still speaks of step 10's best, which best.ckpt holds; it does not claim step 20's.
        Assert.Equal(10, last.Step);
        Assert.Equal(10, last.BestStep);
        Assert.Equal(10, best.Step);
        Assert.Equal(best.BestValLoss, last.BestValLoss);
    }

    [Fact]
    public void A_failure_saving_last_leaves_best_ahead_and_a_resume_keeps_it()
    {
        var run = CrashWhileSaving("crash-last", RunFolder.LastCheckpoint, out var corpus);
        var best = Checkpoint.Load(Path.Combine(run, RunFolder.BestCheckpoint)).Info.Progress;
        Assert.Equal(20, best.Step);
        Assert.Equal(20, best.BestStep);

        // The crash left the previous last.ckpt (step 10); put it back as a killed process would have left it.
        var lastPath = Path.Combine(run, RunFolder.LastCheckpoint);
        Directory.Delete(lastPath);
        File.Move(lastPath + ".kept", lastPath);
        Assert.True(Checkpoint.Load(lastPath).Info.Progress.BestValLoss > best.BestValLoss);

        var bestBytes = File.ReadAllBytes(Path.Combine(run, RunFolder.BestCheckpoint));
        var resumed = Trainer.Run(Request(corpus, run, resume: true) with { Config = null });
        // The resumed run retrains steps 11 to 20 exactly and knows best.ckpt's loss from the start: step 20's
        // validation does not beat it (it equals it), so best.ckpt is not written again; the run reports it as its best.
        Assert.Equal(20, resumed.Progress.Step);
        Assert.Equal((20L, best.BestValLoss), (resumed.Progress.BestStep, resumed.Progress.BestValLoss));
        Assert.Equal(bestBytes, File.ReadAllBytes(Path.Combine(run, RunFolder.BestCheckpoint)));
    }
}
