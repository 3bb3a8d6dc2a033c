// `charrnn-server bench cost`: what the server costs the machine it runs on, measured on the real
// process as an editor starts it (this same executable, no arguments, LSP over stdio): the time from
// process start to the first completion answered (initialize, the model loaded, a document opened, one
// inlineCompletion; when initialize was answered and the model was ready, on the way), and the resident
// memory after loading the model and answering --requests more completions, right then and once the
// client has been quiet for the server's idle period (IdleMemoryTrimmer). Each run is a fresh process;
// the table shows the median of --repeats runs. Without --workspace no folder is given, so Roslyn holds the
// one document; with it, the folder is the workspace, loaded (Roslyn, the workspace cache) while the first
// completion is asked for, and the memory is read once the load and the cache's counting are done. It trains nothing.
using System.Diagnostics;
using System.Text.Json;
using CharRnnCode.Common;
using CharRnnCode.Server.Protocol;
using Nerdbank.Streams;
using StreamJsonRpc;

namespace CharRnnCode.Server.Bench;

/// <summary>The arguments of `charrnn-server bench cost`, as BenchCommand parsed them.</summary>
public sealed record ServerCostOptions(string? Checkpoint, string? Output, int Requests, int Repeats)
{
    /// <summary>The folder opened as the workspace; null: none.</summary>
    public string? Workspace { get; init; }
    /// <summary>The server's workspaceCache setting.</summary>
    public bool WorkspaceCache { get; init; } = true;
}

/// <param name="StartToFirstCompletionMs">from starting the process to the first completion's answer</param>
/// <param name="InitializedMs">from starting the process to the answer to initialize (the runtime started, the JSON-RPC connection up)</param>
/// <param name="ModelReadyMs">from starting the process to charRnn/status saying the model is ready</param>
/// <param name="ResidentMb">resident memory right after the model loaded and Requests more completions were answered</param>
/// <param name="IdleResidentMb">resident memory after the client was then quiet for the server's idle period and a little more</param>
/// <param name="LibtorchMapped">whether the process mapped libtorch (Linux; null elsewhere)</param>
public sealed record ServerCostRun(double StartToFirstCompletionMs, double InitializedMs, double ModelReadyMs, double ResidentMb, double IdleResidentMb,
    bool? LibtorchMapped, int Requests)
{
    /// <summary>From starting the process to the workspace loaded and counted by the cache (null without a workspace).</summary>
    public double? WorkspaceReadyMs { get; init; }
}

public static class ServerCostBenchmark
{
    private const string Uri = "file:///bench/Cost.cs";
    private const string Document = "class A\n{\n    void M(string[] args)\n    {\n        var count = args.Length;\n        Console.Wri\n    }\n}\n";

    public static Task<int> RunAsync(ServerCostOptions options) => BenchOutput.RunAsync("charrnn-server bench cost", () => MeasureRunsAsync(options));

    private static async Task MeasureRunsAsync(ServerCostOptions options)
    {
        if (options.Workspace is { } folder && !Directory.Exists(folder)) throw new UserError($"--workspace {folder}: no such folder.");
        var (checkpoint, output, requests, repeats) = options;
        if (checkpoint is null || !File.Exists(checkpoint)) throw new UserError($"cost needs --checkpoint PATH of an existing checkpoint (got '{checkpoint}').");
        var server = ServerCommand();
        var runs = new List<ServerCostRun>();
        for (var repeat = 0; repeat < repeats; repeat++)
        {
            var run = await MeasureAsync(server, Path.GetFullPath(checkpoint), requests, options);
            runs.Add(run);
            Console.WriteLine(FormattableString.Invariant(
                $"run {repeat + 1}: first completion {run.StartToFirstCompletionMs:F0} ms after start ") +
                FormattableString.Invariant($"(initialize answered at {run.InitializedMs:F0} ms, model ready at {run.ModelReadyMs:F0} ms); ") +
                FormattableString.Invariant($"{run.ResidentMb:F0} MB resident after {requests} more, {run.IdleResidentMb:F0} MB once idle; ") +
                FormattableString.Invariant($"libtorch mapped: {run.LibtorchMapped?.ToString() ?? "unknown"}") +
                (run.WorkspaceReadyMs is { } loaded ? FormattableString.Invariant($"; workspace loaded and counted at {loaded:F0} ms") : ""));
        }
        var start = Median.Of(runs.Select(r => r.StartToFirstCompletionMs));
        var resident = Median.Of(runs.Select(r => r.ResidentMb));
        var idle = Median.Of(runs.Select(r => r.IdleResidentMb));
        Console.WriteLine(FormattableString.Invariant(
            $"median of {repeats}: start to first completion {start:F0} ms; resident memory {resident:F0} MB after the requests, {idle:F0} MB idle; ") +
            FormattableString.Invariant($"{Environment.ProcessorCount} CPUs; checkpoint {checkpoint}") +
            (options.Workspace is { } workspace ? $"; workspace {Path.GetFullPath(workspace)}, workspace cache {(options.WorkspaceCache ? "on" : "off")}" : ""));
        if (output is not null)
            BenchOutput.WriteReport(output, new
            {
                checkpoint, requests, workspace = options.Workspace, workspaceCache = options.WorkspaceCache,
                startToFirstCompletionMs = start, residentMb = resident, idleResidentMb = idle, runs
            });
    }

    /// <summary>How to start this same server: its own executable, or `dotnet charrnn-server.dll` when the host runs it.</summary>
    private static ProcessStartInfo ServerCommand()
    {
        var host = Environment.ProcessPath ?? throw new UserError("cannot tell where this charrnn-server is, to start it");
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(System.Reflection.Assembly.GetEntryAssembly()?.Location ?? throw new UserError("cannot tell where charrnn-server.dll is, to start it"));
        return start;
    }

    private static async Task<ServerCostRun> MeasureAsync(ProcessStartInfo server, string checkpoint, int requests, ServerCostOptions options)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(server) ?? throw new UserError($"{server.FileName} did not start");
        _ = process.StandardError.ReadToEndAsync();   // drained, so the server never blocks on its log
        try
        {
            using var rpc = new JsonRpc(new HeaderDelimitedMessageHandler(FullDuplexStream.Splice(process.StandardOutput.BaseStream, process.StandardInput.BaseStream),
                new SystemTextJsonFormatter { JsonSerializerOptions = LspJson.CreateOptions() }));
            rpc.StartListening();
            await rpc.InvokeWithParameterObjectAsync<JsonElement>(Methods.Initialize,
                new InitializeParams(RootUri: options.Workspace is { } folder ? new System.Uri(Path.GetFullPath(folder)).AbsoluteUri : null,
                    InitializationOptions: JsonSerializer.SerializeToElement(new { checkpoint, loadWorkspace = options.Workspace is not null, workspaceCache = options.WorkspaceCache, seed = 1 })));
            var initializedMs = clock.Elapsed.TotalMilliseconds;
            await rpc.NotifyWithParameterObjectAsync(Methods.Initialized, new { });
            for (var ready = false; !ready; await Task.Delay(ready ? 0 : 10))
            {
                var status = await rpc.InvokeWithParameterObjectAsync<JsonElement>(Methods.Status, null);
                var state = status.GetProperty("state").GetString();
                if (state == "failed") throw new UserError($"the server could not load {checkpoint}: {status}");
                ready = state == "ready";
            }
            var readyMs = clock.Elapsed.TotalMilliseconds;
            await rpc.NotifyWithParameterObjectAsync(Methods.DidOpen, new DidOpenTextDocumentParams(new TextDocumentItem(Uri, "csharp", 1, Document)));
            var caret = new Position(5, 19);
            var request = new InlineCompletionParams(new TextDocumentIdentifier(Uri), caret, new InlineCompletionContext(InlineCompletionTriggerKind.Invoked));
            await rpc.InvokeWithParameterObjectAsync<InlineCompletionList>(Methods.InlineCompletion, request);
            var firstMs = clock.Elapsed.TotalMilliseconds;
            double? workspaceReadyMs = null;
            if (options.Workspace is not null)
            {
                // The memory that counts is the loaded workspace's: wait for Roslyn's load and the cache's counting.
                for (var loaded = false; !loaded; await Task.Delay(loaded ? 0 : 50))
                {
                    var status = await rpc.InvokeWithParameterObjectAsync<JsonElement>(Methods.Status, null);
                    loaded = status.GetProperty("workspaceLoaded").GetBoolean() &&
                             (!status.TryGetProperty("workspaceCache", out var cache) || cache.ValueKind != JsonValueKind.Object || cache.GetProperty("pending").GetInt32() == 0);
                }
                workspaceReadyMs = Math.Round(clock.Elapsed.TotalMilliseconds, 1);
            }
            for (var i = 0; i < requests; i++) await rpc.InvokeWithParameterObjectAsync<InlineCompletionList>(Methods.InlineCompletion, request);
            var (residentMb, libtorch) = Resident(process);
            // The editor then goes quiet (the user reads the completion): what the server holds while it waits.
            await Task.Delay(Threading.IdleMemoryTrimmer.IdleAfter + TimeSpan.FromSeconds(3));
            var (idleMb, _) = Resident(process);
            await rpc.InvokeWithParameterObjectAsync<JsonElement>(Methods.Shutdown, null);
            await rpc.NotifyWithParameterObjectAsync(Methods.Exit, null);
            return new ServerCostRun(Math.Round(firstMs, 1), Math.Round(initializedMs, 1), Math.Round(readyMs, 1), Math.Round(residentMb, 1), Math.Round(idleMb, 1), libtorch, requests)
            {
                WorkspaceReadyMs = workspaceReadyMs,
            };
        }
        finally
        {
            if (!process.WaitForExit(10_000)) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Resident memory in MB and, on Linux, whether libtorch is mapped (from /proc, which the runtime's figures do not show).</summary>
    private static (double ResidentMb, bool? Libtorch) Resident(Process process)
    {
        var proc = $"/proc/{process.Id}";
        if (OperatingSystem.IsLinux() && File.Exists($"{proc}/status"))
        {
            var kilobytes = File.ReadLines($"{proc}/status").First(line => line.StartsWith("VmRSS:", StringComparison.Ordinal))
                .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
            return (double.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) / 1024, File.ReadAllText($"{proc}/maps").Contains("libtorch_cpu", StringComparison.Ordinal));
        }
        process.Refresh();
        return (process.WorkingSet64 / 1048576.0, null);
    }

}
