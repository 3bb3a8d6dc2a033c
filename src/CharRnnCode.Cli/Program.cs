// charrnn: wires one command class per verb. Nothing else lives here.
using CharRnnCode.Cli;
using CharRnnCode.Cli.Commands;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(config =>
{
    config.SetApplicationName("charrnn");
    config.SetApplicationVersion(VersionInfo.Text);
    config.SetExceptionHandler(ErrorReporter.Report);
    config.AddCommand<TrainCommand>("train")
        .WithDescription("Train a character-level LSTM/GRU/RNN on a corpus folder; resumable checkpoints, metrics and a loss plot in the run folder.");
    config.AddCommand<SampleCommand>("sample")
        .WithDescription("Generate text from a checkpoint (temperature, top-k, top-p, argmax; several samples as one batch).");
    config.AddCommand<EvalCommand>("eval")
        .WithDescription("Evaluate a checkpoint: loss, parse rate and undefined names of samples, line completion with and without Roslyn re-ranking, against an n-gram baseline; writes report.md/.html/.json and plots.")
        .WithExample("eval", "--checkpoint", "runs/csharp/best.ckpt", "--corpus", "corpora-out/csharp", "--out", "reports/csharp");
    config.AddCommand<DoctorCommand>("doctor")
        .WithDescription("Print what matters when something does not work: Torch backend, CUDA, threads, libgit2, Roslyn, reference assemblies.");
    config.AddCommand<HarvestCommand>("harvest")
        .WithDescription("Turn git repositories into a corpus folder: train/val/test text, per-file indexes and a manifest.")
        .WithExample("harvest", "--repo", "torvalds/linux", "--lang", "c", "--out", "corpora-out/linux")
        .WithExample("harvest", "--manifest", "corpora/csharp.json", "--out", "corpora-out/csharp");
    config.AddBranch("bench", bench =>
    {
        bench.SetDescription("Benchmarks that print ratios against a baseline run in the same process.");
        bench.AddCommand<BenchHarvestCommand>("harvest")
            .WithDescription("Time a harvest of one repository against `git archive | tar -x` plus concatenation of the same files.");
        bench.AddCommand<BenchTrainCommand>("train")
            .WithDescription("Training and sampling speed of 1x128 to 3x512 LSTMs, as a ratio to this machine's matmul rate; both OpenMP wait policies.");
        bench.AddCommand<BenchScoreCommand>("score")
            .WithDescription("Roslyn scoring throughput on 500-character C# samples (samples/s, ratio to a bare parse) and the editor path's per-request cost.");
    });
});
return await app.RunAsync(args);
