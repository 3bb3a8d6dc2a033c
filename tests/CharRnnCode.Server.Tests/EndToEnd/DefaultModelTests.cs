// The built server as its own process over stdio, started as an editor starts it (no arguments) and
// initialized with an empty checkpoint setting: it serves the default model that the build put beside
// it, completes with it, and says so in charRnn/status; a checkpoint configured later replaces it.
using System.Diagnostics;
using System.Text.Json;
using CharRnnCode.Model.Checkpoints;
using CharRnnCode.Server.Protocol;
using CharRnnCode.Server.Tests.Infrastructure;

namespace CharRnnCode.Server.Tests.EndToEnd;

[Collection(TinyCheckpointCollection.Name)]
public sealed class DefaultModelTests(TinyCheckpoint checkpoint)
{
    [Fact]
    public async Task WithNoCheckpoint_TheDefaultModelIsServedAndSaysSo_UntilACheckpointIsConfigured()
    {
        var defaultModel = Path.Combine(AppContext.BaseDirectory, DefaultModel.FileName);
        Assert.True(File.Exists(defaultModel), $"the build did not copy {DefaultModel.FileName} beside the server ({AppContext.BaseDirectory})");
        using var server = new ServerProcess(Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "charrnn-server.exe" : "charrnn-server"));
        var client = server.Client;
        await client.InitializeAsync(new { checkpoint = "", seed = 1, timeBudgetMs = 10_000, loadWorkspace = false });

        var loaded = await client.WaitForAsync(Methods.LogMessage, m => m.GetProperty("message").GetString()!.Contains("default model"));
        Assert.StartsWith("CharRnnCode: no checkpoint is configured, so the default model that ships with the server is served (lstm ",
            loaded.GetProperty("message").GetString());
        Assert.DoesNotContain(client.Received, r => r.Method == Methods.ShowMessage);   // nothing is wrong: no pop-up
        var status = await client.RequestAsync(Methods.Status, null);
        Assert.Equal("ready", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("defaultModel").GetBoolean());
        Assert.Equal(defaultModel, status.GetProperty("checkpoint").GetString());

        var snippet = CaretSnippet.Parse("class A\n{\n    void M()\n    {\n        Console.Wri{|caret:|}\n    }\n}\n");
        await client.OpenAsync("file:///work/Demo.cs", snippet.Text);
        var result = await client.InlineCompletionAsync("file:///work/Demo.cs", snippet.Position);
        var items = result.GetProperty("items");
        Assert.True(items.GetArrayLength() > 0, $"no completion from the default model: {result}");
        Assert.NotEqual("", items[0].GetProperty("insertText").GetString()!.Trim());

        // A configured checkpoint always wins.
        await client.NotifyAsync(Methods.DidChangeConfiguration, new { settings = new { checkpoint = checkpoint.Path } });
        JsonElement configured = default;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromMinutes(1); await Task.Delay(50))
        {
            configured = await client.RequestAsync(Methods.Status, null);
            if (configured.GetProperty("checkpoint").GetString() == checkpoint.Path && configured.GetProperty("state").GetString() == "ready") break;
        }
        Assert.Equal(checkpoint.Path, configured.GetProperty("checkpoint").GetString());
        Assert.Equal("ready", configured.GetProperty("state").GetString());
        Assert.False(configured.GetProperty("defaultModel").GetBoolean());

        await server.ShutdownAsync();
    }
}
