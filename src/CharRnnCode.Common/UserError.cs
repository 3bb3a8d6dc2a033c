// An error the user can fix: its message names the problem and what to do. The command line prints
// the message alone (no stack trace) and exits with a non-zero code; anything else is a bug.
// An error about a particular input is an InvalidInputError, which front ends word in their own terms.
namespace CharRnnCode.Common;

public class UserError(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The process exit code for this error; 2 for bad input, 1 for everything else.</summary>
    public int ExitCode { get; init; } = 2;

    /// <summary>The message, with the inputs it names worded by <paramref name="nameOfInput"/> (see <see cref="InvalidInputError"/>).</summary>
    public virtual string Describe(Func<string, string> nameOfInput) => Message;
}
