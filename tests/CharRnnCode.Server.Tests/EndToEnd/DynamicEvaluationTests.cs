// dynamicEvaluation as an editor turns it on: the built server, as its own process over stdio, opens a workspace,
// runs the real `charrnn adapt` in the background once the workspace has loaded, and then serves the adapted
// checkpoint it wrote under its cache folder (the status names it), answering completions with it. The server
// process never maps libtorch: the command-line tool takes the gradient steps.

namespace CharRnnCode.Server.Tests.EndToEnd;

public sealed class DynamicEvaluationTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("charrnn-adapt-workspace-").FullName;
    private readonly string _cacheFolder = Directory.CreateTempSubdirectory("charrnn-adapt-cache-").FullName;

    private static string BuiltCli => Path.Combine(DotnetTools.RepositoryRoot(), "src", "CharRnnCode.Cli", "bin", DotnetTools.Configuration, "net10.0", "charrnn.dll");

    [Fact]
    public async Task The_server_serves_the_weights_charrnn_adapt_wrote_for_its_workspace()
    {
        Assert.True(File.Exists(BuiltCli), $"the command-line tool is not built at {BuiltCli}");
        foreach (var (className, text) in TinyModelCorpus.Classes(seed: 11, 10))
            File.WriteAllText(Path.Combine(_workspace, className + ".cs"), text);
        var checkpoint = new TinyCheckpoint().Path;

        using var server = new ServerProcess(ServerProcess.BuiltServer, new Dictionary<string, string> { ["CHARRNN_CACHE"] = _cacheFolder });
        var client = server.Client;
        await client.InitializeAsync(new { checkpoint, seed = 1, temperature = 0, dynamicEvaluation = true, cliPath = BuiltCli },
            rootUri: new Uri(_workspace).AbsoluteUri);

        var adapted = Path.Combine(_cacheFolder, "adapted");
        var status = await client.PollStatusAsync(
            s => s.GetProperty("state").GetString() == "ready" && s.GetProperty("checkpoint").GetString() is { } served && served.StartsWith(adapted, StringComparison.Ordinal),
            TimeSpan.FromMinutes(5));
        var servedCheckpoint = status.GetProperty("checkpoint").GetString()!;
        Assert.True(servedCheckpoint.StartsWith(adapted, StringComparison.Ordinal), $"the adapted weights were not served; last status: {status}");
        Assert.True(File.Exists(servedCheckpoint));
        Assert.NotEqual(File.ReadAllBytes(checkpoint), File.ReadAllBytes(servedCheckpoint));

        var snippet = CaretSnippet.Parse("class Program\n{\n    void M()\n    {\n        var total = 0;\n        {|caret:|}\n    }\n}\n");
        var uri = new Uri(Path.Combine(_workspace, "Program.cs")).AbsoluteUri;
        await client.OpenAsync(uri, snippet.Text);
        await client.InlineCompletionAsync(uri, snippet.Position);
        if (OperatingSystem.IsLinux())
            Assert.DoesNotContain("libtorch", File.ReadAllText($"/proc/{server.Id}/maps"), StringComparison.Ordinal);
        await server.ShutdownAsync();
    }

    public void Dispose() => TemporaryFolders.Remove(_workspace, _cacheFolder);
}
