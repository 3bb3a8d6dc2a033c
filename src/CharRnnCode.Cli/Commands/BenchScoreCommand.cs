// charrnn bench score: how fast Roslyn scoring is, on 500-character windows of real C# (a corpus's test split,
// or the .cs files under a folder). The baseline, run in the same process on the same windows, is Roslyn's bare
// parse; full snippet scoring (parse + binding for undefined names) and the evaluation's per-sample analysis are
// printed as samples per second and as ratios to it. Then the editor path: CompletionScorer's Prepare, its
// cheap Score per candidate and its exact ScoreExact. Rounds alternate; medians are printed. With --checkpoint,
// last, how often the cheap Score finds the same undefined names as full binding on completions that model writes.
using System.Diagnostics;
using CharRnnCode.Common;
using CharRnnCode.Corpus;
using CharRnnCode.Evaluation;
using CharRnnCode.Scoring;
using Microsoft.CodeAnalysis.CSharp;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class BenchScoreCommand : Command<BenchScoreCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>Take C# from this corpus folder's test split.</summary>
        [CommandOption("--corpus <DIR>")] public string? Corpus { get; init; }

        /// <summary>
        /// Take C# from the .cs files under this folder (default: the current folder, when no --corpus).
        /// </summary>
        [CommandOption("--source <DIR>")] public string? Source { get; init; }

        /// <summary>500-character samples per round. Default 100.</summary>
        [CommandOption("--samples <N>")] public int Samples { get; init; } = 100;

        /// <summary>Characters per sample. Default 500.</summary>
        [CommandOption("--length <N>")] public int Length { get; init; } = 500;

        /// <summary>Timed rounds of each measurement; medians are printed. Default 5.</summary>
        [CommandOption("--rounds <N>")] public int Rounds { get; init; } = 5;

        /// <summary>Completion candidates scored per editor request. Default 8.</summary>
        [CommandOption("--candidates <N>")] public int Candidates { get; init; } = 8;

        /// <summary>
        /// Also measure how often the fast scorer agrees with full binding, on line completions this checkpoint
        /// writes (K = --candidates per position).
        /// </summary>
        [CommandOption("--checkpoint <PATH>")] public string? Checkpoint { get; init; }

        /// <summary>
        /// Positions for the agreement measurement. Default 40 (about 250 distinct completions at K = 8).
        /// </summary>
        [CommandOption("--agreement-positions <N>")] public int AgreementPositions { get; init; } = 40;
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Samples < 1 || settings.Rounds < 1 || settings.Length < 20 || settings.Candidates < 1)
            throw new UserError("--samples, --rounds and --candidates must be at least 1, --length at least 20.");
        var files = LoadFiles(settings);
        var samples = Windows(files, settings.Samples, settings.Length);
        if (samples.Count == 0) throw new UserError($"no C# text of {settings.Length} characters or more was found; pass --corpus DIR or --source DIR.");

        var scorer = new CSharpScorer();
        scorer.WarmUp();
        var parse = new List<double>();
        var full = new List<double>();
        var analysis = new List<double>();
        AnsiConsole.MarkupInterpolated($"bench score: {samples.Count} samples of {settings.Length} characters from {files.Count} files; ");
        AnsiConsole.MarkupLineInterpolated($"{settings.Rounds} rounds; {Environment.ProcessorCount} CPUs (shared machine: expect noise)");
        for (var round = 1; round <= settings.Rounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            parse.Add(PerSecond(samples, sample => CSharpSyntaxTree.ParseText(sample, CSharpScorer.ParseOptions).GetDiagnostics().Count()));
            full.Add(PerSecond(samples, sample => scorer.ScoreSnippet(sample).UndefinedIdentifiers.Count));
            analysis.Add(PerSecond(samples, sample => FreeRunning.Analyze(sample, 1.0, scorer).RealSyntaxErrors));
            AnsiConsole.MarkupLineInterpolated($"  round {round}: parse {parse[^1]:N0}/s, score {full[^1]:N0}/s, free-running analysis {analysis[^1]:N0}/s");
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("snippet scoring").AddColumn("samples/s (median)").AddColumn("ratio to parse");
        table.AddRow("baseline: Roslyn parse + syntax diagnostics", $"{Median.Of(parse):N0}", "1.00");
        table.AddRow("CSharpScorer.ScoreSnippet (syntax + undefined names)", $"{Median.Of(full):N0}", $"{Median.Of(full) / Median.Of(parse):0.00}");
        table.AddRow("free-running analysis (cut, parse, score, brackets)", $"{Median.Of(analysis):N0}", $"{Median.Of(analysis) / Median.Of(parse):0.00}");
        AnsiConsole.Write(table);

        EditorPath(files, settings, cancellationToken);
        if (settings.Checkpoint is not null) Agreement(files, settings, cancellationToken);
        return 0;
    }

    /// <summary>The fast scorer against full binding on the checkpoint's own completions, bound against every split of the corpus.</summary>
    private static void Agreement(IReadOnlyList<SourceFile> files, Settings settings, CancellationToken cancellationToken)
    {
        if (!File.Exists(settings.Checkpoint)) throw new UserError($"--checkpoint '{settings.Checkpoint}' does not exist; pass RUN_DIR/best.ckpt of a `charrnn train` run.");
        var binding = settings.Corpus is null ? files
            : [.. CorpusSplits.All.SelectMany(split => CorpusFolder.Open(settings.Corpus).Files(split)).Select(f => new SourceFile(f.Repo, f.Path, f.Text))];
        using var model = CheckpointModel.Load(settings.Checkpoint);
        var positions = LineCompletion.DrawPositions(files, settings.AgreementPositions, seed: 1);
        var result = ScorerAgreement.Measure(model, files, positions, new LineCompletionOptions { K = settings.Candidates },
            new RepositoryWorkspaces(binding), cancellationToken: cancellationToken);
        AnsiConsole.WriteLine(FormattableString.Invariant(
            $"agreement: the fast scorer finds the same undefined names as full binding on {result.Agreeing} of {result.Completions} completions ({result.Share:P1}) written by {model.Description} ") +
                FormattableString.Invariant($"at {positions.Count} positions; {result.WithUnresolvedMembers} left a member unresolved"));
        foreach (var d in result.Disagreements.Take(10))
            AnsiConsole.WriteLine($"  {d.Completion}  fast: [{string.Join(", ", d.Fast)}] unresolved: [{string.Join(", ", d.Unresolved)}] full: [{string.Join(", ", d.Full)}]");
    }

    /// <summary>Per request: Prepare once, then Score and ScoreExact for each of K candidates (the true line and variants).</summary>
    private static void EditorPath(IReadOnlyList<SourceFile> files, Settings settings, CancellationToken cancellationToken)
    {
        var positions = LineCompletion.DrawPositions(files, Math.Min(60, settings.Samples), seed: 1);
        if (positions.Count == 0) return;
        var scorer = new CompletionScorer();
        foreach (var file in files.Take(200)) scorer.SetDocument(file.Path, file.Text);
        scorer.WarmUp();
        var prepare = new List<double>();
        var fast = new List<double>();
        var exact = new List<double>();
        foreach (var position in positions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var file = files[position.FileIndex];
            var clock = Stopwatch.StartNew();
            var prepared = scorer.Prepare(file.Path, file.Text[..position.Caret] + file.Text[position.LineEnd..], position.Caret, cancellationToken);
            prepare.Add(clock.Elapsed.TotalMilliseconds);
            var candidates = Enumerable.Range(0, settings.Candidates).Select(i => Variant(position.TrueLine, i)).ToList();
            clock.Restart();
            foreach (var candidate in candidates) scorer.Score(prepared, candidate);
            fast.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            foreach (var candidate in candidates) scorer.ScoreExact(prepared, candidate, cancellationToken: cancellationToken);
            exact.Add(clock.Elapsed.TotalMilliseconds);
            scorer.SetDocument(file.Path, file.Text);
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn($"editor request ({positions.Count} positions, {settings.Candidates} candidates)")
            .AddColumn("ms per request (median)").AddColumn("ratio to Score");
        table.AddRow("CompletionScorer.Prepare (names in scope, receiver, region)", $"{Median.Of(prepare):0.00}", $"{Median.Of(prepare) / Median.Of(fast):0.00}");
        table.AddRow("CompletionScorer.Score x K (syntax-first, cheap)", $"{Median.Of(fast):0.00}", "1.00");
        table.AddRow("CompletionScorer.ScoreExact x K (full binding)", $"{Median.Of(exact):0.00}", $"{Median.Of(exact) / Median.Of(fast):0.00}");
        AnsiConsole.Write(table);
    }

    // Candidates a model might write: the line, a truncation, a misspelt name, an extra bracket.
    private static string Variant(string line, int index) => (index % 4) switch
    {
        0 => line,
        1 => line[..(line.Length / 2)],
        2 => line.Replace("e", "a", StringComparison.Ordinal),
        _ => line + ")",
    };

    private static IReadOnlyList<SourceFile> LoadFiles(Settings settings)
    {
        if (settings.Corpus is not null)
            return [.. CorpusFolder.Open(settings.Corpus).Files(CorpusSplit.Test).Select(f => new SourceFile(f.Repo, f.Path, f.Text))];
        var folder = settings.Source ?? Directory.GetCurrentDirectory();
        if (!Directory.Exists(folder)) throw new UserError($"--source '{folder}' does not exist; pass a folder of .cs files.");
        return [.. Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).Take(2000)
            .Select(path => new SourceFile("source", Path.GetRelativePath(folder, path), File.ReadAllText(path).ReplaceLineEndings("\n")))];
    }

    /// <summary>Consecutive windows of <paramref name="length"/> characters, starting at line starts, across the files.</summary>
    private static List<string> Windows(IReadOnlyList<SourceFile> files, int count, int length)
    {
        var windows = new List<string>();
        foreach (var file in files)
            for (var start = 0; start + length <= file.Text.Length && windows.Count < count; start += length)
            {
                var lineStart = start == 0 ? 0 : file.Text.IndexOf('\n', start) + 1;
                if ((start > 0 && lineStart == 0) || lineStart + length > file.Text.Length) break;
                windows.Add(file.Text.Substring(lineStart, length));
            }
        return windows;
    }

    private static double PerSecond(List<string> samples, Func<string, int> work)
    {
        var clock = Stopwatch.StartNew();
        var sink = 0;
        foreach (var sample in samples) sink += work(sample);
        GC.KeepAlive(sink);
        return samples.Count / clock.Elapsed.TotalSeconds;
    }

}
