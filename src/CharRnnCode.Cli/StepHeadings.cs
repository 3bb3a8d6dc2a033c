// How the verbs that run other verbs (quickstart, experiment seed-linux) announce each step: a heading
// rule "N/T name" and the plain charrnn command the step runs, so that a reader can run it alone. It
// does not run anything and does not know the steps.
using Spectre.Console;

namespace CharRnnCode.Cli;

internal static class StepHeadings
{
    // A rule fills the width; redirected output has no width (it is never wrapped), so there a rule is a line of fixed length.
    /// <summary>A heading line; <paramref name="titleMarkup"/> is Spectre markup (escape what is not).</summary>
    public static void Heading(string titleMarkup)
    {
        if (Terminal.OutIsTerminal) AnsiConsole.Write(new Rule(titleMarkup).LeftJustified());
        else AnsiConsole.MarkupLine($"── {titleMarkup} {new string('─', 80)}");
    }

    /// <summary>A blank line, the heading "<paramref name="number"/>/<paramref name="total"/> <paramref name="name"/>" and the command.</summary>
    public static void Step(int number, int total, string name, string command)
    {
        AnsiConsole.WriteLine();
        Heading($"[bold]{number}/{total} {Markup.Escape(name)}[/]");
        AnsiConsole.MarkupLineInterpolated($"[grey]$ {command}[/]");
    }
}
