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
    config.AddCommand<DoctorCommand>("doctor")
        .WithDescription("Print what matters when something does not work: Torch backend, CUDA, threads, libgit2, Roslyn, reference assemblies.");
});
return await app.RunAsync(args);
