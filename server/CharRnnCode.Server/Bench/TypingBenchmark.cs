// `charrnn-server bench typing`: the typing replay through the real server. The folder is opened as the workspace the
// way an editor opens it (its C# files given to Roslyn, each typed file opened and edited over LSP), chosen lines
// (CharRnnCode.Typing.TypingLines, by seed) are emptied and typed keystroke by keystroke by three simulated users:
// ghost text alone, IntelliSense alone (Roslyn's CompletionService on the same workspace and references), and both.
// It prints keystrokes saved, suggestions shown, acceptance, the share of no use, characters per acceptance and
// latency with 95 % bootstrap intervals over lines, and writes them with every line's keystrokes as JSON. It trains
// nothing; with no --checkpoint it serves the shipped default model, as the server does.
using System.Text.Json;
using CharRnnCode.Common;
using CharRnnCode.Completion;
using CharRnnCode.Server.Protocol;
using CharRnnCode.Typing;
using Spectre.Console;

namespace CharRnnCode.Server.Bench;

/// <summary>The arguments of `charrnn-server bench typing`, as BenchCommand parsed them.</summary>
/// <param name="Files">only these files' lines (paths relative to Repo); the whole folder stays the workspace</param>
public sealed record TypingBenchOptions(string? Repo, IReadOnlyList<string> Files, int Lines, string? Checkpoint, int Seed, string? Output)
{
    /// <summary>With StopAgreements, the settings the ghost-text user is swept over after the main run (empty: no sweep).</summary>
    public IReadOnlyList<double> MinConfidences { get; init; } = [];
    public IReadOnlyList<double> StopAgreements { get; init; } = [];
    /// <summary>The typed files are absent from disk: the server's workspace is a copy of Repo without them.</summary>
    public bool HoldOut { get; init; }
    /// <summary>The server's workspaceCache setting.</summary>
    public bool WorkspaceCache { get; init; } = true;
    /// <summary>The server's dynamicEvaluation setting: the lines are typed once the adapted weights are served.</summary>
    public bool DynamicEvaluation { get; init; }
    /// <summary>The server's cliPath setting (for dynamic evaluation).</summary>
    public string? Cli { get; init; }
}


/// <summary>One typed line with each user's keystrokes, for a reader who wants to check a figure by hand.</summary>
public sealed record TypedLineRecord(string File, int Line, string Text, IReadOnlyDictionary<string, int> Keystrokes, IReadOnlyDictionary<string, IReadOnlyList<string>> Actions);

public static class TypingBenchmark
{
    public static Task<int> RunAsync(TypingBenchOptions options) => BenchOutput.RunAsync("charrnn-server bench typing", async () =>
    {
        var (repo, files, lines) = Prepare(options);
        var (report, records, sweep) = await MeasureAsync(options, repo, files, lines);
        Print(report, options, repo);
        if (sweep.Count > 0) PrintSweep(sweep);
        if (options.Output is not null)
        {
            var json = new Dictionary<string, object?>
            {
                ["repo"] = repo,
                ["checkpoint"] = options.Checkpoint ?? "default model",
                ["seed"] = options.Seed,
                ["lines"] = report.GhostText?.Lines,
                ["characters"] = report.GhostText?.Characters,
                ["keystrokesSaved"] = report.GhostText?.KeystrokesSaved,
                ["acceptRate"] = report.GhostText?.AcceptRate,
                ["wrongShownShare"] = report.GhostText?.WrongShownShare,
                ["latencyP50Ms"] = report.GhostText?.LatencyP50Ms,
                ["latencyP95Ms"] = report.GhostText?.LatencyP95Ms,
                ["ghostText"] = report.GhostText,
                ["intellisense"] = report.IntelliSense,
                ["combined"] = report.Combined,
                ["ghostOverIntelliSense"] = report.GhostOverIntelliSense,
                ["combinedGain"] = report.CombinedGain,
                ["sweep"] = sweep,
                ["typedLines"] = records,
            };
            BenchOutput.WriteReport(options.Output, json);
        }
    });

    /// <summary>The workspace's files and the lines to type; every problem with the input is a UserError naming it.</summary>
    public static (string Repo, List<TypingFile> Files, List<TypingLine> Lines) Prepare(TypingBenchOptions options)
    {
        if (options.Repo is null) throw new UserError("typing needs --repo DIR: a folder of C# files to type in.");
        if (!Directory.Exists(options.Repo)) throw new UserError($"--repo {options.Repo}: no such folder.");
        if (options.Checkpoint is not null && !File.Exists(options.Checkpoint))
            throw new UserError($"--checkpoint {options.Checkpoint}: no such file (leave --checkpoint out to type with the shipped default model).");
        var repo = Path.GetFullPath(options.Repo);
        var files = Features.Workspace.WorkspaceLoader.CSharpFiles([repo])
            .Select(path => (Path: path, Text: Features.Workspace.WorkspaceLoader.TryRead(path)))
            .Where(file => file.Text is not null)
            .Select(file => new TypingFile(file.Path, file.Text!))
            .ToList();
        if (files.Count == 0) throw new UserError($"--repo {repo} holds no C# files (*.cs) to type in.");
        var typed = files;
        if (options.Files.Count > 0)
        {
            var byPath = files.ToDictionary(f => f.Path, StringComparer.Ordinal);
            typed = [];
            foreach (var name in options.Files)
            {
                var path = Path.GetFullPath(Path.Combine(repo, name));
                if (!byPath.TryGetValue(path, out var file))
                    throw new UserError($"--files {name}: not a C# file of {repo} (paths are relative to --repo).");
                typed.Add(file);
            }
        }
        var chosen = TypingLines.Choose([.. typed], options.Lines, options.Seed);
        // Choose numbers lines in the typed subset: map them back to the workspace's files.
        chosen = [.. chosen.Select(line => line with { FileIndex = files.FindIndex(f => f.Path == line.Path) })];
        if (chosen.Count == 0)
            throw new UserError($"no line to type in {(options.Files.Count > 0 ? string.Join(", ", options.Files) : repo)}: no line inside a method, accessor or lambda body that is not a comment.");
        return (repo, files, chosen);
    }

    private static async Task<(TypingReport Report, List<TypedLineRecord> Records, List<TypingSweepPoint> Sweep)> MeasureAsync(
        TypingBenchOptions options, string repo, List<TypingFile> files, List<TypingLine> lines)
    {
        var settings = new Dictionary<string, object>();
        if (options.Checkpoint is not null) settings["checkpoint"] = Path.GetFullPath(options.Checkpoint);
        settings["workspaceCache"] = options.WorkspaceCache;
        if (options.DynamicEvaluation) settings["dynamicEvaluation"] = true;
        if (options.Cli is not null) settings["cliPath"] = Path.GetFullPath(options.Cli);
        using var heldOut = options.HoldOut ? HeldOutWorkspace.Without(repo, lines.Select(line => line.Path)) : null;
        if (heldOut is not null)
        {
            // The typed files keep their place in the workspace, but only as the editor's open documents.
            files = [.. files.Select(file => file with { Path = heldOut.Map(file.Path) })];
            lines = [.. lines.Select(line => line with { Path = heldOut.Map(line.Path) })];
        }
        await using var session = await BenchSession.StartAsync(settings, rootUri: new Uri(heldOut?.Root ?? repo).AbsoluteUri);
        var loaded = await session.Server.Context.WorkspaceLoading;
        await session.Server.Context.WorkspaceCache.AddWorkspaceFiles([]); // queued after the loader's files: waits for them to be counted
        if (options.DynamicEvaluation)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var adapted = await session.Server.Context.Adaptation;
            if (!adapted) throw new UserError("--dynamic-evaluation: the adaptation failed (see the server log above); pass --cli PATH to charrnn or charrnn.dll.");
            AnsiConsole.MarkupLine($"dynamic evaluation: adapted weights served {clock.Elapsed.TotalSeconds:F0} s after the workspace loaded " +
                $"({Markup.Escape(session.Server.Context.Model.Status.Checkpoint ?? "")})");
        }
        AnsiConsole.MarkupLine($"workspace cache: {(options.WorkspaceCache ? "on" : "off")}, {session.Server.Context.WorkspaceCache.Status.Characters:N0} characters counted" +
                               (heldOut is null ? "" : $"; the {heldOut.Absent} typed files are absent from disk"));
        AnsiConsole.MarkupLine($"workspace: {loaded} C# files given to Roslyn, {session.Server.Context.Reranker.ReferenceCount} metadata references; " +
                               $"{lines.Count} lines to type ({lines.Sum(l => l.Text.Length):N0} characters), seed {options.Seed}");
        using var peer = new IntelliSensePeer(files, session.Server.Context.Reranker.References);
        var replay = new TypingReplay(new LspGhostTextSource(session.Client), peer);
        var outcomes = new List<TypedLineOutcome>();
        var records = new List<TypedLineRecord>();
        await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("typing lines", maxValue: lines.Count);
                foreach (var line in lines)
                {
                    var keys = new Dictionary<string, int>();
                    var actions = new Dictionary<string, IReadOnlyList<string>>();
                    foreach (var user in replay.Users)
                    {
                        var outcome = await replay.TypeAsync(line, files[line.FileIndex].Text, user);
                        outcomes.Add(outcome);
                        keys[user.ToString()] = outcome.Keys;
                        actions[user.ToString()] = outcome.Actions;
                    }
                    records.Add(new TypedLineRecord(Path.GetRelativePath(repo, line.Path), line.LineNumber + 1, line.Text, keys, actions));
                    task.Increment(1);
                }
            });
        var sweep = new List<TypingSweepPoint>();
        var settingsSwept = (from minConfidence in options.MinConfidences.DefaultIfEmpty(CompletionOptions.DefaultMinConfidence)
                             from stopAgreement in options.StopAgreements.DefaultIfEmpty(CompletionOptions.DefaultStopAgreement)
                             select (minConfidence, stopAgreement)).ToList();
        if (options.MinConfidences.Count + options.StopAgreements.Count > 0)
            await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask("sweeping minConfidence x stopAgreement", maxValue: settingsSwept.Count * lines.Count);
                    foreach (var (minConfidence, stopAgreement) in settingsSwept)
                    {
                        await session.Client.NotifyWithParameterObjectAsync(Methods.DidChangeConfiguration,
                            new DidChangeConfigurationParams(JsonSerializer.SerializeToElement(new { minConfidence, stopAgreement })));
                        var ghostOnly = new TypingReplay(new LspGhostTextSource(session.Client), null);
                        var swept = new List<TypedLineOutcome>();
                        foreach (var line in lines)
                        {
                            swept.Add(await ghostOnly.TypeAsync(line, files[line.FileIndex].Text, TypingUser.GhostText));
                            task.Increment(1);
                        }
                        var isDefault = minConfidence == CompletionOptions.DefaultMinConfidence && stopAgreement == CompletionOptions.DefaultStopAgreement;
                        sweep.Add(new TypingSweepPoint(minConfidence, stopAgreement, isDefault, TypingFigures.Of(swept, options.Seed)));
                    }
                });
        return (TypingReport.Of(outcomes, options.Seed), records, sweep);
    }

    private static void Print(TypingReport report, TypingBenchOptions options, string repo)
    {
        var table = new Table().Border(TableBorder.Rounded).Title($"typing {Markup.Escape(repo)}, {Markup.Escape(options.Checkpoint ?? "the default model")}");
        table.AddColumn("measure (95 % interval over lines)");
        var users = new[] { ("ghost text", report.GhostText), ("IntelliSense", report.IntelliSense), ("both", report.Combined) };
        foreach (var (name, _) in users) table.AddColumn(new TableColumn(name).RightAligned());
        // The line-start measures are about ghost text: the completion list alone has none to judge.
        void Row(string measure, Func<TypingFigures, string> cell, bool ghostOnly = false) =>
            table.AddRow([measure, .. users.Select(u => u.Item2 is null || (ghostOnly && u.Item2 == report.IntelliSense) ? "n/a" : Markup.Escape(cell(u.Item2)))]);
        Row("lines, characters", f => $"{f.Lines}, {f.Characters:N0}");
        Row("keystrokes saved", f => Percent(f.KeystrokesSavedInterval));
        Row("suggestions shown", f => $"{f.SuggestionsShown:N0}");
        Row("accepted (of shown)", f => Percent(f.AcceptRateInterval));
        Row("of no use (of shown)", f => Percent(f.WrongShownShareInterval));
        Row("filler (of shown)", f => Percent(f.FillerShownShare), ghostOnly: true);
        Row("characters per acceptance", f => $"{f.CharsPerAcceptance:F1} ({f.CharsPerAcceptanceInterval.Low:F1} to {f.CharsPerAcceptanceInterval.High:F1})");
        Row("first token right at line start", f => Percent(f.FirstTokenAccuracyInterval), ghostOnly: true);
        Row("characters kept per line start", f => $"{f.CharsKeptPerLineStart:F2}", ghostOnly: true);
        Row("latency p50 / p95", f => $"{f.LatencyP50Ms:F1} / {f.LatencyP95Ms:F1} ms");
        AnsiConsole.Write(table);
        if (report.GhostOverIntelliSense is { } ratio) AnsiConsole.MarkupLine($"ghost text over IntelliSense (keystrokes saved): [bold]{ratio:F2}x[/]");
        if (report.CombinedGain is { } gain)
            AnsiConsole.MarkupLine($"both over IntelliSense alone: [bold]{gain.Value * 100:+0.0;-0.0} points[/] of keystrokes saved ({gain.Low * 100:+0.0;-0.0} to {gain.High * 100:+0.0;-0.0})");
    }

    /// <summary>The gate and the stop rule against what the user keeps: one row per setting, the server's default marked.</summary>
    private static void PrintSweep(List<TypingSweepPoint> sweep)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("ghost text alone, by minConfidence and stopAgreement (95 % intervals over lines)")
            .AddColumn("minConfidence").AddColumn("stopAgreement").AddColumn("keystrokes saved").AddColumn("shown").AddColumn("accepted").AddColumn("of no use")
            .AddColumn("filler").AddColumn("chars / acceptance").AddColumn("p50 / p95 ms");
        foreach (var point in sweep)
        {
            var f = point.Figures;
            table.AddRow($"{point.MinConfidence:0.00}{(point.IsDefault ? " (default)" : "")}", $"{point.StopAgreement:0.00}", Markup.Escape(Compact(f.KeystrokesSavedInterval)),
                $"{f.SuggestionsShown:N0}", Markup.Escape(Compact(f.AcceptRateInterval)), Markup.Escape(Compact(f.WrongShownShareInterval)),
                Markup.Escape(Compact(f.FillerShownShare)), $"{f.CharsPerAcceptance:F1}", $"{f.LatencyP50Ms:F1} / {f.LatencyP95Ms:F1}");
        }
        AnsiConsole.Write(table);
    }

    private static string Compact(Estimate e) => $"{e.Value * 100:F1} [{e.Low * 100:F0}–{e.High * 100:F0}]";

    private static string Percent(Estimate e) => $"{e.Value * 100:F1} % ({e.Low * 100:F1} to {e.High * 100:F1})";
}
