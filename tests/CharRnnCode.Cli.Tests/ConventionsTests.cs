// The conventions every verb shares (issue 17): strict option parsing with the closest option named and
// exit code 2; errors on stderr and results on stdout; no wrapping when stdout is not a terminal; NaN and
// infinity refused by every floating-point option; bare `charrnn` is a usage error; options checked
// before any work. Each runs the built program.
namespace CharRnnCode.Cli.Tests;

public sealed class ConventionsTests
{
    public static TheoryData<string[]> EveryVerb => new()
    {
        { ["harvest"] }, { ["train"] }, { ["sample"] }, { ["eval"] }, { ["export"] }, { ["ngram"] }, { ["quickstart"] }, { ["doctor"] },
        { ["bench", "harvest"] }, { ["bench", "train"] }, { ["bench", "score"] }, { ["experiment", "seed-linux"] },
        { ["sweep", "plan"] }, { ["sweep", "run"] }, { ["sweep", "report"] },
    };

    [Theory]
    [MemberData(nameof(EveryVerb))]
    public void Every_verb_refuses_an_unknown_option_with_exit_code_2(string[] verb)
    {
        using var folder = new TempFolder();
        var result = Charrnn.RunIn(folder.Path, [.. verb, "--bogus-flag"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown option 'bogus-flag'", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path)); // it did nothing
    }

    public static TheoryData<string[], string> BadOptions => new()
    {
        { ["sample", "--checkpoint", "X", "--lenght", "30"], "Unknown option 'lenght'. Did you mean --length?" },
        { ["sample", "--checkpoint", "X", "--length", "abc"], "Failed to convert 'abc' to Int32. (the value of --length)" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_misspelled_option_or_a_bad_value_is_named_with_what_was_meant(string[] arguments, string expected)
    {
        var result = Charrnn.Run(arguments);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Theory]
    [InlineData(new string[0], "quickstart")]
    [InlineData(new[] { "bench" }, "score")]
    [InlineData(new[] { "sweep" }, "report")]
    public void A_missing_verb_is_a_usage_error_with_the_help_on_stderr(string[] arguments, string listedVerb)
    {
        var result = Charrnn.Run(arguments);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("no command given", result.Stderr);
        Assert.Contains(listedVerb, result.Stderr);
    }

    public static TheoryData<string[]> NonFiniteNumbers => new()
    {
        { ["sample", "--checkpoint", "X", "--temperature", "NaN"] },
        { ["sample", "--checkpoint", "X", "--top-p", "Infinity"] },
        { ["eval", "--checkpoint", "X", "--corpus", "C", "--out", "R", "--line-temperature=-Infinity"] },
        { ["eval", "--checkpoint", "X", "--corpus", "C", "--out", "R", "--temperatures", "0.5,NaN"] },
        { ["harvest", "--repo", "X", "--near-dedup", "NaN"] },
        { ["harvest", "--repo", "X", "--val", "NaN"] },
        { ["train", "--corpus", "C", "--out", "R", "--max-minutes", "Infinity"] },
        { ["train", "--corpus", "C", "--out", "R", "--set", "learningRate=NaN"] },
        { ["quickstart", "--minutes", "NaN"] },
        { ["sweep", "plan", "grid.json", "--out", "S", "--minutes", "NaN"] },
    };

    [Theory]
    [MemberData(nameof(NonFiniteNumbers))]
    public void NaN_and_infinity_are_refused_by_every_floating_point_option(string[] arguments)
    {
        using var folder = new TempFolder();
        var result = Charrnn.RunIn(folder.Path, arguments);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("finite", result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void Output_that_is_not_a_terminal_is_not_wrapped()
    {
        // The checks as data give the number of rows; the table must have exactly one line per row, whatever
        // the length of its values (paths, native-library details run past 80 columns).
        var json = Charrnn.Run("doctor", "--json");
        var checks = System.Text.Json.JsonDocument.Parse(json.Stdout).RootElement.GetProperty("checks").EnumerateObject().Count();
        var table = Charrnn.Run("doctor");
        var lines = table.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(checks + 4, lines.Length); // top border, header, separator, bottom border
    }

    [Fact]
    public void Train_help_lists_the_set_keys_with_their_defaults_and_comments()
    {
        var result = Charrnn.Run("train", "--help");
        Assert.Equal(0, result.ExitCode);
        var line = result.Stdout.Split('\n').Single(l => l.TrimStart().StartsWith("learningRate ", StringComparison.Ordinal));
        Assert.Contains("0.002", line);
        Assert.Contains("Peak learning rate, reached after warm-up.", line);
        Assert.Contains(result.Stdout.Split('\n'), l => l.TrimStart().StartsWith("hidden ", StringComparison.Ordinal) && l.Contains("256"));
    }

    [Fact]
    public void A_bad_set_value_is_blamed_on_the_set_flag_and_nothing_is_made()
    {
        using var folder = new TempFolder();
        var corpus = CodeCorpus.Write(folder["corpus"], CodeCorpus.Code(10, seed: 2));
        var result = Charrnn.Run("train", "--corpus", corpus, "--preset", "tiny", "--set", "learningRate=abc", "--out", folder["run"]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--set learningRate=abc", result.Stderr);
        Assert.Contains("a finite number", result.Stderr);
        Assert.DoesNotContain("tiny.json", result.Stderr);
        Assert.False(Directory.Exists(folder["run"]));
    }

    public static TheoryData<string[], string> BadQuickstartOptions => new()
    {
        { ["--from-scratch", "--preset", "huge"], "preset 'huge' not found" },
        { ["--preset", "lstm-2x512"], "add --from-scratch" },
        { ["--repo", "torvalds/linux", "--lang", "klingon"], "klingon" },
        { ["--threads", "0"], "--threads" },
    };

    [Theory]
    [MemberData(nameof(BadQuickstartOptions))]
    public void Quickstart_checks_every_option_before_any_work_or_folder(string[] options, string expected)
    {
        using var folder = new TempFolder();
        var run = folder["run"];
        var result = Charrnn.RunIn(folder.Path, ["quickstart", "--out", run, .. options]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }
}
