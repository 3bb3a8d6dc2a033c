// The built server as a process, driven over stdio by e2e/client.mjs with vscode-languageserver-protocol
// (the npm client stack VS Code uses), on a real C# file of this repository and the tiny checkpoint.
// Needs Node.js and npm (installs the client's two packages into e2e/node_modules on first run).
using System.Diagnostics;
using System.Text.Json;

namespace CharRnnCode.Server.Tests.EndToEnd;

[Collection(TinyCheckpointCollection.Name)]
public sealed class NpmClientTests(TinyCheckpoint checkpoint)
{
    [SlowFact]
    public async Task An_lsp_client_from_npm_gets_completions_for_a_real_c_sharp_file()
    {
        var root = DotnetTools.RepositoryRoot();
        var e2e = Path.Combine(root, "tests", "CharRnnCode.Server.Tests", "e2e");
        if (!Directory.Exists(Path.Combine(e2e, "node_modules", "vscode-languageserver-protocol")))
        {
            var install = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], e2e);
            Assert.True(install.ExitCode == 0, $"npm ci failed:\n{install.Output}\n{install.Errors}");
        }
        var serverPath = ServerProcess.BuiltServer;
        var file = Path.Combine(root, "src", "CharRnnCode.Completion", "Documents", "DocumentStore.cs");
        var run = await RunAsync("node", ["client.mjs", "--server", serverPath, "--checkpoint", checkpoint.Path, "--file", file], e2e);
        Assert.True(run.ExitCode == 0, $"the npm client reported problems:\n{run.Errors}\n{run.Output}");

        using var transcript = JsonDocument.Parse(run.Output);
        var result = transcript.RootElement;
        JsonAssert.Equal("""
            {
              "capabilities": { "textDocumentSync": { "openClose": true, "change": 2 }, "inlineCompletionProvider": true },
              "serverInfo": { "name": "charrnn-server", "version": "0.1.0" }
            }
            """, result.GetProperty("initialize"));
        Assert.Equal(0, result.GetProperty("exitCode").GetInt32());
        Assert.Equal(0, result.GetProperty("problems").GetArrayLength());
        Assert.Equal("ready", result.GetProperty("status").GetProperty("state").GetString());
        Assert.Equal(16, result.GetProperty("typing").GetArrayLength());
    }

    private static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string command, string[] arguments, string directory)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not finish in 5 minutes:\n{await errors}");
        }
        return (process.ExitCode, await output, await errors);
    }
}
