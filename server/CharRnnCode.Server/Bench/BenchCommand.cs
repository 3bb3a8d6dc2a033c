// `charrnn-server bench [lines | first-request | cost | typing]`: the verb's wiring and nothing more. It picks the
// benchmark the sub-verb names, parses the arguments with System.CommandLine into that benchmark's typed
// options (a bad argument: each problem and the usage on stderr, exit code 2), and runs it. The
// benchmarks beside it in this folder measure and report; the serving path (LanguageServer, Dispatch,
// Features) never refers to this folder: Program.cs hands it `bench ...` and serves otherwise.
using System.CommandLine;

namespace CharRnnCode.Server.Bench;

public static class BenchCommand
{
    /// <param name="args">the arguments after `bench`</param>
    public static Task<int> RunAsync(string[] args) => args switch
    {
        ["lines", .. var rest] => RunLinesAsync(rest),
        ["first-request", .. var rest] => RunFirstRequestAsync(rest),
        ["cost", .. var rest] => RunCostAsync(rest),
        ["typing", .. var rest] => RunTypingAsync(rest),
        _ => RunServeAsync(args),
    };

    private const string ServeUsage = "charrnn-server bench --checkpoint PATH --file FILE.cs [--requests N] [--repeats N] [--budget-ms N] [--out|--json FILE.json]";
    private const string FirstRequestUsage = "charrnn-server bench first-request --checkpoint PATH --files DIR [--requests N] [--seed N] [--trigger invoked|automatic] [--budget-ms N] [--candidates K] [--out|--json FILE.json]";
    private const string CostUsage = "charrnn-server bench cost --checkpoint PATH [--requests N] [--repeats N] [--workspace DIR] [--workspace-cache on|off] [--out|--json FILE.json]";
    private const string LinesUsage = "charrnn-server bench lines --checkpoint PATH --repo DIR [--requests N] [--seed N] [--out|--json FILE.json]";

    private static async Task<int> RunServeAsync(string[] args)
    {
        var common = new CommonOptions(requests: 200, outputDescription: "Also write the rows as JSON to this file.");
        var fileOption = new Option<string>("--file") { Description = "C# file whose typing is replayed." };
        var repeatsOption = PositiveInt("--repeats", 3);
        var budgetOption = PositiveInt("--budget-ms", 1000);
        var parsed = ParseOrReport(new Command("bench") { common.Checkpoint, fileOption, common.Output, common.Requests, repeatsOption, budgetOption },
            args, "charrnn-server bench", ServeUsage);
        if (parsed is null) return 2;
        return await ServeBenchmark.RunAsync(new ServeBenchOptions(parsed.GetValue(common.Checkpoint), parsed.GetValue(fileOption), parsed.GetValue(common.Output),
            parsed.GetValue(common.Requests), parsed.GetValue(repeatsOption), parsed.GetValue(budgetOption)));
    }

    private static async Task<int> RunFirstRequestAsync(string[] args)
    {
        var common = new CommonOptions(requests: 150, outputDescription: "Also write the report as JSON to this file.");
        var filesOption = new Option<string>("--files") { Description = "A folder of C# files, or a corpus folder (its test split)." };
        var seedOption = PositiveInt("--seed", 1);
        var triggerOption = new Option<string>("--trigger") { DefaultValueFactory = _ => "invoked" };
        triggerOption.AcceptOnlyFromAmong("invoked", "automatic");
        var budgetOption = PositiveInt("--budget-ms", 0);          // absent (0): the server's default
        var candidatesOption = PositiveInt("--candidates", 0);
        var parsed = ParseOrReport(
            new Command("first-request") { common.Checkpoint, filesOption, common.Output, common.Requests, seedOption, triggerOption, budgetOption, candidatesOption },
            args, "charrnn-server bench first-request", FirstRequestUsage);
        if (parsed is null) return 2;
        return await FirstRequestBenchmark.RunAsync(new FirstRequestOptions(parsed.GetValue(common.Checkpoint), parsed.GetValue(filesOption), parsed.GetValue(common.Output),
            parsed.GetValue(common.Requests), parsed.GetValue(seedOption), parsed.GetValue(triggerOption)!,
            BudgetMs: parsed.GetValue(budgetOption) is > 0 and var budgetMs ? budgetMs : null,
            Candidates: parsed.GetValue(candidatesOption) is > 0 and var count ? count : null));
    }

    private static async Task<int> RunLinesAsync(string[] args)
    {
        var common = new CommonOptions(requests: 150, outputDescription: "Also write the report as JSON to this file.");
        var repoOption = new Option<string>("--repo") { Description = "A folder of C# sources the model did not train on." };
        var seedOption = PositiveInt("--seed", 1);
        var parsed = ParseOrReport(new Command("lines") { common.Checkpoint, repoOption, common.Output, common.Requests, seedOption },
            args, "charrnn-server bench lines", LinesUsage);
        if (parsed is null) return 2;
        return await LineQualityBenchmark.RunAsync(new LineQualityOptions(parsed.GetValue(common.Checkpoint), parsed.GetValue(repoOption), parsed.GetValue(common.Output),
            parsed.GetValue(common.Requests), parsed.GetValue(seedOption)));
    }

    private const string TypingUsage = "charrnn-server bench typing --repo DIR [--files A.cs,B.cs] [--lines N] [--checkpoint PATH] [--seed N] [--min-confidence LIST] [--stop-agreement LIST] [--hold-out] [--workspace-cache on|off] [--dynamic-evaluation --cli PATH] [--out|--json FILE.json]";

#if !TYPING_REPLAY
    private static Task<int> RunTypingAsync(string[] args)
    {
        Console.Error.WriteLine("charrnn-server bench typing: this charrnn-server is the editor's bundle, built without the typing replay " +
            "(its IntelliSense peer is Roslyn's completion service, which serving does not need). Run it from the .NET tool " +
            "(dotnet tool install charrnn-server) or a build: dotnet run --project server/CharRnnCode.Server -c Release -- bench typing ...");
        return Task.FromResult(2);
    }
#else
    private static async Task<int> RunTypingAsync(string[] args)
    {
        var repoOption = new Option<string>("--repo") { Description = "A folder of C# files, opened as the workspace; lines are typed in them." };
        var filesOption = new Option<string>("--files") { Description = "Only these files' lines, comma-separated, relative to --repo." };
        var linesOption = PositiveInt("--lines", 100);
        var checkpointOption = new Option<string>("--checkpoint") { Description = "Checkpoint to serve (default: the shipped model)." };
        var seedOption = PositiveInt("--seed", 1);
        var outputOption = new Option<string>("--out", "--json") { Description = "Also write the figures and every typed line as JSON to this file." };
        var minConfidenceOption = Shares("--min-confidence", "Sweep the ghost-text user over these minConfidence values (comma-separated, 0 to 1).");
        var stopAgreementOption = Shares("--stop-agreement", "Sweep the ghost-text user over these stopAgreement values (comma-separated, 0 to 1).");
        var holdOutOption = new Option<bool>("--hold-out") { Description = "The typed files are absent from disk: the workspace is a copy of --repo without them." };
        var cacheOption = new Option<string>("--workspace-cache") { Description = "The server's workspaceCache setting: on (its default) or off.", DefaultValueFactory = _ => "on" };
        cacheOption.AcceptOnlyFromAmong("on", "off");
        var dynamicOption = new Option<bool>("--dynamic-evaluation") { Description = "Turn dynamicEvaluation on and type once the adapted weights are served." };
        var cliOption = new Option<string>("--cli") { Description = "The charrnn (or charrnn.dll) dynamic evaluation runs (default: charrnn on PATH)." };
        var parsed = ParseOrReport(new Command("typing") { repoOption, filesOption, linesOption, checkpointOption, seedOption, outputOption, minConfidenceOption, stopAgreementOption,
            holdOutOption, cacheOption, dynamicOption, cliOption },
            args, "charrnn-server bench typing", TypingUsage);
        if (parsed is null) return 2;
        var files = parsed.GetValue(filesOption) is { } list ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
        return await TypingBenchmark.RunAsync(new TypingBenchOptions(parsed.GetValue(repoOption), files, parsed.GetValue(linesOption),
            parsed.GetValue(checkpointOption), parsed.GetValue(seedOption), parsed.GetValue(outputOption))
        {
            MinConfidences = parsed.GetValue(minConfidenceOption) ?? [],
            HoldOut = parsed.GetValue(holdOutOption),
            WorkspaceCache = parsed.GetValue(cacheOption) != "off",
            DynamicEvaluation = parsed.GetValue(dynamicOption),
            Cli = parsed.GetValue(cliOption),
            StopAgreements = parsed.GetValue(stopAgreementOption) ?? [],
        });
    }

    /// <summary>A comma-separated list of shares (0 to 1): anything else is a parse error naming the option.</summary>
    private static Option<double[]> Shares(string name, string description) => new(name)
    {
        Description = description,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            var values = new List<double>();
            foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
            {
                if (double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1)
                    values.Add(value);
                else
                {
                    result.AddError($"{name} takes shares from 0 to 1, comma-separated (got '{text}').");
                    return [];
                }
            }
            return [.. values];
        },
    };
#endif

    private static async Task<int> RunCostAsync(string[] args)
    {
        var common = new CommonOptions(requests: 100, outputDescription: "Also write the runs as JSON to this file.");
        var repeatsOption = PositiveInt("--repeats", 3);
        var workspaceOption = new Option<string>("--workspace") { Description = "A folder opened as the workspace (Roslyn and the workspace cache load it in the background)." };
        var cacheOption = new Option<string>("--workspace-cache") { Description = "The server's workspaceCache setting: on (its default) or off.", DefaultValueFactory = _ => "on" };
        cacheOption.AcceptOnlyFromAmong("on", "off");
        var parsed = ParseOrReport(new Command("cost") { common.Checkpoint, common.Output, common.Requests, repeatsOption, workspaceOption, cacheOption },
            args, "charrnn-server bench cost", CostUsage);
        if (parsed is null) return 2;
        return await ServerCostBenchmark.RunAsync(new ServerCostOptions(parsed.GetValue(common.Checkpoint), parsed.GetValue(common.Output),
            parsed.GetValue(common.Requests), parsed.GetValue(repeatsOption))
        {
            Workspace = parsed.GetValue(workspaceOption),
            WorkspaceCache = parsed.GetValue(cacheOption) != "off",
        });
    }

    /// <summary>What every benchmark takes: the checkpoint to serve, where to write the JSON report, how many requests.</summary>
    private sealed class CommonOptions(int requests, string outputDescription)
    {
        public Option<string> Checkpoint { get; } = new("--checkpoint") { Description = "Checkpoint to serve." };
        public Option<string> Output { get; } = new("--out", "--json") { Description = outputDescription };
        public Option<int> Requests { get; } = PositiveInt("--requests", requests);
    }

    /// <summary>A whole-number option that must be positive: text that is not one is a parse error naming the option.</summary>
    private static Option<int> PositiveInt(string name, int defaultValue) => new(name)
    {
        DefaultValueFactory = _ => defaultValue,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0) return value;
            result.AddError($"{name} must be a positive whole number (got '{text}').");
            return 0;
        },
    };

    /// <summary>Parses <paramref name="args"/> with System.CommandLine; on any error prints each with the usage to stderr and returns null (exit 2).</summary>
    private static ParseResult? ParseOrReport(Command command, string[] args, string name, string usage)
    {
        var parsed = command.Parse(args);
        if (parsed.Errors.Count == 0) return parsed;
        foreach (var error in parsed.Errors) Console.Error.WriteLine($"{name}: {error.Message}");
        Console.Error.WriteLine($"Usage: {usage}");
        return null;
    }
}
