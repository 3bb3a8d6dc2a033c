// An error the user can fix: its message names the problem and what to do. The command line prints
// the message alone (no stack trace) and exits with a non-zero code; anything else is a bug.
namespace CharRnnCode.Common;

public class UserError(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code for this error; 2 for bad input, 1 for everything else.</summary>
    public int ExitCode { get; init; } = 2;
}
