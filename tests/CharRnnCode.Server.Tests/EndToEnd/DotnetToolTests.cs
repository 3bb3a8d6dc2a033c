// charrnn-server as a user installs it: packed by `dotnet pack`, installed from that folder by
// `dotnet tool install --tool-path`, and started as an editor starts it (no arguments), so that it serves the
// default model the tool package carries. How completions are made is tested elsewhere.
using CharRnnCode.Inference.Checkpoints;

namespace CharRnnCode.Server.Tests.EndToEnd;

public sealed class DotnetToolTests
{
    private static readonly ToolPackage ServerTool = new("server/CharRnnCode.Server/CharRnnCode.Server.csproj", "charrnn-server", "charrnn-server", Build: false);

    [SlowFact]
    public async Task The_installed_tool_prints_its_version_and_serves_the_default_model_it_carries()
    {
        var folder = TemporaryFolders.Create("dotnet-tool");
        try
        {
            var tool = DotnetTools.PackAndInstall(ServerTool, folder);
            // One platform-neutral package, no package per platform.
            Assert.Equal(["charrnn-server.0.1.0.nupkg"], tool.PackageFiles.Select(Path.GetFileName));
            var version = tool.Run(folder, "--version");
            Assert.True(version.ExitCode == 0, version.ToString());
            Assert.Equal("charrnn-server 0.1.0\n", version.Stdout);

            var defaultModel = Path.Combine(tool.ProgramFolder("charrnn-server.dll"), DefaultModel.FileName);
            Assert.True(File.Exists(defaultModel), $"the tool package does not carry {DefaultModel.FileName}");
            await CompleteWithTheDefaultModel(tool.Command, defaultModel);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task CompleteWithTheDefaultModel(string command, string defaultModel)
    {
        using var server = new ServerProcess(command);
        await server.Client.InitializeAsync(new { checkpoint = "", seed = 1, timeBudgetMs = 10_000, loadWorkspace = false });
        await server.Client.WaitForAsync(Methods.LogMessage, m => m.GetProperty("message").GetString()!.Contains("default model"));
        var status = await server.Client.RequestAsync(Methods.Status, null);
        Assert.Equal("ready", status.GetProperty("state").GetString());
        Assert.Equal(defaultModel, status.GetProperty("checkpoint").GetString());

        var snippet = CaretSnippet.Parse("class A\n{\n    void M()\n    {\n        Console.Wri{|caret:|}\n    }\n}\n");
        await server.Client.OpenAsync("file:///work/Demo.cs", snippet.Text);
        var items = (await server.Client.InlineCompletionAsync("file:///work/Demo.cs", snippet.Position)).GetProperty("items");
        Assert.True(items.GetArrayLength() > 0, "no completion from the installed server's default model");
        await server.ShutdownAsync();
    }
}
