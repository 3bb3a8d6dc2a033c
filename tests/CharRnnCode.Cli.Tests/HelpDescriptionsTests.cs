// Every option and argument a help page lists has a description, and that description is the comment over
// its settings property (charrnn's verbs, charrnn-server's benchmarks): a property added without one shows up
// here, not as a bare row in --help. docs/cli.md's option tables say what each verb's help says, row for row.
using System.Text.RegularExpressions;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Cli.Tests;

public sealed partial class HelpDescriptionsTests
{
    private static readonly string[] Verbs =
    [
        "harvest", "train", "sample", "eval", "ngram", "export", "adapt", "experiment seed-linux", "sweep plan", "sweep run", "sweep report",
        "bench harvest", "bench train", "bench score", "quickstart", "doctor",
    ];

    public static TheoryData<string> CharrnnVerbs() => [.. Verbs];

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

    [Fact]
    public void The_option_tables_in_cli_md_say_what_each_verbs_help_says()
    {
        var markdown = File.ReadAllText(Path.Combine(DotnetTools.RepositoryRoot(), "docs", "cli.md")).Replace("\r\n", "\n");
        var tables = OptionTable().Matches(markdown);
        var undocumented = Verbs.Except(tables.Select(t => t.Groups["verb"].Value)).ToList();
        Assert.True(undocumented.Count == 0, $"verbs with no option table in docs/cli.md: {string.Join(", ", undocumented)}");
        static Dictionary<string, string> Rows(Match table) => table.Groups["rows"].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2)
            .Select(row => row.Trim('|').Split(" | ", 2))
            .ToDictionary(cells => cells[0].Trim().Trim('`'), cells => cells[1].Trim().TrimEnd('|').Trim());
        var rowsByVerb = tables.ToDictionary(t => t.Groups["verb"].Value, Rows);
        var problems = new List<string>();
        foreach (Match table in tables)
        {
            var verb = table.Groups["verb"].Value;
            var help = HelpRows(Charrnn.Run([.. verb.Split(' '), "--help"]).Stdout);
            var documented = rowsByVerb[verb];
            // "and every option of `harvest` that …" under a table: the rest of the verb's options are in that verb's table.
            var shared = table.Groups["also"].Success ? rowsByVerb[table.Groups["also"].Value] : [];
            foreach (var (option, text) in documented)
                if (!help.TryGetValue(option, out var said)) problems.Add($"{verb}: {option} is in docs/cli.md, not in --help");
                else if (said.TrimEnd('.') != text.TrimEnd('.')) problems.Add($"{verb}: {option}\n  docs/cli.md: {text}\n  --help:      {said}");
            problems.AddRange(help.Keys.Where(option => option != "-h, --help" && !documented.ContainsKey(option) && !shared.ContainsKey(option))
                .Select(option => $"{verb}: {option} is in --help, not in docs/cli.md"));
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>The OPTIONS rows of a help page that is not wrapped (charrnn's, written to a pipe): option column to description.</summary>
    private static Dictionary<string, string> HelpRows(string help) =>
        help.Split('\n').Select(line => HelpRow().Match(line)).Where(m => m.Success)
            .ToDictionary(m => m.Groups["option"].Value, m => m.Groups["description"].Value.Trim());

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
    [GeneratedRegex(@"Options \(`charrnn (?<verb>[a-z -]+?) --help`\)[^:\n]*:\n\n(?<rows>(?:\|.*\n)+)(?:\nand every option of `(?<also>[a-z -]+)`)?")] private static partial Regex OptionTable();
    [GeneratedRegex(@"^ {4}(?:    )?(?<option>(?:-[a-zA-Z], )?--[a-z][a-z0-9-]*(?: <[^>]+>)?) {2,}(?<description>.*)$")] private static partial Regex HelpRow();
    [GeneratedRegex(@"^ {4}(?:-[a-zA-Z], |    )?(?:--[a-z][a-z0-9-]*(?: <[A-Z_:=]+>)?|<[A-Z]+>|\[[A-Z]+\])(?<description>.*)$")] private static partial Regex Row();
}
