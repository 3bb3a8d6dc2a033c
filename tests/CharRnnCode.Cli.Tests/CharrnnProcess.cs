// Runs the built charrnn (charrnn.dll beside the tests) as a user does: its own process, stdout and stderr
// captured apart, the exit code. `dotnet charrnn.dll` runs the program in the dotnet process itself, so the
// process id is charrnn's (what a signal is sent to).
using System.Diagnostics;
using System.Text;

namespace CharRnnCode.Cli.Tests;

internal sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

/// <summary>A charrnn process started and not yet waited for: what it printed so far can be read while it runs.</summary>
internal sealed class RunningCharrnn(Process process, StringBuilder stdout, StringBuilder stderr) : IDisposable
{
    public int Id => process.Id;

    public string StdoutSoFar { get { lock (stdout) return stdout.ToString(); } }

    public ProcessResult WaitForExit()
    {
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("charrnn did not finish in 3 minutes");
        }
        process.WaitForExit(); // the asynchronous readers have drained both streams after this
        lock (stdout) lock (stderr) return new ProcessResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Waits (up to a minute) until <paramref name="condition"/> holds; false if the process ended first or time ran out.</summary>
    public bool WaitUntil(Func<bool> condition)
    {
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromMinutes(1); Thread.Sleep(50))
        {
            if (condition()) return true;
            if (process.HasExited) return condition();
        }
        return false;
    }

    /// <summary>kill -9: the process gets no chance to clean up.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited) KillHard();
        process.Dispose();
    }
}

internal static class Charrnn
{
    public static ProcessResult Run(params string[] arguments) => Start(arguments).WaitForExit();

    public static ProcessResult RunIn(string workingDirectory, params string[] arguments) => Start(arguments, workingDirectory).WaitForExit();

    public static RunningCharrnn Start(IEnumerable<string> arguments, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "charrnn.dll"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Nothing in the tests' own environment may decide the width: output that is not a terminal is never wrapped.
        start.Environment.Remove("COLUMNS");
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (stderr) stderr.Append(e.Data).Append('\n'); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningCharrnn(process, stdout, stderr);
    }
}

/// <summary>A temporary folder for one test, deleted with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("charrnn-cli-tests-").FullName;

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
