// The built server as its own process, configured one after another with crafted checkpoints: the shared
// tiny model's checkpoint with a weight cut short, its configuration changed or its data cut off (hash
// recomputed, so the damage gets past the integrity check), a link to /dev/zero and a FIFO. For each, the
// status must end "failed" with the reason (never stay "loading"), the user must be told, and the server must
// keep answering; at the end the real checkpoint loads in the same process and completes.
using System.Diagnostics;
using System.Text.Json;

namespace CharRnnCode.Server.Tests.EndToEnd;

[Collection(TinyCheckpointCollection.Name)]
public sealed class CraftedCheckpointTests(TinyCheckpoint checkpoint) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-crafted-").FullName;

    /// <summary>Waits until charRnn/status reports <paramref name="path"/> in a state other than loading (at most a minute).</summary>
    private static Task<JsonElement> SettledStatusAsync(LspTestClient client, string path) =>
        // A field that is null is left out of the status.
        client.WaitForStatusAsync(status => status.TryGetProperty("checkpoint", out var named) && named.GetString() == path && status.GetProperty("state").GetString() != "loading",
            TimeSpan.FromMinutes(1));

    [Fact]
    public async Task Each_crafted_checkpoint_ends_in_a_failed_status_with_the_reason_and_the_server_keeps_serving()
    {
        var crafted = CraftedCheckpoints.Representative(await File.ReadAllBytesAsync(checkpoint.Path));
        var files = new List<(string What, string Path, string Reason)>();
        foreach (var (what, reason) in new[]
                 {
                     ("recurrent weight one row short, shape consistent", "parameter recurrent.weight_hh_l0 has shape [127, 32]"),
                     ("head weight one row short, shape consistent", "parameter head.weight has shape"),
                     ("hidden size int.MaxValue", "hidden must be from 1 to"),
                     ("vocabulary one character longer", "parameter embedding.weight has shape"),
                     ("file cut in the middle, hash recomputed", "truncated"),
                 })
        {
            var path = Path.Combine(_folder, $"crafted-{files.Count}.ckpt");
            await File.WriteAllBytesAsync(path, crafted.Single(c => c.Name == what).File);
            files.Add((what, path, reason));
        }
        if (OperatingSystem.IsLinux())
        {
            var zero = Path.Combine(_folder, "zero.ckpt");
            File.CreateSymbolicLink(zero, "/dev/zero");
            files.Add(("a link to /dev/zero", zero, "not a regular file"));
            var fifo = Path.Combine(_folder, "fifo.ckpt");
            using (var mkfifo = Process.Start("mkfifo", [fifo])) await mkfifo.WaitForExitAsync();
            files.Add(("a FIFO", fifo, "not a regular file"));
        }

        using var server = new ServerProcess(ServerProcess.BuiltServer);
        var client = server.Client;
        await client.InitializeAsync(new { checkpoint = files[0].Path, loadWorkspace = false, seed = 1 });
        await client.OpenAsync("file:///work/a.cs", "class A { }\n");
        foreach (var (what, path, reason) in files)
        {
            if (path != files[0].Path)
                await client.NotifyAsync(Methods.DidChangeConfiguration, new { settings = new { checkpoint = path, loadWorkspace = false, seed = 1 } });
            var status = await SettledStatusAsync(client, path);
            Assert.True(status.GetProperty("state").GetString() == "failed", $"{what}: {status}");
            var error = status.GetProperty("error").GetString()!;
            Assert.Contains(path, error);
            Assert.Contains(reason, error);
            var message = await client.WaitForAsync(Methods.ShowMessage, m => m.GetProperty("message").GetString()!.Contains(path));
            Assert.Equal(MessageType.Error, message.GetProperty("type").GetInt32());
            Assert.StartsWith("CharRnnCode could not load the checkpoint: ", message.GetProperty("message").GetString());
            JsonAssert.Equal("""{ "items": [] }""", await client.InlineCompletionAsync("file:///work/a.cs", new Position(0, 10)));
        }

        // The same process still loads a sound checkpoint and completes with it.
        await client.NotifyAsync(Methods.DidChangeConfiguration, new { settings = new { checkpoint = checkpoint.Path, loadWorkspace = false, seed = 1 } });
        var ready = await SettledStatusAsync(client, checkpoint.Path);
        Assert.Equal("ready", ready.GetProperty("state").GetString());
        var snippet = CaretSnippet.Parse("class A\n{\n    void M(int total)\n    {\n        Console.Wri{|caret:|}\n    }\n}\n");
        await client.OpenAsync("file:///work/B.cs", snippet.Text);
        var items = (await client.InlineCompletionAsync("file:///work/B.cs", snippet.Position)).GetProperty("items");
        Assert.True(items.GetArrayLength() > 0, "no completion from the sound checkpoint after the crafted ones");
        await server.ShutdownAsync();
    }

    public void Dispose() => TemporaryFolders.Remove(_folder);
}
