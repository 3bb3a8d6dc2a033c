// Sweep grids: expansion order, folder names and resolved configs written out by hand; bad keys and values stop
// before anything is written; a point's state read back from its run folder after real tiny training sessions.
using CharRnnCode.Cli;
using CharRnnCode.Common;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Sweeps;
using CharRnnCode.Model.Training;

namespace CharRnnCode.Model.Tests;

public sealed class SweepPlanTests
{
    private static string GridFile(string json)
    {
        var path = Path.Combine(TestCorpus.TemporaryDirectory("grid"), "grid.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void A_grid_expands_with_the_first_key_slowest_and_the_seeds_fastest_into_resolved_configs()
    {
        var corpus = TestCorpus.Write("sweep-corpus");
        var grid = GridFile($$"""
            { "corpus": "{{corpus}}", "preset": "tiny",
              "grid": { "cell": ["lstm", "gru"], "model.hidden": [8, 24] },
              "set": { "evalInterval": 7 }, "budget": { "steps": 30 }, "seeds": [5, 6] }
            """);
        var sweep = Path.Combine(TestCorpus.TemporaryDirectory("sweep"), "s");
        var plan = SweepPlan.Write(sweep, SweepGrid.Load(grid));

        Assert.Equal(["cell", "hidden", "seed"], plan.Keys);
        Assert.Equal([
            "000_cell-lstm_hidden-8_seed-5", "001_cell-lstm_hidden-8_seed-6", "002_cell-lstm_hidden-24_seed-5", "003_cell-lstm_hidden-24_seed-6",
            "004_cell-gru_hidden-8_seed-5", "005_cell-gru_hidden-8_seed-6", "006_cell-gru_hidden-24_seed-5", "007_cell-gru_hidden-24_seed-6",
        ], plan.Points.Select(p => p.Folder));
        var reloaded = SweepPlan.Load(sweep);
        var point = reloaded.Points[6];
        Assert.Equal([("cell", "gru"), ("hidden", "24"), ("seed", "5")], point.Values);
        // The tiny preset's own values where the grid says nothing (layers 1, embedding 16), the grid's where it does.
        Assert.Equal(new ModelConfig { Cell = "gru", Layers = 1, Hidden = 24, Embedding = 16, Dropout = 0.0 }, point.Config.Model);
        Assert.Equal((30, 7, 5L, 4), (point.Config.Train.MaxSteps, point.Config.Train.EvalInterval, point.Config.Train.Seed, point.Config.Train.BatchSize));
        Assert.True(File.Exists(Path.Combine(sweep, "points", "006_cell-gru_hidden-24_seed-5", RunFolder.Config)));
        Assert.Equal(Path.GetFullPath(corpus), reloaded.Corpus);
        Assert.Equal(new SweepBudget(30, null), reloaded.Budget);
        Assert.All(reloaded.Points, p => Assert.Equal(SweepPointStatus.NotStarted, reloaded.StateOf(p).Status));
    }

    [Theory]
    [InlineData("\"grid\": { \"layerz\": [1, 2] }, \"budget\": { \"steps\": 5 }", "unknown set key 'layerz'")]
    [InlineData("\"grid\": { \"layers\": [1, \"two\"] }, \"budget\": { \"steps\": 5 }", "grid point 1 (layers=two): set layers=two: layers must be a whole number")]
    [InlineData("\"grid\": { \"cell\": [\"lstm\", \"transformer\"] }, \"budget\": { \"steps\": 5 }", "cell 'transformer' is unknown")]
    [InlineData("\"grid\": { \"cell\": [] }, \"budget\": { \"steps\": 5 }", "grid key 'cell' needs a non-empty list")]
    [InlineData("\"grid\": { \"cell\": [\"lstm\"] }", "no budget")]
    [InlineData("\"grid\": { \"cell\": [\"lstm\"] }, \"budget\": { \"hours\": 1 }", "unknown budget key 'hours'")]
    [InlineData("\"grid\": { \"cell\": [\"lstm\"] }, \"budget\": { \"steps\": 5 }, \"sets\": {}", "unknown section 'sets'")]
    public void A_bad_grid_stops_with_the_problem_named_and_nothing_written(string body, string expected)
    {
        var corpus = TestCorpus.Write("sweep-bad");
        var grid = GridFile($$"""{ "corpus": "{{corpus}}", "preset": "tiny", {{body}} }""");
        var sweep = Path.Combine(TestCorpus.TemporaryDirectory("sweep-bad"), "s");
        var error = Assert.ThrowsAny<UserError>(() => SweepPlan.Write(sweep, SweepGrid.Load(grid)));
        Assert.Contains(expected, error.Message);
        Assert.False(Directory.Exists(sweep));
        Assert.Empty(Directory.GetDirectories(Path.GetDirectoryName(sweep)!));
    }

    [Fact]
    public void A_point_is_interrupted_after_a_cut_session_and_finished_once_its_steps_are_spent()
    {
        var corpus = TestCorpus.Write("sweep-state");
        var grid = GridFile($$"""{ "corpus": "{{corpus}}", "preset": "tiny", "grid": { "hidden": [8] }, "set": { "evalInterval": 4 }, "budget": { "steps": 12 } }""");
        var plan = SweepPlan.Write(Path.Combine(TestCorpus.TemporaryDirectory("sweep-state"), "s"), SweepGrid.Load(grid));
        var point = plan.Points.Single();
        TrainResult Session(bool resume, long? stopAt) => Trainer.Run(new TrainRequest
        {
            Config = point.Config, Corpus = CorpusInputs.ForTraining(corpus), RunDirectory = plan.PointDirectory(point), Resume = resume,
            Device = "cpu", Threads = 1, StopAtStep = stopAt, MinutesCountEarlierSessions = true,
        });

        Session(resume: false, stopAt: 5);
        var cut = plan.StateOf(point);
        Assert.Equal((SweepPointStatus.Interrupted, 5L), (cut.Status, cut.Progress!.Step));
        Assert.Equal("reached 12 steps", Session(resume: true, stopAt: null).StopReason);
        Assert.Equal(SweepPointStatus.Finished, plan.StateOf(point).Status);
        // A finished point run again does nothing: its task can be rerun by any executor without harm.
        Assert.Equal(("the run had already finished", 12L), (Session(resume: true, stopAt: null).StopReason, plan.StateOf(point).Progress!.Step));
    }

    [Fact]
    public void A_minute_budget_counts_every_session_when_asked()
    {
        var config = TestCorpus.Tiny("maxMinutes=0.5");
        Assert.False(Trainer.BudgetSpent(config.Train, new TrainingProgress { ElapsedSeconds = 20 }));
        Assert.True(Trainer.BudgetSpent(config.Train, new TrainingProgress { ElapsedSeconds = 29.5 }));
        Assert.True(Trainer.BudgetSpent(config.Train, new TrainingProgress { ElapsedSeconds = 31 }));
    }
}
