// A charrnn-server program as its own process, started as an editor starts it (no arguments, LSP on
// stdin/stdout), with an LSP client on its pipes and its log (stderr) kept for failure messages. It does
// not initialize the server; disposing it kills a server that is still running. RunToExitAsync runs it
// as a command (bench …) instead, to its exit.
using System.Diagnostics;
using Nerdbank.Streams;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _log;

    /// <summary>charrnn-server.dll beside the tests run with <paramref name="arguments"/> until it exits (within <paramref name="limit"/>).</summary>
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunToExitAsync(TimeSpan limit, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "charrnn-server.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(limit).Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The charrnn-server program built beside the tests.</summary>
    public static string BuiltServer => Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "charrnn-server.exe" : "charrnn-server");

    /// <param name="environment">variables set for the server process only (e.g. its cache folder)</param>
    public ServerProcess(string program, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        _process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        _log = _process.StandardError.ReadToEndAsync();   // drained so that the server never blocks on a full pipe
        Client = new LspTestClient(FullDuplexStream.Splice(_process.StandardOutput.BaseStream, _process.StandardInput.BaseStream));
    }

    public LspTestClient Client { get; }

    /// <summary>What the server has logged so far is only known once it exits; for failure messages after Dispose.</summary>
    public Task<string> Log => _log;

    /// <summary>The process id (to read what it has mapped, on Linux).</summary>
    public int Id => _process.Id;

    /// <summary>shutdown, then exit, as an editor ends the server: it must exit by itself with 0.</summary>
    public async Task ShutdownAsync()
    {
        await Client.RequestAsync(Methods.Shutdown, null);
        await Client.NotifyAsync(Methods.Exit, null);
        Assert.True(_process.WaitForExit(TimeSpan.FromSeconds(30)), "the server did not exit after shutdown and exit");
        Assert.True(_process.ExitCode == 0, $"the server exited with {_process.ExitCode}:\n{await _log}");
    }

    public void Dispose()
    {
        Client.Dispose();
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
