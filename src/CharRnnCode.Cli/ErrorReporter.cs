// Turns exceptions that escape a command into one clear message on stderr and an exit code.
// User errors (bad input the user can fix) print their message alone, the inputs it names worded as this
// command line's options (an InvalidInputError's {maxFileKb} is --max-file-kb); usage errors (an unknown
// option or verb, a bad value) add the closest option and a pointer to --help and exit 2; anything
// else is a bug and prints its type and message, plus the stack trace when CHARRNN_DEBUG is set.
using CharRnnCode.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli;

internal static class ErrorReporter
{
    /// <summary>The verbs' options, for suggesting the option a misspelled one was meant to be.</summary>
    public static VerbOptions? Verbs { get; set; }

    /// <summary>The command line as given, set by Program before parsing.</summary>
    public static IReadOnlyList<string> Arguments { get; set; } = [];

    private const int NoSpaceLeftOnDevice = 28;

    public static int Report(Exception exception, ITypeResolver? resolver)
    {
        var error = Unwrap(exception);
        var console = Terminal.Error;
        switch (error)
        {
            case UserError user:
                console.MarkupLineInterpolated($"[red]error:[/] {user.Describe(Flag)}");
                return user.ExitCode;
            case CommandParseException or CommandRuntimeException:
                console.MarkupLineInterpolated($"[red]error:[/] {error.Message}{Suggestion(error.Message)}");
                console.MarkupLine("Run [bold]charrnn --help[/] or [bold]charrnn COMMAND --help[/] for usage.");
                return 2;
            case IOException io:
                // A full disk or a missing permission is the machine's state, not a bug: its message says it all.
                // On Unix an I/O error's HResult is the errno; ENOSPC (28) gets what to do.
                console.MarkupLineInterpolated($"[red]error:[/] {io.Message}");
                if (io.HResult == NoSpaceLeftOnDevice)
                    console.MarkupLine("The disk is full: free some space, or write to another disk (--out).");
                return 1;
            case OperationCanceledException:
                console.MarkupLine("[yellow]interrupted:[/] nothing half-written was left behind.");
                return 130;
            default:
                console.MarkupLineInterpolated($"[red]error:[/] {error.GetType().Name}: {error.Message}");
                if (Environment.GetEnvironmentVariable("CHARRNN_DEBUG") is { Length: > 0 })
                    console.WriteException(error);
                else
                    console.MarkupLine("[grey]Set CHARRNN_DEBUG=1 for the stack trace.[/]");
                return 1;
        }
    }

    /// <summary>The option that carries the library input <paramref name="input"/>: every charrnn option is named after its input (maxFileKb is --max-file-kb).</summary>
    public static string Flag(string input) => InvalidInputError.AsOption(input);

    // Spectre's message for an unknown option is "Unknown option 'NAME'."; the option is looked up among the verb's own.
    // Its message for a bad value ("Failed to convert 'abc' to Int32.") does not say which option: the argument before it does.
    private static string Suggestion(string message)
    {
        const string prefix = "Unknown option '";
        const string conversion = "Failed to convert '";
        if (message.StartsWith(conversion, StringComparison.Ordinal))
        {
            var value = message[conversion.Length..message.IndexOf('\'', conversion.Length)];
            var at = Arguments.ToList().IndexOf(value);
            return at > 0 && Arguments[at - 1].StartsWith('-') ? $" (the value of {Arguments[at - 1]})" : "";
        }
        if (Verbs is null || !message.StartsWith(prefix, StringComparison.Ordinal)) return "";
        var unknown = message[prefix.Length..message.IndexOf('\'', prefix.Length)];
        return VerbOptions.ClosestOption(unknown, Verbs.OptionsOf(Arguments)) is { } closest ? $" Did you mean {closest}?" : "";
    }

    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && exception.InnerException is not null)
            exception = exception.InnerException!;
        return exception;
    }
}
