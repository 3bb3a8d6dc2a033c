// The two consoles every verb writes to: results on stdout, progress, warnings and errors on stderr.
// When a stream is not a terminal (piped or redirected to a file) nothing is wrapped: Spectre would
// otherwise assume 80 columns and break paths and summary lines in the middle.
using Spectre.Console;

namespace CharRnnCode.Cli;

internal static class Terminal
{
    /// <summary>Width given to a redirected stream: wide enough that no line a verb prints is wrapped.</summary>
    public const int UnwrappedWidth = 10_000;

    /// <summary>Results: what a script would capture.</summary>
    public static IAnsiConsole Out { get; } = Create(Console.Out, Console.IsOutputRedirected);

    /// <summary>Progress, notes, warnings and errors.</summary>
    public static IAnsiConsole Error { get; } = Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>
    /// Progress bars and the log lines drawn with them: on the terminal when stdout is one (where a live display
    /// and the results share the screen), else on stderr, so that redirected stdout holds the results alone.
    /// </summary>
    public static IAnsiConsole Progress => Console.IsOutputRedirected ? Error : Out;

    /// <summary>A warning on stderr: work goes on, but something was left out (its text says what).</summary>
    public static void Warn(string text) => Error.MarkupLineInterpolated($"[yellow]warning[/]: {text}.");

    /// <summary>True when stdout is a terminal, where widgets that fill the width (rules, expanded panels) make sense.</summary>
    public static bool OutIsTerminal => !Console.IsOutputRedirected;

    private static IAnsiConsole Create(TextWriter writer, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });
        if (redirected) console.Profile.Width = UnwrappedWidth;
        return console;
    }
}
