// charrnn as a user installs it: packed by `dotnet pack` (the linux-x64 package with libtorch, and the package
// that points to it), installed from that folder by `dotnet tool install --tool-path`, then run: it trains with
// libtorch and a preset, and samples from the default model, both of which the tool carries. The verbs
// themselves are tested elsewhere.
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Cli.Tests;

public sealed class DotnetToolTests
{
    private static readonly ToolPackage CliTool = new("src/CharRnnCode.Cli/CharRnnCode.Cli.csproj", "charrnn", "charrnn", Build: true);

    [SlowFact]
    public void The_installed_tool_trains_with_a_preset_and_samples_from_the_default_model_it_carries()
    {
        var folder = TemporaryFolders.Create("dotnet-tool");
        try
        {
            var tool = DotnetTools.PackAndInstall(CliTool, folder);
            Assert.Equal(["charrnn.0.1.0.nupkg", "charrnn.linux-x64.0.1.0.nupkg"], tool.PackageFiles.Select(Path.GetFileName).Order());
            var version = tool.Run(folder, "--version");
            Assert.True(version.ExitCode == 0, version.ToString());
            Assert.Equal("charrnn 0.1.0\n", version.Stdout);

            var corpus = TinyModelCorpus.HarvestedCorpus(folder, TinyModelCorpus.Classes(seed: 3, count: 20).Select(c => ($"{c.ClassName}.cs", c.Text)));
            var run = Path.Combine(folder, "run");
            var train = tool.Run(folder, "train", "--corpus", corpus, "--preset", "tiny", "--set", "maxSteps=20", "--threads", "1", "--out", run);
            Assert.True(train.ExitCode == 0, train.ToString());
            Assert.True(File.Exists(Path.Combine(run, "best.ckpt")), train.ToString());

            var defaultModel = Path.Combine(tool.ProgramFolder("charrnn.dll"), DefaultModel.FileName);
            var sample = tool.Run(folder, "sample", "--checkpoint", defaultModel, "--prime", "public ", "--length", "40", "--seed", "1");
            Assert.True(sample.ExitCode == 0, sample.ToString());
            Assert.StartsWith("public ", sample.Stdout);
            Assert.True(sample.Stdout.TrimEnd().Length > "public ".Length, sample.ToString());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
