// A user error about one of the inputs a caller passed in (a path, an option, a key=value override): which input is
// wrong, and the problem in the library's own terms. The problem may name inputs as {name} (camelCase, the library's
// name for them, e.g. {initFrom}); a front end renders those names in its own wording (the command line as flags,
// the server as settings) through Describe, while Message renders them as the bare names.
// It does not know any front end's flags or settings: each front end chooses its wording (AsOption is the spelling of a
// command line whose options are named after the inputs, as charrnn's and charrnn-server bench's are).
using System.Text.RegularExpressions;

namespace CharRnnCode.Common;

public partial class InvalidInputError(string input, string problem, Exception? inner = null)
    : UserError(Render(problem, name => name), inner)
{
    /// <summary>The library's name of the input that is wrong (camelCase, e.g. "maxFileKb").</summary>
    public string Input { get; } = input;

    /// <summary>What is wrong, naming inputs as {name}.</summary>
    public string Problem { get; } = problem;

    /// <summary>An input as a command line spells it: its camelCase name in kebab case after two dashes (maxFileKb is --max-file-kb).
    /// For front ends whose options are named after the inputs.</summary>
    public static string AsOption(string input) =>
        "--" + string.Concat(input.Select((c, i) => char.IsUpper(c) ? (i > 0 ? "-" : "") + char.ToLowerInvariant(c) : c.ToString()));

    /// <summary>The problem with every {name} written as <paramref name="nameOfInput"/> says.</summary>
    public override string Describe(Func<string, string> nameOfInput) => Render(Problem, nameOfInput);

    /// <summary>The same error with <paramref name="context"/> (e.g. "grid point 3: ") in front of its problem.</summary>
    public InvalidInputError After(string context) => new(Input, context + Problem, InnerException) { ExitCode = ExitCode };

    private static string Render(string problem, Func<string, string> nameOfInput) =>
        InputReference().Replace(problem, m => nameOfInput(m.Groups[1].Value));

    [GeneratedRegex(@"\{([a-z][A-Za-z]*)\}")]
    private static partial Regex InputReference();
}
