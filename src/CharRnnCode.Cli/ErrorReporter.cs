// Turns exceptions that escape a command into one clear message and an exit code.
// User errors (bad input the user can fix) print their message alone; anything else is a bug and
// prints its type and message, plus the stack trace when CHARRNN_DEBUG is set.
using CharRnnCode.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli;

internal static class ErrorReporter
{
    public static int Report(Exception exception, ITypeResolver? resolver)
    {
        var error = Unwrap(exception);
        switch (error)
        {
            case UserError user:
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {user.Message}");
                return user.ExitCode;
            case CommandParseException or CommandRuntimeException:
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {error.Message}");
                AnsiConsole.MarkupLine("Run [bold]charrnn --help[/] or [bold]charrnn COMMAND --help[/] for usage.");
                return 2;
            case OperationCanceledException:
                AnsiConsole.MarkupLine("[yellow]interrupted:[/] nothing half-written was left behind.");
                return 130;
            default:
                AnsiConsole.MarkupLineInterpolated($"[red]error:[/] {error.GetType().Name}: {error.Message}");
                if (Environment.GetEnvironmentVariable("CHARRNN_DEBUG") is { Length: > 0 })
                    AnsiConsole.WriteException(error);
                else
                    AnsiConsole.MarkupLine("[grey]Set CHARRNN_DEBUG=1 for the stack trace.[/]");
                return 1;
        }
    }

    private static Exception Unwrap(Exception exception)
    {
        while (exception is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && exception.InnerException is not null)
            exception = exception.InnerException!;
        return exception;
    }
}
