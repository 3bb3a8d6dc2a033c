// Dynamic evaluation for the open workspace (the setting dynamicEvaluation, off by default): once the workspace
// has loaded, a `charrnn adapt` process takes gradient steps on a copy of the served model's weights over the
// workspace's C# files and the open documents' editor text (their files on disk are left out), at the lowest
// CPU priority with one thread, and writes the adapted checkpoint under the cache folder. When it succeeds the
// server serves that file (the prefix states and type-through are rebuilt, as for any new model). The server
// never loads TorchSharp: the command-line tool does the steps. It runs at most once per server; a failure
// (no CLI, a crash, a time-out) is logged and the server keeps the model it had.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using CharRnnCode.Common;
using CharRnnCode.Completion.Modeling;

namespace CharRnnCode.Server.Features.Workspace;

public static class WorkspaceAdaptation
{
    /// <summary>How long the adaptation steps for (the process's own budget).</summary>
    public const int AdaptSeconds = 120;
    /// <summary>The process is stopped past this, whatever it is doing.</summary>
    private static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(AdaptSeconds + 300);

    /// <summary>Starts the adaptation when the setting is on and it has not run yet; returns whether the adapted model is served.</summary>
    public static Task<bool> StartIfWanted(ServerContext context)
    {
        if (!context.Settings.DynamicEvaluation || context.WorkspaceFolders.Count == 0) return Task.FromResult(false);
        if (Interlocked.Exchange(ref context.AdaptationStarted, 1) == 1) return context.Adaptation;
        return context.Adaptation = Task.Run(() => RunAsync(context));
    }

    private static async Task<bool> RunAsync(ServerContext context)
    {
        var log = context.Log;
        try
        {
            var loaded = await context.Loading;
            if (loaded.State != ModelState.Ready || loaded.Checkpoint is not { } checkpoint)
            {
                log.Warn("dynamic evaluation: no model is loaded, so there is nothing to adapt");
                return false;
            }
            if (FindCli(context.Settings.CliPath) is not { } cli)
            {
                log.Warn("dynamic evaluation: the command-line tool `charrnn` was not found (set cliPath, or put charrnn on PATH); serving the model as it is");
                return false;
            }
            var root = context.WorkspaceFolders[0];
            var folder = CachePaths.Sub(Path.Combine("adapted", Hash(root + "\n" + checkpoint)));
            var output = Path.Combine(folder, "adapted.ckpt");
            var openText = Path.Combine(folder, "open-documents.txt");
            var open = context.Documents.All().Where(document => document.Text is not null).ToList();
            AtomicFile.WriteAllText(openText, string.Concat(open.Select(document => "\n" + document.Text)));
            var arguments = new List<string> { "adapt", "--checkpoint", checkpoint, "--workspace", root, "--out", output, "--force",
                "--max-seconds", AdaptSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--threads", "1", "--text", openText };
            foreach (var document in open) arguments.AddRange(["--skip", CharRnnCode.Completion.RoslynReranker.PathOf(document.Uri)]);
            log.Info($"dynamic evaluation: adapting {checkpoint} to {root} in the background ({AdaptSeconds} s, one thread, lowest priority)");
            var clock = Stopwatch.StartNew();
            var (exitCode, errors) = await RunProcessAsync(cli, arguments);
            if (exitCode != 0 || !File.Exists(output))
            {
                log.Warn($"dynamic evaluation: charrnn adapt failed (exit {exitCode}): {errors.Trim()}");
                return false;
            }
            var status = await context.Model.LoadAsync(output, context.Settings.Device, context.Settings.Threads);
            if (status.State != ModelState.Ready)
            {
                log.Warn($"dynamic evaluation: the adapted checkpoint did not load: {status.Error}");
                await context.Model.LoadAsync(checkpoint, context.Settings.Device, context.Settings.Threads, loaded.DefaultModel);
                return false;
            }
            log.Info($"dynamic evaluation: serving the adapted weights {output}, {clock.Elapsed.TotalSeconds:F0} s after it started");
            return true;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            log.Warn($"dynamic evaluation failed: {error.Message}");
            return false;
        }
    }

    /// <summary>The command that runs the CLI: an executable, or `dotnet` with a charrnn.dll; the setting first, then PATH.</summary>
    public static (string FileName, string[] Prefix)? FindCli(string? setting)
    {
        if (!string.IsNullOrWhiteSpace(setting))
        {
            if (!Path.IsPathFullyQualified(setting) || !File.Exists(setting)) return null;
            return setting.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) ? ("dotnet", [setting]) : (setting, []);
        }
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (!Path.IsPathFullyQualified(directory)) continue; // a relative PATH entry would resolve against the workspace
            var candidate = Path.Combine(directory, OperatingSystem.IsWindows() ? "charrnn.exe" : "charrnn");
            if (File.Exists(candidate)) return (candidate, []);
        }
        return null;
    }

    private static async Task<(int ExitCode, string Errors)> RunProcessAsync((string FileName, string[] Prefix) cli, List<string> arguments)
    {
        var start = new ProcessStartInfo(cli.FileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in cli.Prefix.Concat(arguments)) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {cli.FileName}");
        try { process.PriorityClass = ProcessPriorityClass.Idle; }
        catch (Exception error) when (error is InvalidOperationException or System.ComponentModel.Win32Exception) { }
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var limit = new CancellationTokenSource(ProcessLimit);
        try { await process.WaitForExitAsync(limit.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"stopped after {ProcessLimit.TotalSeconds:F0} s");
        }
        return (process.ExitCode, await errors);
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
}
