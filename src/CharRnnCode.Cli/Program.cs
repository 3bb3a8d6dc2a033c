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
    config.AddCommand<DoctorCommand>("doctor")
        .WithDescription("Print what matters when something does not work: Torch backend, CUDA, threads, libgit2, Roslyn, reference assemblies.");
});
return await app.RunAsync(args);
