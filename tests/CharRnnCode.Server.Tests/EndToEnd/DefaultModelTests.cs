// The built server as its own process over stdio, started as an editor starts it (no arguments) and
// initialized with an empty checkpoint setting: it serves the default model that the build put beside
// it, completes with it without mapping libtorch or TorchSharp, and says so in charRnn/status; a checkpoint
// configured later replaces it. Asked for a GPU, this lean server says it has no torch path.
using CharRnnCode.Inference.Checkpoints;

namespace CharRnnCode.Server.Tests.EndToEnd;

[Collection(TinyCheckpointCollection.Name)]
public sealed class DefaultModelTests(TinyCheckpoint checkpoint)
{
    [SlowFact]
    public async Task With_no_checkpoint_the_default_model_is_served_and_says_so_until_a_checkpoint_is_configured()
    {
        var defaultModel = Path.Combine(AppContext.BaseDirectory, DefaultModel.FileName);
        Assert.True(File.Exists(defaultModel), $"the build did not copy {DefaultModel.FileName} beside the server ({AppContext.BaseDirectory})");
        using var server = new ServerProcess(ServerProcess.BuiltServer);
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
        if (OperatingSystem.IsLinux())
        {
            // Plain C# inference: neither libtorch nor the training assembly is mapped into the serving process.
            var maps = await File.ReadAllTextAsync($"/proc/{server.Id}/maps");
            Assert.DoesNotContain("libtorch", maps);
            Assert.DoesNotContain("TorchSharp", maps);
            Assert.DoesNotContain("CharRnnCode.Model.dll", maps);
        }

        // A configured checkpoint always wins.
        await client.NotifyAsync(Methods.DidChangeConfiguration, new { settings = new { checkpoint = checkpoint.Path } });
        var configured = await client.PollStatusAsync(
            s => s.GetProperty("checkpoint").GetString() == checkpoint.Path && s.GetProperty("state").GetString() == "ready", TimeSpan.FromMinutes(1));
        Assert.Equal(checkpoint.Path, configured.GetProperty("checkpoint").GetString());
        Assert.Equal("ready", configured.GetProperty("state").GetString());
        Assert.False(configured.GetProperty("defaultModel").GetBoolean());

        await server.ShutdownAsync();
    }

    [Fact]
    public async Task With_device_cuda_the_lean_server_says_it_has_no_torch_path_and_keeps_serving()
    {
        using var server = new ServerProcess(ServerProcess.BuiltServer);
        var client = server.Client;
        await client.InitializeAsync(new { checkpoint = checkpoint.Path, device = "cuda", loadWorkspace = false });
        var message = await client.WaitForAsync(Methods.ShowMessage);
        Assert.Equal(MessageType.Error, message.GetProperty("type").GetInt32());
        var text = message.GetProperty("message").GetString()!;
        Assert.StartsWith("CharRnnCode could not load the checkpoint: device 'cuda' needs the TorchSharp path", text);
        Assert.Contains("Use device cpu", text);
        var status = await client.RequestAsync(Methods.Status, null);
        Assert.Equal("failed", status.GetProperty("state").GetString());
        await server.ShutdownAsync();
    }
}
