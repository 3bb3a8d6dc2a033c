// `charrnn-server bench first-request`: the request a user makes right after opening a file, the one a
// cold prefix cache makes slowest. For N held-out lines (C# files the model never trained on: a folder
// of a repository, or the test split of a corpus folder), it opens the file with that line emptied
// down to its indentation and asks at once for a completion there, through the real server in process
// over the same JSON-RPC framing a client uses, with the server's default settings (or a given budget and K). It reports how many
// answers hold a completion, the latency distribution, how many items end in the middle of the true
// line's identifier, and exact-line matches. It does not train or download anything.
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CharRnnCode.Common;
using CharRnnCode.Completion;
using CharRnnCode.Server.Protocol;
using Spectre.Console;

namespace CharRnnCode.Server.Bench;

/// <summary>One measured request.</summary>
public sealed record FirstRequestSample(string File, int Line, string Expected, string? Completion, double LatencyMs, bool NonEmpty, bool HasCode, bool CutMidIdentifier, bool Exact,
    CompletionTrace? Trace);

public sealed record FirstRequestReport(string Checkpoint, string Source, string Trigger, int Requests, int NonEmpty, double NonEmptyShare, int WithCode,
    double P50Ms, double P90Ms, double P95Ms, double P99Ms, double MaxMs, int CutMidIdentifier, int Exact, IReadOnlyList<FirstRequestSample> Samples);

/// <summary>The arguments of `charrnn-server bench first-request`, as BenchCommand parsed them; null budget and K: the server's defaults.</summary>
public sealed record FirstRequestOptions(string? Checkpoint, string? Files, string? Output, int Requests, int Seed, string Trigger, int? BudgetMs, int? Candidates)
{
    /// <summary>A folder opened as the workspace when the server starts (Roslyn and the workspace cache load it while the requests come); null: none.</summary>
    public string? Workspace { get; init; }
    /// <summary>The server's workspaceCache setting.</summary>
    public bool WorkspaceCache { get; init; } = true;
}

public static class FirstRequestBenchmark
{
    public static Task<int> RunAsync(FirstRequestOptions options) => BenchOutput.RunAsync("charrnn-server bench first-request", async () =>
    {
        var (checkpoint, files, output, requests, seed, trigger, budget, candidates) = options;
        if (checkpoint is null || !File.Exists(checkpoint)) throw new UserError($"first-request needs --checkpoint PATH of an existing checkpoint (got '{checkpoint}').");
        if (files is null || !Directory.Exists(files)) throw new UserError($"first-request needs --files DIR: a folder of C# files, or a corpus folder (its test split is used) (got '{files}').");
        var sources = HeldOutFiles(files);
        var positions = Positions(sources, requests, seed);
        if (positions.Count == 0) throw new UserError($"no statement lines found in the C# files of {files}.");
        if (options.Workspace is { } folder && !Directory.Exists(folder)) throw new UserError($"--workspace {folder}: no such folder.");
        var settings = new Dictionary<string, object> { ["checkpoint"] = checkpoint, ["workspaceCache"] = options.WorkspaceCache };
        if (budget is { } ms) settings["timeBudgetMs"] = ms;
        if (candidates is { } k) settings["candidates"] = k;
        var samples = await MeasureAsync(settings, positions, trigger == "automatic", options.Workspace is { } root ? new Uri(Path.GetFullPath(root)).AbsoluteUri : null);
        var report = Summarize(checkpoint, files, $"{trigger}, budget {budget?.ToString() ?? "default"} ms, K {candidates?.ToString() ?? "default"}" +
            (options.Workspace is { } opened ? $", workspace {Path.GetFullPath(opened)} loading meanwhile, workspace cache {(options.WorkspaceCache ? "on" : "off")}" : ""), samples);
        Print(report);
        if (output is not null)
            BenchOutput.WriteReport(output, report);
    });

    /// <summary>The held-out files: a corpus folder's test split (cut by its index), or every .cs file under a folder.</summary>
    public static List<(string Name, string Text)> HeldOutFiles(string folder)
    {
        var index = Path.Combine(folder, "test.index.jsonl");
        var split = Path.Combine(folder, "test.txt");
        if (File.Exists(index) && File.Exists(split))
        {
            var bytes = File.ReadAllBytes(split);
            var result = new List<(string, string)>();
            foreach (var line in File.ReadLines(index))
            {
                if (line.Trim().Length == 0) continue;
                using var entry = JsonDocument.Parse(line);
                var path = entry.RootElement.GetProperty("path").GetString() ?? "";
                if (!path.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)) continue;
                var offset = entry.RootElement.GetProperty("byteOffset").GetInt32();
                var length = entry.RootElement.GetProperty("byteLength").GetInt32();
                result.Add((path, Encoding.UTF8.GetString(bytes, offset, length)));
            }
            return result;
        }
        return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj" or "node_modules" or ".git"))
            .Order(StringComparer.Ordinal)
            .Select(p => (Path.GetRelativePath(folder, p), File.ReadAllText(p).Replace("\r\n", "\n")))
            .ToList();
    }

    /// <summary>Statement lines inside members (indented at least 8 columns, a tab counting 4), at most 3 per file, in a seeded order.</summary>
    public static List<(string File, string Text, int Line)> Positions(List<(string Name, string Text)> files, int count, int seed)
    {
        var random = new Random(seed);
        var all = new List<(string, string, int)>();
        foreach (var (name, text) in files)
        {
            var lines = text.Split('\n');
            var eligible = Enumerable.Range(0, lines.Length).Where(i =>
            {
                var line = lines[i];
                var trimmed = line.Trim();
                // In columns, a tab as wide as the model reads it: tab-indented code has statement lines too.
                var indent = line[..(line.Length - line.TrimStart().Length)].Sum(c => c == '\t' ? Inference.CharLanguageModel.IndentWidth : 1);
                return indent >= 8 && trimmed.Length is >= 10 and <= 100 && !trimmed.StartsWith("//") && !trimmed.StartsWith('#')
                       && !trimmed.StartsWith("/*") && !trimmed.StartsWith('*') && !trimmed.StartsWith('[');
            }).OrderBy(_ => random.Next()).Take(3);
            all.AddRange(eligible.Select(i => (name, text, i)));
        }
        return all.OrderBy(_ => random.Next()).Take(count).ToList();
    }

    private static async Task<List<FirstRequestSample>> MeasureAsync(Dictionary<string, object> settings, List<(string File, string Text, int Line)> positions, bool automatic,
        string? rootUri)
    {
        await using var session = await BenchSession.StartAsync(settings, rootUri);
        var (server, client) = (session.Server, session.Client);

        var samples = new List<FirstRequestSample>();
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"first requests, {server.Context.Model.Status.Description}", maxValue: positions.Count);
                var number = 0;
                foreach (var (file, text, lineNumber) in positions)
                {
                    var (document, caret, _, expected) = HeldOutLines.Empty(text, lineNumber);
                    var uri = $"file:///heldout/{number++}/{Path.GetFileName(file)}";
                    await client.NotifyWithParameterObjectAsync(Methods.DidOpen, new DidOpenTextDocumentParams(new TextDocumentItem(uri, "csharp", 1, document)));
                    var clock = Stopwatch.StartNew();
                    var result = await client.InvokeWithParameterObjectAsync<InlineCompletionList>(Methods.InlineCompletion, new InlineCompletionParams(
                        new TextDocumentIdentifier(uri), caret,
                        new InlineCompletionContext(automatic ? InlineCompletionTriggerKind.Automatic : InlineCompletionTriggerKind.Invoked)));
                    var latency = clock.Elapsed.TotalMilliseconds;
                    var trace = server.Context.CompletionPipeline.LastTrace;
                    await client.NotifyWithParameterObjectAsync(Methods.DidClose, new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)));
                    var completion = result.Items.Count > 0 ? result.Items[0].InsertText : null;
                    var firstLine = completion?.Split('\n')[0].TrimEnd();
                    samples.Add(new FirstRequestSample(file, lineNumber + 1, expected, completion, Math.Round(latency, 1),
                        NonEmpty: completion is not null && completion.Trim().Length > 0,
                        HasCode: HeldOutLines.HasCode(completion),
                        CutMidIdentifier: firstLine is { Length: > 0 } && EndsMidIdentifier(firstLine, expected),
                        Exact: firstLine == expected, Trace: trace));
                    task.Increment(1);
                }
            });
        return samples;
    }

    /// <summary>The completion is a strict prefix of the true line that stops between two characters of one identifier or number.</summary>
    public static bool EndsMidIdentifier(string completion, string expected) =>
        completion.Length < expected.Length && expected.StartsWith(completion, StringComparison.Ordinal)
        && IsWord(completion[^1]) && IsWord(expected[completion.Length]);

    private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_';

    private static FirstRequestReport Summarize(string checkpoint, string source, string trigger, List<FirstRequestSample> samples)
    {
        var latencies = samples.Select(s => s.LatencyMs).Order().ToArray();
        double Percentile(double p) => latencies.Length == 0 ? 0 : latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(p * latencies.Length) - 1)];
        var nonEmpty = samples.Count(s => s.NonEmpty);
        return new FirstRequestReport(checkpoint, source, trigger, samples.Count, nonEmpty, Math.Round((double)nonEmpty / Math.Max(1, samples.Count), 4), samples.Count(s => s.HasCode),
            Percentile(0.5), Percentile(0.9), Percentile(0.95), Percentile(0.99), latencies.LastOrDefault(),
            samples.Count(s => s.CutMidIdentifier), samples.Count(s => s.Exact), samples);
    }

    private static void Print(FirstRequestReport report)
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        var table = new Table().Title($"first request after didOpen: {report.Requests} held-out lines, {report.Trigger}; other settings the defaults")
            .AddColumns("answers with a completion", "with code (not only a comment)", "p50 ms", "p90 ms", "p95 ms", "p99 ms", "max ms", "cut mid-identifier", "exact line");
        table.AddRow($"{report.NonEmpty}/{report.Requests} ({report.NonEmptyShare:P1})", $"{report.WithCode}/{report.Requests}", $"{report.P50Ms:F0}", $"{report.P90Ms:F0}", $"{report.P95Ms:F0}",
            $"{report.P99Ms:F0}", $"{report.MaxMs:F0}", $"{report.CutMidIdentifier}", $"{report.Exact}");
        AnsiConsole.Write(table);
        // The latency distribution, as a text histogram in 50 ms bins.
        var bins = report.Samples.GroupBy(s => (int)(s.LatencyMs / 50)).OrderBy(g => g.Key);
        foreach (var bin in bins)
            AnsiConsole.WriteLine($"{bin.Key * 50,5}-{bin.Key * 50 + 49,-5} ms {new string('#', bin.Count()),-40} {bin.Count()}");
        AnsiConsole.MarkupLine($"checkpoint: {Markup.Escape(report.Checkpoint)}; held-out files: {Markup.Escape(report.Source)}; {Environment.ProcessorCount} CPUs");
    }
}
