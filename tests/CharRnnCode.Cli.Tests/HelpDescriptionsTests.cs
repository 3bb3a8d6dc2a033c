// Every option and argument a help page lists has a description, and that description is the comment over
// its settings property (charrnn's verbs, charrnn-server's benchmarks): a property added without one shows up
// here, not as a bare row in --help.
using System.Text.RegularExpressions;

namespace CharRnnCode.Cli.Tests;

public sealed partial class HelpDescriptionsTests
{
    public static TheoryData<string> CharrnnVerbs() =>
    [
        "harvest", "train", "sample", "eval", "ngram", "export", "adapt", "experiment seed-linux", "sweep plan", "sweep run", "sweep report",
        "bench harvest", "bench train", "bench score", "quickstart", "doctor",
    ];

    public static TheoryData<string> Benchmarks() => ["", "lines", "first-request", "cost", "typing"];

    [Theory]
    [MemberData(nameof(CharrnnVerbs))]
    public void Every_option_and_argument_of_a_charrnn_verb_has_a_description(string verb)
    {
        var result = Charrnn.Run([.. verb.Split(' '), "--help"]);

        Assert.Equal(0, result.ExitCode);
        AssertEveryRowDescribed(result.Stdout, $"charrnn {verb} --help");
    }

    [Theory]
    [MemberData(nameof(Benchmarks))]
    public void Every_option_of_a_server_benchmark_has_a_description(string benchmark)
    {
        var help = DocumentedCommandsTests.RunServer(["bench", .. benchmark.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Contains("OPTIONS:", help);
        AssertEveryRowDescribed(help, $"charrnn-server bench {benchmark} --help");
    }

    [Fact]
    public void An_options_description_is_the_comment_over_its_property()
    {
        var help = Charrnn.Run("eval", "--help").Stdout;

        Assert.Matches(@"\n +--samples <N> +Free-running samples per temperature\. Default 16 *\n", help);
        Assert.Matches(@"\n +<GRID> +Grid file \(\.json\): corpus, preset, grid \(key: \[values\]\)", Charrnn.Run("sweep", "plan", "--help").Stdout);
    }

    /// <summary>Fails naming each row of the OPTIONS and ARGUMENTS sections that has nothing after its option or argument.</summary>
    private static void AssertEveryRowDescribed(string help, string command)
    {
        var rows = 0;
        var bare = new List<string>();
        var section = "";
        foreach (var line in help.Split('\n'))
        {
            if (Heading().Match(line) is { Success: true } heading) { section = heading.Value; continue; }
            if (section is not ("OPTIONS:" or "ARGUMENTS:") || Row().Match(line) is not { Success: true } row) continue;
            rows++;
            if (row.Groups["description"].Value.Trim().Length == 0) bare.Add(line.Trim());
        }
        Assert.True(rows > 1, $"{command}: no option rows found in\n{help}");
        Assert.True(bare.Count == 0, $"{command}: rows without a description:\n{string.Join('\n', bare)}");
    }

    [GeneratedRegex(@"^[A-Z][A-Z ]*:")] private static partial Regex Heading();
    [GeneratedRegex(@"^ {4}(?:-[a-zA-Z], |    )?(?:--[a-z][a-z0-9-]*(?: <[A-Z_:=]+>)?|<[A-Z]+>|\[[A-Z]+\])(?<description>.*)$")] private static partial Regex Row();
}
