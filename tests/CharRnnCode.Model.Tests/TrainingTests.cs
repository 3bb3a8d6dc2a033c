// Real training runs of tiny models: overfitting, exact resumption, divergence, run folder contents.
using System.Text.Json.Nodes;
using CharRnnCode.Cli;
using CharRnnCode.Common;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Training;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Model.Tests;

public sealed class TrainingTests
{
    [Fact]
    public void A_tiny_model_overfits_a_tiny_corpus()
    {
        var result = Trainer.Run(new TrainRequest
        {
            Config = TestCorpus.Tiny("maxSteps=300", "evalInterval=300", "learningRate=0.02"),
            Corpus = CorpusInputs.ForTraining(TestCorpus.Write("overfit")),
            RunDirectory = TestCorpus.TemporaryDirectory("overfit-run"),
            Device = "cpu",
            Threads = 1,
        });
        var lastLosses = result.TrainLosses.TakeLast(20).Select(l => l.Loss).ToList();
        Assert.True(lastLosses.Average() < 0.15, $"mean loss of the last 20 steps {lastLosses.Average():0.000}");
        Assert.True(result.Progress.BestValLoss < 0.15, $"validation loss {result.Progress.BestValLoss:0.000}");
        Assert.Equal("reached 300 steps", result.StopReason);
    }

    [Theory]
    [InlineData("lstm", "adamw")]
    [InlineData("gru", "rmsprop")]
    public void A_resumed_run_continues_with_exactly_the_losses_of_an_uninterrupted_one(string cell, string optimizer)
    {
        var corpus = TestCorpus.Write("resume");
        // Two layers with dropout: the resumed run must restore optimizer, RNG and carried state to match.
        var config = TestCorpus.Tiny($"cell={cell}", $"optimizer={optimizer}", "layers=2", "dropout=0.3", "maxSteps=40", "evalInterval=20", "warmupSteps=10");
        TrainResult Train(string runDirectory, bool resume, long? stopAt) => Trainer.Run(new TrainRequest
        {
            Config = config, Corpus = CorpusInputs.ForTraining(corpus), RunDirectory = runDirectory, Resume = resume, Device = "cpu", Threads = 1, StopAtStep = stopAt,
            TrainOverrides = resume ? ["logInterval=10"] : [],
        });

        var uninterrupted = Train(TestCorpus.TemporaryDirectory("whole"), resume: false, stopAt: null);
        var interruptedDirectory = TestCorpus.TemporaryDirectory("interrupted");
        var firstPart = Train(interruptedDirectory, resume: false, stopAt: 20);
        var secondPart = Train(interruptedDirectory, resume: true, stopAt: null);

        Assert.Equal(20, firstPart.Progress.Step);
        Assert.Equal(uninterrupted.TrainLosses.Take(20), firstPart.TrainLosses);
        Assert.Equal(uninterrupted.TrainLosses.Skip(20), secondPart.TrainLosses);
        Assert.Equal(uninterrupted.Progress.BestValLoss, secondPart.Progress.BestValLoss);
        // The metrics log of the resumed run reads as one run: every logged step once.
        var steps = File.ReadAllLines(Path.Combine(interruptedDirectory, RunFolder.Metrics))
            .Select(l => JsonNode.Parse(l)!).Where(n => (string)n["kind"]! == "train").Select(n => (long)n["step"]!).ToList();
        Assert.Equal(Enumerable.Range(1, 4).Select(i => i * 10L), steps);
    }

    [Fact]
    public void The_run_folder_holds_checkpoints_metrics_and_the_configuration()
    {
        // The loss plot is drawn by `charrnn train`, not by the trainer (see the command line's training tests).
        var run = SharedTinyModel.Files;
        foreach (var file in new[] { RunFolder.BestCheckpoint, RunFolder.LastCheckpoint, RunFolder.Metrics, RunFolder.Config })
            Assert.True(File.Exists(Path.Combine(run.RunDirectory, file)), file);
        var validations = File.ReadAllLines(Path.Combine(run.RunDirectory, RunFolder.Metrics)).Count(l => l.Contains("\"val\""));
        Assert.Equal(3, validations);   // the shared model validates at steps 500, 1000 and 1500
        Assert.Empty(Directory.GetFiles(run.RunDirectory, "*.tmp", SearchOption.AllDirectories).Concat(Directory.GetFiles(run.RunDirectory, ".*")));
    }

    [Fact]
    public void A_run_that_ends_by_epochs_validates_and_checkpoints_its_last_step()
    {
        var corpus = TestCorpus.Write("epochs", repeats: 8);
        var result = Trainer.Run(new TrainRequest
        {
            Config = TestCorpus.Tiny("maxSteps=0", "maxEpochs=2", "evalInterval=1000"),
            Corpus = CorpusInputs.ForTraining(corpus),
            RunDirectory = TestCorpus.TemporaryDirectory("epochs-run"),
            Device = "cpu",
            Threads = 1,
        });
        Assert.Equal("reached maxEpochs 2", result.StopReason);
        Assert.Equal(2, result.Progress.Epoch + 1);
        Assert.Equal(result.Progress.Step, Checkpoint.Load(result.LastCheckpoint).Info.Progress.Step);
        Assert.NotNull(result.Progress.LastValLoss);
    }

    [Fact]
    public void A_diverging_run_stops_with_a_message_that_says_what_to_try()
    {
        var error = Assert.Throws<TrainingDivergedException>(() => Trainer.Run(new TrainRequest
        {
            Config = TestCorpus.Tiny("learningRate=1e6", "optimizer=rmsprop", "gradClip=0", "maxSteps=100"),
            Corpus = CorpusInputs.ForTraining(TestCorpus.Write("diverge")),
            RunDirectory = TestCorpus.TemporaryDirectory("diverge-run"),
            Device = "cpu",
            Threads = 1,
        }));
        Assert.Contains("diverged", error.Message);
        Assert.Contains("learningRate=", error.Message);
        Assert.Contains("gradClip", error.Message);
    }

    [Fact]
    public void A_new_run_refuses_a_folder_that_already_holds_one_and_resume_refuses_another_corpus()
    {
        // A copy: the shared run is read by other test processes.
        var run = TestCorpus.TemporaryDirectory("refusing-run");
        foreach (var file in Directory.GetFiles(SharedTinyModel.Files.RunDirectory)) File.Copy(file, Path.Combine(run, Path.GetFileName(file)));
        var again = Assert.ThrowsAny<UserError>(() => Trainer.Run(new TrainRequest
        {
            Config = TestCorpus.Tiny(), Corpus = CorpusInputs.ForTraining(TestCorpus.Write("again")), RunDirectory = run, Device = "cpu",
        }));
        Assert.Contains("{resume}", Assert.IsType<InvalidInputError>(again).Problem);
        var other = Assert.ThrowsAny<UserError>(() => Trainer.Run(new TrainRequest
        {
            Corpus = CorpusInputs.ForTraining(TestCorpus.Write("other", repeats: 41)), RunDirectory = run, Resume = true, Device = "cpu",
        }));
        Assert.Contains("not the one this run trained on", other.Message);
    }

    [Fact]
    public void The_learning_rate_warms_up_linearly_then_decays_to_the_floor()
    {
        var t = new TrainConfig { LearningRate = 1.0, MinLearningRate = 0.1, WarmupSteps = 10, Decay = "cosine" };
        Assert.Equal(0.1, Trainer.LearningRateAt(t, 0, 0, 110), 12);
        Assert.Equal(1.0, Trainer.LearningRateAt(t, 9, 0, 110), 12);
        Assert.Equal(1.0, Trainer.LearningRateAt(t, 10, 0, 110), 12);
        Assert.Equal(0.55, Trainer.LearningRateAt(t, 60, 0, 110), 12);
        Assert.Equal(0.1, Trainer.LearningRateAt(t, 110, 0, 110), 12);
        var byMinutes = t with { Decay = "cosine-minutes", MaxMinutes = 5 };
        Assert.Equal(0.6, Trainer.LearningRateAt(byMinutes, 5, 0, 110, budgetSpent: 0.9), 12);   // still warming up: 6 of 10
        Assert.Equal(1.0, Trainer.LearningRateAt(byMinutes, 1000, 0, 110, budgetSpent: 0.0), 12); // steps past maxSteps do not decay it
        Assert.Equal(0.55, Trainer.LearningRateAt(byMinutes, 20, 0, 110, budgetSpent: 0.5), 12);
        Assert.Equal(0.1, Trainer.LearningRateAt(byMinutes, 20, 0, 110, budgetSpent: 1.2), 12);
        Assert.Contains("time budget", Assert.ThrowsAny<CharRnnCode.Common.UserError>(() => (t with { Decay = "cosine-minutes" }).Validate()).Message);
        var exponential = t with { Decay = "exponential", WarmupSteps = 0, DecayRate = 0.5, DecayAfterEpochs = 2 };
        Assert.Equal([1.0, 1.0, 1.0, 0.5, 0.25], Enumerable.Range(0, 5).Select(e => Trainer.LearningRateAt(exponential, 1000, e, 10)));
    }

    [Fact]
    public void A_run_started_from_a_checkpoint_keeps_its_model_and_weights_and_extends_its_vocabulary()
    {
        var start = SharedTinyModel.Files;
        // C# of the shared model's kind, plus a line with two characters its corpus never had (ö, ß; the others it had).
        var corpus = TestCorpus.TemporaryDirectory("init-from");
        File.WriteAllText(Path.Combine(corpus, "train.txt"), TinyModelCorpus.CSharp(seed: 2, classes: 3) + "int größe = a;\n");
        File.WriteAllText(Path.Combine(corpus, "val.txt"), TinyModelCorpus.CSharp(seed: 3, classes: 1));
        File.WriteAllText(Path.Combine(corpus, "test.txt"), TinyModelCorpus.CSharp(seed: 4, classes: 1));
        var events = new List<TrainEvent>();
        var result = Trainer.Run(new TrainRequest
        {
            InitFrom = start.BestCheckpoint,
            TrainOverrides = ["maxSteps=20", "evalInterval=20"],
            Corpus = CorpusInputs.ForTraining(corpus),
            RunDirectory = TestCorpus.TemporaryDirectory("init-from-run"),
            Device = "cpu",
            Threads = 1,
        }, events.Add);

        var before = Checkpoint.Load(start.BestCheckpoint);
        var after = Checkpoint.Load(result.BestCheckpoint);
        Assert.Equal(before.Info.Config.Model, after.Info.Config.Model);
        Assert.Equal(20, after.Info.Config.Train.MaxSteps);
        // Old ids keep their characters; the new ones come after them, in ordinal order (U+00DF, U+00F6).
        Assert.Equal(before.Info.Vocabulary + "ßö", after.Info.Vocabulary);
        Assert.Contains("vocabulary extended by 2 characters (ß ö)", events.Single(e => e.Kind == TrainEventKind.Started).Message);
        Assert.Equal(20, result.Progress.Step);
        // The weights came along: the first step's loss is already far below a fresh model's (about ln V).
        Assert.True(result.TrainLosses[0].Loss < Math.Log(after.Vocabulary.Size) / 2,
            $"first loss {result.TrainLosses[0].Loss:0.000} against ln V = {Math.Log(after.Vocabulary.Size):0.000}");
    }

    [Fact]
    public void A_run_from_a_checkpoint_refuses_model_keys_and_a_missing_file()
    {
        var start = SharedTinyModel.Files;
        TrainRequest Request(string initFrom, params string[] overrides) => new()
        {
            InitFrom = initFrom, TrainOverrides = overrides, Corpus = CorpusInputs.ForTraining(TestCorpus.Write("init-from-bad")),
            RunDirectory = TestCorpus.TemporaryDirectory("init-from-bad-run"), Device = "cpu", Threads = 1,
        };
        var shape = Assert.ThrowsAny<UserError>(() => Trainer.Run(Request(start.BestCheckpoint, "hidden=64")));
        Assert.Equal("a run started with initFrom keeps its model; only training keys (e.g. maxSteps, maxMinutes, patience) can change.", shape.Message);
        var missing = Assert.ThrowsAny<UserError>(() => Trainer.Run(Request("/nonexistent/best.ckpt")));
        Assert.StartsWith("{initFrom} /nonexistent/best.ckpt: no such checkpoint.", Assert.IsType<InvalidInputError>(missing).Problem);
    }
}
