// `charrnn-server bench`: replays the typing of a real C# file against the real server, in process over
// the same JSON-RPC framing a client uses, and reports inlineCompletion latency percentiles for K = 1, 4
// and 8 with and without Roslyn re-ranking, K = 8 with constrained decoding (with and without re-ranking:
// what constraining adds), and for the same typing at the end of a 1 KB and of a 1 MB
// document, all with type-through off (each keystroke generates); then type-through: typing the ghost
// text shown, each answer taken from it. Each configuration runs --repeats times; the table shows the median of the repeats (the
// machine may be shared), and ratios against the K = 1, no-Roslyn baseline run in the same process.
// Beside each latency it puts the bound the model sets: the characters the request generated times the
// served model's own time per step at that K, measured on the model thread in the same process.
// It does not train or download anything: it needs a checkpoint and a C# file.
using System.Diagnostics;
using System.Text.Json;
using CharRnnCode.Common;
using CharRnnCode.Completion;
using CharRnnCode.Completion.Modeling;
using CharRnnCode.Inference;
using CharRnnCode.Server.Features.DocumentSync;
using CharRnnCode.Server.Protocol;
using Spectre.Console;
using StreamJsonRpc;
using LspRange = CharRnnCode.Server.Protocol.Range;

namespace CharRnnCode.Server.Bench;

/// <summary>The arguments of `charrnn-server bench`, as BenchCommand parsed them.</summary>
public sealed record ServeBenchOptions(string? Checkpoint, string? File, string? Output, int Requests, int Repeats, int BudgetMs)
{
    /// <summary>The server's workspaceCache setting.</summary>
    public bool WorkspaceCache { get; init; } = true;
}

/// <param name="ModelTime">
/// per request, the time the model alone needs for what the request generated: each step priced at the K=1 step
/// time plus, for each further sequence it computed, the marginal cost of a row in a K-row step
/// </param>
/// <param name="StepMs">the served model's time per generation step of K distinct sequences (median of runs before and after the requests)</param>
/// <param name="MeanGeneratedRows">sequences computed per request: below steps x K where candidates shared a prefix or had finished</param>
public sealed record BenchRow(string Name, int K, bool Rerank, bool Constrain, int DocumentChars, LatencySummary Latency, double P50Ratio,
    LatencySummary ModelTime, double StepMs, double MeanGeneratedSteps, double MeanGeneratedRows);

public static class ServeBenchmark
{
    private const string Uri = "file:///bench/Typing.cs";

    public static Task<int> RunAsync(ServeBenchOptions options) => BenchOutput.RunAsync("charrnn-server bench", async () =>
    {
        var (checkpoint, file, output, requests, repeats, budget) = options;
        if (checkpoint is null || !File.Exists(checkpoint)) throw new UserError($"bench needs --checkpoint PATH of an existing checkpoint (got '{checkpoint}').");
        if (file is null || !File.Exists(file)) throw new UserError($"bench needs --file PATH of a C# file to replay (got '{file}').");
        var source = File.ReadAllText(file).Replace("\r\n", "\n");
        var lines = TypedLines(source);
        if (lines.Count == 0) throw new UserError($"{file} has no statement lines to replay; give a C# file with method bodies.");
        var rows = await MeasureAsync(checkpoint, source, lines, requests, repeats, budget, options.WorkspaceCache);
        Print(rows, checkpoint, file, requests, repeats, options.WorkspaceCache);
        if (output is not null)
            BenchOutput.WriteReport(output, rows);
    });

    /// <summary>Statement lines of method bodies, trimmed: what a person types one character at a time.</summary>
    public static List<string> TypedLines(string source) =>
        source.Split('\n').Select(l => l.Trim())
            .Where(l => l.EndsWith(';') && l.Length is > 12 and < 100 && !l.StartsWith("//") && !l.StartsWith("using ") && !l.StartsWith("namespace "))
            .Distinct().ToList();

    /// <summary>
    /// A document of about <paramref name="size"/> characters that parses as the real file does: the file's header
    /// (its usings), its namespace part repeated whole as often as fits (at least once; none for a size under a quarter
    /// of it), then a method to type in.
    /// Whole copies matter: a copy cut mid-member leaves the rest of the document inside a broken member, and a
    /// parser re-uses no node that holds an error, so every keystroke would re-parse it all.
    /// </summary>
    public static (string Text, int Caret) Document(string source, int size)
    {
        const string tail = "\nnamespace Bench\n{\n    class Typing\n    {\n        void M()\n        {\n            ";
        const string end = "\n        }\n    }\n}\n";
        var namespaceStart = source.IndexOf("\nnamespace ", StringComparison.Ordinal) + 1;
        var (header, unit) = (source[..namespaceStart], source[namespaceStart..].TrimEnd() + "\n");
        var body = new System.Text.StringBuilder(header);
        // A small document is the header alone: a cut copy would not parse as the file does.
        if (size < unit.Length / 4) return (header + tail + end, header.Length + tail.Length);
        do body.Append(unit); while (body.Length + unit.Length + tail.Length + end.Length <= size);
        var text = body.ToString();
        return (text + tail + end, text.Length + tail.Length);
    }

    private static async Task<List<BenchRow>> MeasureAsync(string checkpoint, string source, List<string> lines, int requests, int repeats, int budget,
        bool workspaceCache)
    {
        var configurations = new List<(string Name, int K, bool Rerank, bool Constrain, int Size)>
        {
            ("K=1", 1, false, false, 16 << 10), ("K=4", 4, false, false, 16 << 10), ("K=8", 8, false, false, 16 << 10),
            ("K=1 + re-rank", 1, true, false, 16 << 10), ("K=4 + re-rank", 4, true, false, 16 << 10), ("K=8 + re-rank", 8, true, false, 16 << 10),
            ("K=8 + constrain", 8, false, true, 16 << 10), ("K=8 + constrain + re-rank", 8, true, true, 16 << 10),
            ("1 KB document, K=8 + constrain + re-rank", 8, true, true, 1 << 10), ("1 MB document, K=8 + constrain + re-rank", 8, true, true, 1 << 20),
            (TypeThroughRow, 8, true, true, 16 << 10),
        };
        var samples = configurations.Select(_ => new List<LatencySummary>()).ToList();
        var typedThrough = new List<(int Answered, int Requests)>();
        var stepsPerRun = configurations.Select(_ => new List<List<long>>()).ToList();
        var rowsPerRun = configurations.Select(_ => new List<List<long>>()).ToList();

        await using var session = await BenchSession.StartAsync(new { checkpoint, seed = 1, workspaceCache });
        var (server, client) = (session.Server, session.Client);
        var model = await server.Context.Model.RunAsync(loaded => loaded, CancellationToken.None) ?? throw new UserError("the checkpoint did not load");
        var counts = configurations.Select(c => c.K).Distinct().ToList();
        var stepTimes = new Dictionary<int, List<double>>();
        foreach (var k in counts) stepTimes[k] = await StepTimesAsync(server.Context.Model, k);

        var version = 1;
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask($"{server.Context.Model.Status.Description}", maxValue: repeats * configurations.Count);
                for (var repeat = 0; repeat < repeats; repeat++)
                {
                    for (var c = 0; c < configurations.Count; c++)
                    {
                        var (name, k, rerank, constrain, size) = configurations[c];
                        var typeThrough = name == TypeThroughRow;
                        await client.NotifyWithParameterObjectAsync(Methods.DidChangeConfiguration, new DidChangeConfigurationParams(
                            JsonSerializer.SerializeToElement(new { candidates = k, rerank, constrain, timeBudgetMs = budget, typeThrough })));
                        var (text, caret) = Document(source, size);
                        await client.NotifyWithParameterObjectAsync(Methods.DidOpen, new DidOpenTextDocumentParams(new TextDocumentItem(Uri, "csharp", version++, text)));
                        // Warm-up: the first request encodes the context window; typing then costs a step per key.
                        await TypeAsync(client, model, text, caret, lines, requests / 10, () => version++);
                        var typed = typeThrough
                            ? await TypeTheGhostTextAsync(server, client, model, text, caret, lines.Skip(3).Concat(lines).ToList(), requests, () => version++)
                            : await TypeAsync(client, model, text, caret, lines.Skip(3).Concat(lines).ToList(), requests, () => version++);
                        if (typeThrough) typedThrough.Add((typed.TypedThrough, typed.LatenciesMs.Count));
                        samples[c].Add(LatencyRecorder.Summarize(typed.LatenciesMs));
                        // Step times are known only after the runs; keep the steps, price them below.
                        stepsPerRun[c].Add(typed.GeneratedSteps);
                        rowsPerRun[c].Add(typed.GeneratedRows);
                        await client.NotifyWithParameterObjectAsync(Methods.DidClose, new DidCloseTextDocumentParams(new TextDocumentIdentifier(Uri)));
                        task.Increment(1);
                    }
                }
            });
        foreach (var k in counts) stepTimes[k].AddRange(await StepTimesAsync(server.Context.Model, k));
        var stepMs = counts.ToDictionary(k => k, k => stepTimes[k].Order().ElementAt(stepTimes[k].Count / 2));
        var answered = typedThrough.Sum(t => t.Answered);
        var asked = typedThrough.Sum(t => t.Requests);
        AnsiConsole.MarkupLine($"type-through: {answered} of {asked} requests made while typing the ghost text were answered from it ({100.0 * answered / Math.Max(1, asked):F0} %)");
        var medians = samples.Select(MedianOfRuns).ToList();
        // A step of n sequences costs about the K=1 step plus n - 1 times a row's share of what the K-row step adds.
        double RowMs(int k) => k <= 1 ? 0 : Math.Max(0, stepMs[k] - stepMs[1]) / (k - 1);
        var modelTimes = configurations.Select((c, i) => MedianOfRuns(stepsPerRun[i].Zip(rowsPerRun[i], (steps, rows) =>
            LatencyRecorder.Summarize(steps.Zip(rows, (s, r) => s * stepMs[1] + Math.Max(0, r - s) * RowMs(c.K)).ToList())).ToList())).ToList();
        return configurations.Select((c, i) => new BenchRow(c.Name, c.K, c.Rerank, c.Constrain, Document(source, c.Size).Text.Length, medians[i],
            Math.Round(medians[i].P50Ms / Math.Max(1e-9, medians[0].P50Ms), 2), modelTimes[i], Math.Round(stepMs[c.K], 4),
            Math.Round(stepsPerRun[i].SelectMany(run => run).DefaultIfEmpty().Average(), 1),
            Math.Round(rowsPerRun[i].SelectMany(run => run).DefaultIfEmpty().Average(), 1))).ToList();
    }

    private static LatencySummary MedianOfRuns(List<LatencySummary> runs) =>
        new(runs[0].Count, 0, Median(runs.Select(x => x.P50Ms)), Median(runs.Select(x => x.P95Ms)), Median(runs.Select(x => x.P99Ms)));

    /// <summary>The served model's milliseconds per generation step at <paramref name="k"/> candidates, 3 runs of 64 characters, on the model thread.</summary>
    private static async Task<List<double>> StepTimesAsync(ModelHost host, int k)
    {
        var times = await host.RunAsync(model =>
        {
            var state = model.Advance(model.InitialState(), "        var ");
            var runs = new List<double>();
            for (var run = 0; run < 3; run++)
            {
                var before = model.GeneratedSteps;
                var clock = Stopwatch.StartNew();
                model.Generate(state, new GenerationOptions(k, 64, 1.0, Seed: run, SharePrefixes: false));
                runs.Add(clock.Elapsed.TotalMilliseconds / Math.Max(1, model.GeneratedSteps - before));
            }
            return runs;
        }, CancellationToken.None);
        return times ?? throw new UserError("the model was unloaded during the benchmark");
    }

    /// <summary>Per typed request: its latency and the generation steps the model took for it.</summary>
    private sealed record TypedRequests(List<double> LatenciesMs, List<long> GeneratedSteps, List<long> GeneratedRows, int TypedThrough = 0);

    /// <summary>Types lines at the caret one character at a time, an automatic request after each.</summary>
    private static async Task<TypedRequests> TypeAsync(JsonRpc client, CharLanguageModel model, string text, int caret, List<string> lines, int requests, Func<int> nextVersion)
    {
        var latencies = new List<double>(requests);
        var generatedSteps = new List<long>(requests);
        var generatedRows = new List<long>(requests);
        var line = 0;
        var typed = 0;
        var lineStart = LspDocuments.ToPosition(Microsoft.CodeAnalysis.Text.SourceText.From(text), caret);
        while (latencies.Count < requests)
        {
            var target = lines[line % lines.Count];
            var at = lineStart with { Character = lineStart.Character + typed };
            await EditLineAsync(client, nextVersion(), lineStart, at.Character, at.Character, target[typed].ToString());
            typed++;
            var (stepsBefore, rowsBefore) = (model.GeneratedSteps, model.GeneratedRows);
            var clock = Stopwatch.StartNew();
            await client.InvokeWithParameterObjectAsync<JsonElement>(Methods.InlineCompletion, new InlineCompletionParams(
                new TextDocumentIdentifier(Uri), at with { Character = at.Character + 1 }, new InlineCompletionContext(InlineCompletionTriggerKind.Automatic)));
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            generatedSteps.Add(model.GeneratedSteps - stepsBefore);
            generatedRows.Add(model.GeneratedRows - rowsBefore);
            if (typed == target.Length)
            {
                // Line done: delete it and type the next one in its place.
                await EditLineAsync(client, nextVersion(), lineStart, lineStart.Character, lineStart.Character + typed, "");
                typed = 0;
                line++;
            }
        }
        if (typed > 0) await EditLineAsync(client, nextVersion(), lineStart, lineStart.Character, lineStart.Character + typed, "");
        return new TypedRequests(latencies, generatedSteps, generatedRows);
    }

    private const string TypeThroughRow = "type-through (typing the ghost text), K=8 + constrain + re-rank";

    /// <summary>
    /// For each line: types its first character (that answer is generated and not counted), then types the ghost
    /// text shown, a character and a request at a time, up to its last character or a line break; returns the
    /// latencies of those requests and how many were answered from the shown text.
    /// </summary>
    private static async Task<TypedRequests> TypeTheGhostTextAsync(LanguageServer server, JsonRpc client, CharLanguageModel model, string text, int caret,
        List<string> lines, int requests, Func<int> nextVersion)
    {
        var latencies = new List<double>(requests);
        var generatedSteps = new List<long>(requests);
        var generatedRows = new List<long>(requests);
        var answered = 0;
        var lineStart = LspDocuments.ToPosition(Microsoft.CodeAnalysis.Text.SourceText.From(text), caret);
        Task Type(string characters, int column) => EditLineAsync(client, nextVersion(), lineStart, column, column, characters);
        async Task<string> Ask(int column)
        {
            var list = await client.InvokeWithParameterObjectAsync<InlineCompletionList>(Methods.InlineCompletion, new InlineCompletionParams(
                new TextDocumentIdentifier(Uri), lineStart with { Character = column }, new InlineCompletionContext(InlineCompletionTriggerKind.Automatic)));
            return list.Items.Count == 0 ? "" : list.Items[0].InsertText;
        }
        for (var line = 0; latencies.Count < requests && line < 4 * lines.Count; line++)
        {
            var column = lineStart.Character;
            await Type(lines[line % lines.Count][..1], column++);
            var ghost = await Ask(column);
            for (var i = 0; i + 1 < ghost.Length && ghost[i] != '\n' && latencies.Count < requests; i++)
            {
                await Type(ghost[i].ToString(), column++);
                var (stepsBefore, rowsBefore) = (model.GeneratedSteps, model.GeneratedRows);
                var clock = Stopwatch.StartNew();
                await Ask(column);
                latencies.Add(clock.Elapsed.TotalMilliseconds);
                generatedSteps.Add(model.GeneratedSteps - stepsBefore);
                generatedRows.Add(model.GeneratedRows - rowsBefore);
                generatedRows.Add(model.GeneratedRows - rowsBefore);
                if (server.Context.CompletionPipeline.LastTrace?.TypedThrough == true) answered++;
            }
            await EditLineAsync(client, nextVersion(), lineStart, lineStart.Character, column, "");
        }
        return new TypedRequests(latencies, generatedSteps, generatedRows, answered);
    }

    /// <summary>Replaces columns [<paramref name="from"/>, <paramref name="to"/>) of the typed line with <paramref name="text"/>, as an editor's didChange: an
    /// insertion when they are equal, a deletion when the text is empty.</summary>
    private static Task EditLineAsync(JsonRpc client, int version, Position lineStart, int from, int to, string text) =>
        client.NotifyWithParameterObjectAsync(Methods.DidChange, new DidChangeTextDocumentParams(new VersionedTextDocumentIdentifier(Uri, version),
            [new TextDocumentContentChangeEvent(text, new LspRange(lineStart with { Character = from }, lineStart with { Character = to }))]));

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : Math.Round((sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2, 2);
    }

    private static void Print(List<BenchRow> rows, string checkpoint, string file, int requests, int repeats, bool workspaceCache)
    {
        // Wide enough for a log file: a redirected console is 80 columns, which folds every row.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        var table = new Table().Title($"inlineCompletion latency (ms), {requests} typed requests per run, median of {repeats} runs")
            .AddColumns("configuration", "document", "p50", "p95", "p99", "p50 vs K=1", "model p50", "model p95", "steps", "rows");
        foreach (var row in rows)
            table.AddRow(row.Name, $"{row.DocumentChars / 1024.0:F0} KB", $"{row.Latency.P50Ms:F1}", $"{row.Latency.P95Ms:F1}", $"{row.Latency.P99Ms:F1}", $"{row.P50Ratio:F2}x",
                $"{row.ModelTime.P50Ms:F1}", $"{row.ModelTime.P95Ms:F1}", $"{row.MeanGeneratedSteps:F1}", $"{row.MeanGeneratedRows:F1}");
        AnsiConsole.Write(table);
        var stepTimes = string.Join(", ", rows.DistinctBy(r => r.K).Select(r => $"K={r.K} {r.StepMs:F3} ms"));
        AnsiConsole.MarkupLine($"model p50/p95: the model's own time for what each request generated (each step at the K=1 step time plus a row's share of the K-row step for each further sequence; " +
            $"steps of K distinct sequences: {stepTimes}); steps: mean generation steps per request; rows: mean sequences computed per request (candidates with equal prefixes share one)");
        var small = rows.Single(r => r.Name.StartsWith("1 KB"));
        var large = rows.Single(r => r.Name.StartsWith("1 MB"));
        AnsiConsole.MarkupLine($"checkpoint: {Markup.Escape(checkpoint)}; replayed: {Markup.Escape(file)}; workspace cache {(workspaceCache ? "on" : "off")}; " +
                               $"{Environment.ProcessorCount} CPUs");
        AnsiConsole.MarkupLine($"1 MB / 1 KB document: p50 {large.Latency.P50Ms / small.Latency.P50Ms:F2}x, p95 {large.Latency.P95Ms / small.Latency.P95Ms:F2}x");
        BenchRow Row(string name) => rows.Single(r => r.Name == name);
        AnsiConsole.MarkupLine($"constraining adds at K=8: p50 {Row("K=8 + constrain").Latency.P50Ms - Row("K=8").Latency.P50Ms:+0.0;-0.0} ms, " +
                               $"p95 {Row("K=8 + constrain").Latency.P95Ms - Row("K=8").Latency.P95Ms:+0.0;-0.0} ms; with re-ranking: " +
                               $"p50 {Row("K=8 + constrain + re-rank").Latency.P50Ms - Row("K=8 + re-rank").Latency.P50Ms:+0.0;-0.0} ms, " +
                               $"p95 {Row("K=8 + constrain + re-rank").Latency.P95Ms - Row("K=8 + re-rank").Latency.P95Ms:+0.0;-0.0} ms");
    }
}
