// The server's own log: a file named by --log (appended, one timestamped line per event) and, for
// warnings and errors, standard error, which editors show in their output panel. Standard output
// belongs to the protocol and is never written here. Messages for the user go through LSP instead.
using CharRnnCode.Completion;

namespace CharRnnCode.Server;

public sealed class ServerLog : ICompletionLog, IDisposable
{
    private readonly object _gate = new();
    private readonly TextWriter? _file;
    private readonly TextWriter? _errors;

    public ServerLog(string? filePath, TextWriter? errors)
    {
        if (filePath is not null)
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(filePath));
            if (directory is not null) Directory.CreateDirectory(directory);
            _file = new StreamWriter(new FileStream(filePath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        }
        _errors = errors;
    }

    /// <summary>A log that writes nowhere (tests that do not look at it).</summary>
    public static ServerLog None => new(null, null);

    public void Info(string message) => Write("info", message, toErrors: false);
    public void Warn(string message) => Write("warn", message, toErrors: true);
    public void Error(string message) => Write("error", message, toErrors: true);

    private void Write(string level, string message, bool toErrors)
    {
        lock (_gate)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {level} {message}";
            _file?.WriteLine(line);
            if (toErrors) _errors?.WriteLine($"charrnn-server: {level}: {message}");
        }
    }

    public void Dispose()
    {
        lock (_gate) _file?.Dispose();
    }
}
