// `charrnn-server bench [lines | first-request | cost | typing]`: the verb's wiring and nothing more. It picks the
// benchmark the sub-verb names, parses the arguments with Spectre.Console.Cli (the library of charrnn's own command
// line) into that benchmark's typed options (a bad argument: the problem and the usage on stderr, exit code 2), and
// runs it. The benchmarks beside it in this folder measure and report; the serving path (LanguageServer, Dispatch,
// Features) never refers to this folder: Program.cs hands it `bench ...` and serves otherwise.
using System.Globalization;
using CharRnnCode.CommandLine;
using Spectre.Console;
using Spectre.Console.Cli;

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

    private const string ServeUsage = "charrnn-server bench --checkpoint PATH --file FILE.cs [--requests N] [--repeats N] [--budget-ms N] [--workspace-cache on|off] [--out|--json FILE.json]";
    private const string FirstRequestUsage = "charrnn-server bench first-request --checkpoint PATH --files DIR [--requests N] [--seed N] " +
        "[--trigger invoked|automatic] [--budget-ms N] [--candidates K] [--workspace DIR] [--workspace-cache on|off] [--out|--json FILE.json]";
    private const string CostUsage = "charrnn-server bench cost --checkpoint PATH [--requests N] [--repeats N] [--workspace DIR] [--workspace-cache on|off] [--out|--json FILE.json]";
    private const string LinesUsage = "charrnn-server bench lines --checkpoint PATH --repo DIR [--requests N] [--seed N] [--workspace-cache on|off] [--out|--json FILE.json]";

    private static Task<int> RunServeAsync(string[] args) =>
        ParseAndRunAsync<ServeSettings>(args, "charrnn-server bench", ServeUsage, settings => ServeBenchmark.RunAsync(new ServeBenchOptions(
            settings.Checkpoint, settings.File, settings.Output, Whole(settings.Requests, 200), Whole(settings.Repeats, 3), Whole(settings.BudgetMs, 1000))
        {
            WorkspaceCache = settings.WorkspaceCacheOn,
        }));

    private static Task<int> RunFirstRequestAsync(string[] args) =>
        ParseAndRunAsync<FirstRequestSettings>(args, "charrnn-server bench first-request", FirstRequestUsage, settings => FirstRequestBenchmark.RunAsync(new FirstRequestOptions(
            settings.Checkpoint, settings.Files, settings.Output, Whole(settings.Requests, 150), Whole(settings.Seed, 1), settings.Trigger,
            BudgetMs: Whole(settings.BudgetMs, 0) is > 0 and var budgetMs ? budgetMs : null,         // absent (0): the server's default
            Candidates: Whole(settings.Candidates, 0) is > 0 and var count ? count : null)
        {
            Workspace = settings.Workspace,
            WorkspaceCache = settings.WorkspaceCacheOn,
        }));

    private static Task<int> RunLinesAsync(string[] args) =>
        ParseAndRunAsync<LinesSettings>(args, "charrnn-server bench lines", LinesUsage, settings => LineQualityBenchmark.RunAsync(new LineQualityOptions(
            settings.Checkpoint, settings.Repo, settings.Output, Whole(settings.Requests, 150), Whole(settings.Seed, 1))
        {
            WorkspaceCache = settings.WorkspaceCacheOn,
        }));

    private const string TypingUsage = "charrnn-server bench typing --repo DIR [--files A.cs,B.cs] [--lines N] [--checkpoint PATH] [--seed N] " +
        "[--min-confidence LIST] [--stop-agreement LIST] [--hold-out] [--workspace-cache on|off] [--dynamic-evaluation --cli PATH] [--out|--json FILE.json]";

#if !TYPING_REPLAY
    private static Task<int> RunTypingAsync(string[] args)
    {
        Console.Error.WriteLine("charrnn-server bench typing: this charrnn-server is the editor's bundle, built without the typing replay " +
            "(its IntelliSense peer is Roslyn's completion service, which serving does not need). Run it from the .NET tool " +
            "(dotnet tool install charrnn-server) or a build: dotnet run --project server/CharRnnCode.Server -c Release -- bench typing ...");
        return Task.FromResult(2);
    }
#else
    private static Task<int> RunTypingAsync(string[] args) =>
        ParseAndRunAsync<TypingSettings>(args, "charrnn-server bench typing", TypingUsage, settings =>
        {
            var files = settings.Files is { } list ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            return TypingBenchmark.RunAsync(new TypingBenchOptions(settings.Repo, files, Whole(settings.Lines, 100),
                settings.Checkpoint, Whole(settings.Seed, 1), settings.Output)
            {
                MinConfidences = Shares(settings.MinConfidence) ?? [],
                StopAgreements = Shares(settings.StopAgreement) ?? [],
                HoldOut = settings.HoldOut,
                WorkspaceCache = settings.WorkspaceCacheOn,
                DynamicEvaluation = settings.DynamicEvaluation,
                Cli = settings.Cli,
            });
        });

    private sealed class TypingSettings : BenchSettings
    {
        /// <summary>A folder of C# files, opened as the workspace; lines are typed in them.</summary>
        [CommandOption("--repo <DIR>")] public string? Repo { get; init; }

        /// <summary>Only these files' lines, comma-separated, relative to --repo.</summary>
        [CommandOption("--files <LIST>")] public string? Files { get; init; }

        /// <summary>Lines to type. Default 100.</summary>
        [CommandOption("--lines <N>")] public string? Lines { get; init; }

        /// <summary>Checkpoint to serve (default: the shipped model).</summary>
        [CommandOption("--checkpoint <PATH>")] public string? Checkpoint { get; init; }

        /// <summary>Seed for the lines chosen. Default 1.</summary>
        [CommandOption("--seed <N>")] public string? Seed { get; init; }

        /// <summary>Also write the figures and every typed line as JSON to this file.</summary>
        [CommandOption("--out|--json <FILE>")] public string? Output { get; init; }

        /// <summary>Sweep the ghost-text user over these minConfidence values (comma-separated, 0 to 1).</summary>
        [CommandOption("--min-confidence <LIST>")] public string? MinConfidence { get; init; }

        /// <summary>Sweep the ghost-text user over these stopAgreement values (comma-separated, 0 to 1).</summary>
        [CommandOption("--stop-agreement <LIST>")] public string? StopAgreement { get; init; }

        /// <summary>The typed files are absent from disk: the workspace is a copy of --repo without them.</summary>
        [CommandOption("--hold-out")] public bool HoldOut { get; init; }

        /// <summary>Turn dynamicEvaluation on and type once the adapted weights are served.</summary>
        [CommandOption("--dynamic-evaluation")] public bool DynamicEvaluation { get; init; }

        /// <summary>The charrnn (or charrnn.dll) dynamic evaluation runs (default: charrnn on PATH).</summary>
        [CommandOption("--cli <PATH>")] public string? Cli { get; init; }

        protected override IEnumerable<(string Name, string? Text)> WholeNumbers() => [("--lines", Lines), ("--seed", Seed)];

        protected override IEnumerable<(string Name, string? Text)> ShareLists() => [("--min-confidence", MinConfidence), ("--stop-agreement", StopAgreement)];
    }

    /// <summary>A comma-separated list of shares (0 to 1); null when the text is absent or any part is not one.</summary>
    private static double[]? Shares(string? text)
    {
        if (text is null) return null;
        var values = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is >= 0 and <= 1) values.Add(value);
            else return null;
        }
        return [.. values];
    }
#endif

    private static Task<int> RunCostAsync(string[] args) =>
        ParseAndRunAsync<CostSettings>(args, "charrnn-server bench cost", CostUsage, settings => ServerCostBenchmark.RunAsync(new ServerCostOptions(
            settings.Checkpoint, settings.Output, Whole(settings.Requests, 100), Whole(settings.Repeats, 3))
        {
            Workspace = settings.Workspace,
            WorkspaceCache = settings.WorkspaceCacheOn,
        }));

    /// <summary>What every benchmark's options share: the server's workspace cache on or off, whole numbers that must be
    /// positive and lists of shares, checked before the benchmark starts so that a bad one is a parse error naming its option.</summary>
    private abstract class BenchSettings : CommandSettings
    {
        /// <summary>The server's workspaceCache setting: on (its default) or off.</summary>
        [CommandOption("--workspace-cache <ON_OFF>")] public string WorkspaceCache { get; init; } = "on";

        /// <summary>The workspaceCache setting the server gets.</summary>
        public bool WorkspaceCacheOn => WorkspaceCache != "off";

        protected virtual IEnumerable<(string Name, string? Text)> WholeNumbers() => [];

        protected virtual IEnumerable<(string Name, string? Text)> ShareLists() => [];

        public override ValidationResult Validate()
        {
            if (WorkspaceCache is not ("on" or "off")) return ValidationResult.Error($"--workspace-cache takes on or off (got '{WorkspaceCache}').");
            foreach (var (name, text) in WholeNumbers())
                if (text is not null && !(int.TryParse(text, CultureInfo.InvariantCulture, out var value) && value > 0))
                    return ValidationResult.Error($"{name} must be a positive whole number (got '{text}').");
#if TYPING_REPLAY
            foreach (var (name, text) in ShareLists())
                if (text is not null && Shares(text) is null)
                    return ValidationResult.Error($"{name} takes shares from 0 to 1, comma-separated (got '{text}').");
#endif
            return ValidationResult.Success();
        }
    }

    /// <summary>What the benchmarks that serve a given checkpoint take: the checkpoint, where to write the JSON report, how many requests.</summary>
    private abstract class CommonSettings : BenchSettings
    {
        /// <summary>Checkpoint to serve.</summary>
        [CommandOption("--checkpoint <PATH>")] public string? Checkpoint { get; init; }

        /// <summary>Also write the report as JSON to this file.</summary>
        [CommandOption("--out|--json <FILE>")] public string? Output { get; init; }

        /// <summary>Requests to time (a default per benchmark: bench 200, first-request and lines 150, cost 100).</summary>
        [CommandOption("--requests <N>")] public string? Requests { get; init; }

        protected override IEnumerable<(string Name, string? Text)> WholeNumbers() => [("--requests", Requests)];
    }

    private sealed class ServeSettings : CommonSettings
    {
        /// <summary>C# file whose typing is replayed.</summary>
        [CommandOption("--file <FILE>")] public string? File { get; init; }

        /// <summary>Runs of every configuration; the table shows their median. Default 3.</summary>
        [CommandOption("--repeats <N>")] public string? Repeats { get; init; }

        /// <summary>The server's latency budget per request, in milliseconds. Default 1000.</summary>
        [CommandOption("--budget-ms <N>")] public string? BudgetMs { get; init; }

        protected override IEnumerable<(string Name, string? Text)> WholeNumbers() => [.. base.WholeNumbers(), ("--repeats", Repeats), ("--budget-ms", BudgetMs)];
    }

    private sealed class FirstRequestSettings : CommonSettings
    {
        /// <summary>A folder of C# files, or a corpus folder (its test split).</summary>
        [CommandOption("--files <DIR>")] public string? Files { get; init; }

        /// <summary>Seed for the positions chosen. Default 1.</summary>
        [CommandOption("--seed <N>")] public string? Seed { get; init; }

        /// <summary>invoked or automatic.</summary>
        [CommandOption("--trigger <KIND>")] public string Trigger { get; init; } = "invoked";

        /// <summary>The server's latency budget per request, in milliseconds. Default: the server's own.</summary>
        [CommandOption("--budget-ms <N>")] public string? BudgetMs { get; init; }

        /// <summary>Candidates per request. Default: the server's own.</summary>
        [CommandOption("--candidates <K>")] public string? Candidates { get; init; }

        /// <summary>
        /// A folder opened as the workspace when the server starts: Roslyn and the workspace cache load it while
        /// the requests come.
        /// </summary>
        [CommandOption("--workspace <DIR>")] public string? Workspace { get; init; }

        protected override IEnumerable<(string Name, string? Text)> WholeNumbers() =>
            [.. base.WholeNumbers(), ("--seed", Seed), ("--budget-ms", BudgetMs), ("--candidates", Candidates)];

        public override ValidationResult Validate() =>
            Trigger is not ("invoked" or "automatic") ? ValidationResult.Error($"--trigger takes invoked or automatic (got '{Trigger}').")
            : base.Validate();
    }

    private sealed class LinesSettings : CommonSettings
    {
        /// <summary>A folder of C# sources the model did not train on.</summary>
        [CommandOption("--repo <DIR>")] public string? Repo { get; init; }

        /// <summary>Seed for the lines chosen. Default 1.</summary>
        [CommandOption("--seed <N>")] public string? Seed { get; init; }

        protected override IEnumerable<(string Name, string? Text)> WholeNumbers() => [.. base.WholeNumbers(), ("--seed", Seed)];
    }

    private sealed class CostSettings : CommonSettings
    {
        /// <summary>Server starts measured; the table shows their median. Default 3.</summary>
        [CommandOption("--repeats <N>")] public string? Repeats { get; init; }

        /// <summary>
        /// A folder opened as the workspace (Roslyn and the workspace cache load it in the background).
        /// </summary>
        [CommandOption("--workspace <DIR>")] public string? Workspace { get; init; }

        protected override IEnumerable<(string Name, string? Text)> WholeNumbers() => [.. base.WholeNumbers(), ("--repeats", Repeats)];

        public override ValidationResult Validate() =>
            WorkspaceCache is "on" or "off" ? base.Validate() : ValidationResult.Error($"--workspace-cache takes on or off (got '{WorkspaceCache}').");
    }

    /// <summary>A whole number option's value (Validate has checked it), or <paramref name="defaultValue"/> where it was not given.</summary>
    private static int Whole(string? text, int defaultValue) => text is null ? defaultValue : int.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The options that take no value.</summary>
    private static readonly HashSet<string> Switches = ["--hold-out", "--dynamic-evaluation", "--help", "-h"];

    /// <summary>The one command of a benchmark: it hands the parsed settings to the benchmark (the app's data).</summary>
    private sealed class Verb<TSettings> : AsyncCommand<TSettings> where TSettings : BenchSettings
    {
        public override Task<int> ExecuteAsync(CommandContext context, TSettings settings, CancellationToken cancellationToken) =>
            ((Func<TSettings, Task<int>>)context.Data!)(settings);
    }

    /// <summary>Parses <paramref name="args"/> into <typeparamref name="TSettings"/> and runs <paramref name="run"/> on them; on a
    /// parse or validation error prints it with the usage to stderr and returns 2.</summary>
    private static async Task<int> ParseAndRunAsync<TSettings>(string[] args, string name, string usage, Func<TSettings, Task<int>> run)
        where TSettings : BenchSettings
    {
        // Every bench option but the switches takes a value (none starts with '-'); Spectre would give an option left without one a word of its own.
        if (args.Select((word, i) => (word, i)).FirstOrDefault(a => a.word.StartsWith('-') && !Switches.Contains(a.word)
                && (a.i + 1 == args.Length || args[a.i + 1].StartsWith('-'))).word is { } bare)
        {
            Console.Error.WriteLine($"{name}: {bare} needs a value.");
            Console.Error.WriteLine($"Usage: {usage}");
            return 2;
        }
        var verb = name.Split(' ')[^1];
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.AddCommand<Verb<TSettings>>(verb).WithData(run);
            config.SetApplicationName(name[..name.LastIndexOf(' ')]);      // the usage line adds the verb
            config.SetHelpProvider(new DocumentedHelp(config.Settings, _ => typeof(TSettings)));
            config.PropagateExceptions();
            config.Settings.StrictParsing = true;                    // an unknown option is an error, as in charrnn
            config.Settings.CaseSensitivity = CaseSensitivity.All;
        });
        try
        {
            return await app.RunAsync([verb, .. args]);
        }
        catch (Exception error) when (error is CommandParseException or CommandRuntimeException)
        {
            Console.Error.WriteLine($"{name}: {error.Message}");
            Console.Error.WriteLine($"Usage: {usage}");
            return 2;
        }
    }
}
