// Where the completion library reports what goes wrong off the request path (Roslyn's warm-up, encoding
// ahead): the caller supplies it (the language server its log file). It carries no request results: those
// come back in each CompletionResult's trace.
namespace CharRnnCode.Completion;

public interface ICompletionLog
{
    void Warn(string message);
    void Error(string message);
}

/// <summary>A log that drops every message (benchmarks and evaluations that report through their results).</summary>
public sealed class SilentCompletionLog : ICompletionLog
{
    public static readonly SilentCompletionLog Instance = new();

    public void Warn(string message) { }
    public void Error(string message) { }
}
