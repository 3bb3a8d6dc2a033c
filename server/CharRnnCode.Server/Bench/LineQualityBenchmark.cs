// `charrnn-server bench lines`: what Roslyn does to the completions the editor shows, measured through
// the real server on held-out code. For N lines of a repository the model never trained on (the
// server is given the repository as its workspace, so Roslyn knows its types), it opens each file with
// the line emptied down to its indentation and asks for a completion there, once per decoding mode:
// free (likelihood only), free + Roslyn re-ranking, constrained, constrained + re-ranking; the other
// settings are the server's defaults. Each completion is then bound for real (CompletionScorer.
// ScoreExact against every file of the repository and the references the server's Roslyn had: the
// reference assemblies and the projects' packages MSBuild resolved, as a build would): syntax errors and
// undefined names it adds beyond those the true line adds. Reported with bootstrap 95 % intervals over
// positions, and each mode's difference from "free" as a paired interval. It trains nothing.
using System.Diagnostics;
using System.Text.Json;
using CharRnnCode.Common;
using CharRnnCode.Scoring;
using CharRnnCode.Server.Protocol;
using Spectre.Console;

namespace CharRnnCode.Server.Bench;

/// <summary>The arguments of `charrnn-server bench lines`, as BenchCommand parsed them.</summary>
public sealed record LineQualityOptions(string? Checkpoint, string? Repo, string? Output, int Requests, int Seed)
{
    /// <summary>The server's workspaceCache setting.</summary>
    public bool WorkspaceCache { get; init; } = true;
}

public sealed record LineQualitySample(string Mode, string File, int Line, string Expected, string Completion, double LatencyMs,
    bool NonEmpty, bool Exact, double EditSimilarity, int SyntaxErrorsAdded, int UndefinedNamesAdded, bool ParseOk, bool Clean, IReadOnlyList<string> UndefinedNames);

public sealed record MetricSummary(string Metric, double Mean, double Low, double High);

public sealed record ModeSummary(string Mode, int Positions, double P50Ms, double P95Ms, IReadOnlyList<MetricSummary> Metrics, IReadOnlyList<MetricSummary> DifferenceFromFree);

public static class LineQualityBenchmark
{
    private static readonly (string Name, bool Constrain, bool Rerank)[] Modes =
        [("free", false, false), ("free + re-ranked", false, true), ("constrained", true, false), ("constrained + re-ranked", true, true)];

    private static readonly (string Name, Func<LineQualitySample, double> Value)[] Metrics =
    [
        ("non-empty", s => s.NonEmpty ? 1 : 0),
        ("exact", s => s.Exact ? 1 : 0),
        ("edit similarity", s => s.EditSimilarity),
        ("parse-OK", s => s.ParseOk ? 1 : 0),
        ("syntax errors added", s => s.SyntaxErrorsAdded),
        ("undefined names added", s => s.UndefinedNamesAdded),
        ("clean", s => s.Clean ? 1 : 0),
    ];

    public static Task<int> RunAsync(LineQualityOptions options) => BenchOutput.RunAsync("charrnn-server bench lines", async () =>
    {
        var (checkpoint, repo, output, requests, seed) = options;
        if (checkpoint is null || !File.Exists(checkpoint)) throw new UserError($"lines needs --checkpoint PATH of an existing checkpoint (got '{checkpoint}').");
        if (repo is null || !Directory.Exists(repo)) throw new UserError($"lines needs --repo DIR: a folder of C# sources the model did not train on (got '{repo}').");
        repo = Path.GetFullPath(repo);
        var files = Features.Workspace.WorkspaceLoader.CSharpFiles([repo]).Select(path => (Name: path, Text: Features.Workspace.WorkspaceLoader.TryRead(path) ?? "")).ToList();
        var positions = FirstRequestBenchmark.Positions(files, requests, seed);
        if (positions.Count == 0) throw new UserError($"no statement lines found in the C# files of {repo}.");
        var samples = await MeasureAsync(checkpoint, repo, files, positions, options.WorkspaceCache);
        var summaries = Summarize(samples, seed);
        Print(summaries, checkpoint, repo);
        if (output is not null)
            BenchOutput.WriteReport(output, new { checkpoint, repo, summaries, samples });
    });

    private static async Task<List<LineQualitySample>> MeasureAsync(string checkpoint, string repo, List<(string Name, string Text)> files,
        List<(string File, string Text, int Line)> positions, bool workspaceCache)
    {
        var completions = new List<(string Mode, int Position, string Completion, double LatencyMs)>();
        IReadOnlyList<Microsoft.CodeAnalysis.MetadataReference> references;
        await using (var session = await BenchSession.StartAsync(new { checkpoint, workspaceCache }, rootUri: new Uri(repo).AbsoluteUri))
        {
            var loaded = await session.Server.Context.WorkspaceLoading;
            AnsiConsole.MarkupLine($"workspace: {loaded} C# files given to Roslyn, {session.Server.Context.Reranker.ReferenceCount} metadata references; managed memory " +
                $"{GC.GetTotalMemory(true) / 1e6:F0} MB");
            references = session.Server.Context.Reranker.References;
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("requests", maxValue: Modes.Length * positions.Count);
                    foreach (var (mode, constrain, rerank) in Modes)
                    {
                        await session.Client.NotifyWithParameterObjectAsync(Methods.DidChangeConfiguration,
                            new DidChangeConfigurationParams(JsonSerializer.SerializeToElement(new { constrain, rerank })));
                        for (var p = 0; p < positions.Count; p++)
                        {
                            var (document, caret, _, _) = HeldOutLines.Empty(positions[p].Text, positions[p].Line);
                            var uri = new Uri(positions[p].File).AbsoluteUri;
                            await session.Client.NotifyWithParameterObjectAsync(Methods.DidOpen, new DidOpenTextDocumentParams(new TextDocumentItem(uri, "csharp", 1, document)));
                            var clock = Stopwatch.StartNew();
                            var result = await session.Client.InvokeWithParameterObjectAsync<InlineCompletionList>(Methods.InlineCompletion, new InlineCompletionParams(
                                new TextDocumentIdentifier(uri), caret, new InlineCompletionContext(InlineCompletionTriggerKind.Invoked)));
                            var latency = clock.Elapsed.TotalMilliseconds;
                            await session.Client.NotifyWithParameterObjectAsync(Methods.DidClose, new DidCloseTextDocumentParams(new TextDocumentIdentifier(uri)));
                            completions.Add((mode, p, result.Items.Count > 0 ? result.Items[0].InsertText : "", latency));
                            task.Increment(1);
                        }
                    }
                });
        }

        // Bound for real, against the whole repository: what each completion adds beyond what the true line adds.
        var scorer = new CompletionScorer(references);
        scorer.SetDocuments(files.Select(f => (f.Name, f.Text)));
        var samples = new List<LineQualitySample>();
        var baselines = new Dictionary<int, (CompletionContext Context, CompletionScore Truth)>();
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("binding completions", maxValue: completions.Count);
                foreach (var (mode, p, completion, latency) in completions)
                {
                    var (file, _, line) = positions[p];
                    var (document, _, offset, expected) = HeldOutLines.Empty(positions[p].Text, positions[p].Line);
                    if (!baselines.TryGetValue(p, out var baseline))
                    {
                        var context = scorer.Prepare(file, document, offset);
                        baselines[p] = baseline = (context, scorer.ScoreExact(context, expected));
                    }
                    var firstLine = completion.Split('\n')[0].TrimEnd();
                    var nonEmpty = HeldOutLines.HasCode(completion);
                    var score = scorer.ScoreExact(baseline.Context, completion);
                    var errors = Math.Max(0, score.SyntaxErrorsIntroduced - Math.Max(0, baseline.Truth.SyntaxErrorsIntroduced));
                    var undefined = score.UndefinedIdentifiersIntroduced.Except(baseline.Truth.UndefinedIdentifiersIntroduced, StringComparer.Ordinal).ToList();
                    var parseOk = nonEmpty && errors == 0;
                    samples.Add(new LineQualitySample(mode, Path.GetRelativePath(repo, file), line + 1, expected, completion, Math.Round(latency, 1),
                        nonEmpty, firstLine == expected, TextSimilarity.EditSimilarity(firstLine, expected), errors, undefined.Count, parseOk, parseOk && undefined.Count == 0, undefined));
                    task.Increment(1);
                    await Task.Yield();
                }
            });
        scorer.SetDocuments([]);
        return samples;
    }

    /// <summary>Means with bootstrap 95 % intervals, and differences from "free" on the same resampled positions (one seed: the same draws for every mode).</summary>
    private static List<ModeSummary> Summarize(List<LineQualitySample> samples, int seed)
    {
        var byMode = Modes.Select(m => samples.Where(s => s.Mode == m.Name).ToArray()).ToArray();
        var n = byMode[0].Length;
        static MetricSummary Summary(string name, Estimate e) => new(name, e.Value, e.Low, e.High);
        var result = new List<ModeSummary>();
        for (var m = 0; m < Modes.Length; m++)
        {
            var mode = byMode[m];
            var metrics = Metrics.Select(metric => Summary(metric.Name, Bootstrap.Mean([.. mode.Select(metric.Value)], seed))).ToList();
            var differences = m == 0 ? [] : Metrics.Select(metric => Summary(metric.Name,
                Bootstrap.Mean([.. Enumerable.Range(0, n).Select(i => metric.Value(mode[i]) - metric.Value(byMode[0][i]))], seed))).ToList();
            var latencies = mode.Select(s => s.LatencyMs).Order().ToArray();
            result.Add(new ModeSummary(Modes[m].Name, n, latencies[n / 2], latencies[Math.Min(n - 1, (int)Math.Ceiling(0.95 * n) - 1)], metrics, differences));
        }
        return result;
    }

    private static void Print(List<ModeSummary> summaries, string checkpoint, string repo)
    {
        // One row per metric, one column per mode: narrow enough for a terminal or a log file.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
        var table = new Table().Title(Markup.Escape($"line completion through the server, {summaries[0].Positions} held-out lines: mean [bootstrap 95 % interval]"))
            .AddColumn("metric").AddColumns(summaries.Select(s => Markup.Escape(s.Mode)).ToArray());
        for (var m = 0; m < Metrics.Length; m++)
            table.AddRow([Metrics[m].Name, .. summaries.Select(s => Format(s.Metrics[m]))]);
        table.AddRow(["latency p50 / p95 ms", .. summaries.Select(s => $"{s.P50Ms:F0} / {s.P95Ms:F0}")]);
        AnsiConsole.Write(table);
        var differences = new Table().Title("difference from free, paired over the same positions (* where the interval excludes 0)")
            .AddColumn("metric").AddColumns(summaries.Skip(1).Select(s => Markup.Escape(s.Mode)).ToArray());
        for (var m = 0; m < Metrics.Length; m++)
            differences.AddRow([Metrics[m].Name, .. summaries.Skip(1).Select(s => s.DifferenceFromFree[m]).Select(d => Format(d) + (d.Low > 0 || d.High < 0 ? " *" : ""))]);
        AnsiConsole.Write(differences);
        AnsiConsole.MarkupLine($"checkpoint: {Markup.Escape(checkpoint)}; held-out repository: {Markup.Escape(repo)}; {Environment.ProcessorCount} CPUs");
    }

    private static string Format(MetricSummary metric) => Markup.Escape($"{metric.Mean:F2} [{metric.Low:F2}, {metric.High:F2}]");
}
