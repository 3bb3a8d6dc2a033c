// A workspace holds whatever is on disk. Through the real server (in process, real Roslyn), a temporary
// workspace with a C# file, a link Z.cs -> /dev/zero, a FIFO named *.cs, a link to a file outside it and a
// file over the size cap: only the real file is read at start; watcher and close events on the others
// read nothing past the cap and never block the Roslyn thread (a later event is still handled); a byte
// budget stops the reading and the log says how many files were skipped; and opening more documents
// than the prefix-state cache keeps leaves it at its limit.
using System.Diagnostics;
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Server.Features.Workspace;

namespace CharRnnCode.Server.Tests.Workspace;

public sealed class UntrustedWorkspaceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-untrusted-").FullName;
    private readonly string _outside = Directory.CreateTempSubdirectory("charrnn-outside-").FullName;

    private string In(string name) => Path.Combine(_folder, name);

    private static string UriOf(string path) => new Uri(path).AbsoluteUri;

    /// <summary>Polls charRnn/status until roslynDocuments is <paramref name="expected"/> (at most 30 s); the last count.</summary>
    private static async Task<int> RoslynDocumentsAsync(LspTestClient client, int expected)
    {
        var count = -1;
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromSeconds(30); await Task.Delay(50))
        {
            count = (await client.RequestAsync(Methods.Status, null)).GetProperty("roslynDocuments").GetInt32();
            if (count == expected) break;
        }
        return count;
    }

    [Fact]
    public async Task Links_devices_fifos_and_oversized_files_are_never_read_at_start_on_watch_or_on_close()
    {
        if (!OperatingSystem.IsLinux()) return;   // /dev/zero and mkfifo are Linux's
        File.WriteAllText(In("Good.cs"), "namespace Demo;\npublic static class Good { public static int One() => 1; }\n");
        File.CreateSymbolicLink(In("Z.cs"), "/dev/zero");
        using (var mkfifo = Process.Start("mkfifo", [In("Fifo.cs")])) await mkfifo.WaitForExitAsync();
        File.WriteAllText(Path.Combine(_outside, "Secret.cs"), "class Secret { }\n");
        File.CreateSymbolicLink(In("Outside.cs"), Path.Combine(_outside, "Secret.cs"));
        File.WriteAllText(In("Big.cs"), "// " + new string('x', WorkspaceLoader.MaxFileBytes) + "\n");

        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync(new { rerank = true }, rootUri: UriOf(_folder));
        await client.RequestAsync(Methods.Status, null);   // answered after `initialized` started the loading
        var loading = harness.Server.Context.WorkspaceLoading;
        Assert.True(await Task.WhenAny(loading, Task.Delay(TimeSpan.FromSeconds(60))) == loading, "loading the workspace did not end");
        Assert.Equal(1, await loading);   // Good.cs alone
        Assert.Equal(1, await RoslynDocumentsAsync(client, 1));

        // Watched-file events for each of them: none is read; the oversized file and the link leave Roslyn.
        await client.NotifyAsync(Methods.DidChangeWatchedFiles, new
        {
            changes = new[] { "Z.cs", "Fifo.cs", "Outside.cs", "Big.cs" }.Select(name => new { uri = UriOf(In(name)), type = FileChangeType.Changed }).ToArray(),
        });
        // A later event is handled, so the Roslyn thread did not stall on any of them.
        File.WriteAllText(In("New.cs"), "namespace Demo;\npublic static class Later { }\n");
        await client.NotifyAsync(Methods.DidChangeWatchedFiles, new { changes = new[] { new { uri = UriOf(In("New.cs")), type = FileChangeType.Created } } });
        Assert.Equal(2, await RoslynDocumentsAsync(client, 2));

        // Closing a document named by the link goes back to the disk's text, on the Roslyn thread: there is none to
        // read, so nothing is added, and the thread goes on to the next event.
        await client.OpenAsync(UriOf(In("Z.cs")), "class FromEditor { }\n");
        await client.NotifyAsync(Methods.DidClose, new { textDocument = new { uri = UriOf(In("Z.cs")) } });
        File.WriteAllText(In("Newer.cs"), "namespace Demo;\npublic static class Newer { }\n");
        await client.NotifyAsync(Methods.DidChangeWatchedFiles, new { changes = new[] { new { uri = UriOf(In("Newer.cs")), type = FileChangeType.Created } } });
        Assert.Equal(3, await RoslynDocumentsAsync(client, 3));
        Assert.Equal("noCheckpoint", (await client.RequestAsync(Methods.Status, null)).GetProperty("state").GetString());
    }

    [Fact]
    public async Task The_byte_budget_stops_reading_and_the_log_says_how_many_files_were_skipped()
    {
        for (var i = 0; i < 10; i++)
            File.WriteAllText(In($"File{i}.cs"), $"namespace Demo;\npublic static class C{i} {{ {new string(' ', 980)} }}\n");
        var log = Path.Combine(_outside, "server.log");
        await using (var harness = ServerHarness.Start(log: new ServerLog(log, null)))
        {
            using var client = new LspTestClient(harness.ClientStream);
            await client.InitializeAsync(new { loadWorkspace = false });
            // Each file is about 1,020 bytes: a budget of 3,500 takes three of the ten.
            var loaded = await WorkspaceLoader.LoadAsync(harness.Server.Context, [_folder], byteBudget: 3_500);
            Assert.Equal(3, loaded);
            Assert.Equal(3, await RoslynDocumentsAsync(client, 3));
        }
        var lines = File.ReadAllLines(log);
        Assert.Contains(lines, line => line.Contains("warn workspace: the budget of 3500 bytes of C# files was reached after 3 files") && line.Contains("7 C# files were skipped"));
    }

    [Fact]
    public async Task Opening_more_documents_than_the_cache_keeps_leaves_it_at_its_limit()
    {
        await using var harness = ServerHarness.Start();
        using var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync(new { loadWorkspace = false });
        await client.RequestAsync(Methods.Status, null);
        await harness.Server.Context.Loading;   // (no model) and the cache emptied for it, before the documents open
        var opened = PrefixStateCache.MaxDocuments * 3;
        for (var i = 0; i < opened; i++)
            await client.OpenAsync($"file:///work/Doc{i}.cs", $"class Doc{i} {{ }}\n");
        var status = await client.RequestAsync(Methods.Status, null);   // answered after every open was handled
        Assert.Equal(opened, status.GetProperty("openDocuments").GetInt32());
        Assert.Equal(PrefixStateCache.MaxDocuments, status.GetProperty("cache").GetProperty("documents").GetInt32());
    }

    public void Dispose() => TemporaryFolders.Remove(_folder, _outside);
}
