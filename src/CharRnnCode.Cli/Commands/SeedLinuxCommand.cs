// charrnn experiment seed-linux: the seed's Linux experiment (Karpathy, Johnson and Fei-Fei 2015) at CPU scale, as
// the plain verbs a user would run: harvest corpora/linux-6m.json, train an LSTM, a GRU and a plain RNN of the same
// size for a time budget each, measure every n-gram order of both smoothings, evaluate the models on the test split
// (loss, parse rate and invented names of samples with the C scorer), and write one report. Every step prints its
// command. With --resume each step that finished is skipped and a model cut short continues with the rest of its
// budget, so hours of training survive an interruption. It tunes nothing: every cell uses one preset (small-cpu by default).
using System.Globalization;
using System.Text.Json.Nodes;
using CharRnnCode.Common;
using CharRnnCode.Corpus;
using CharRnnCode.Evaluation;
using CharRnnCode.Inference;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class SeedLinuxCommand : Command<SeedLinuxCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>
        /// Experiment folder: corpus/, models/CELL/, ngram.json, eval/, report.md. Default runs/seed-linux.
        /// </summary>
        [CommandOption("--out <DIR>")] public string Out { get; init; } = Path.Combine("runs", "seed-linux");

        /// <summary>
        /// Continue the experiment in --out: finished steps are skipped, a model cut short trains for the rest of
        /// its budget.
        /// </summary>
        [CommandOption("--resume")] public bool Resume { get; init; }

        /// <summary>
        /// Harvest recipe of the corpus. Default corpora/linux-6m.json (~6.2 M characters of Linux 6.1, split
        /// 80/10/10 by file).
        /// </summary>
        [CommandOption("--manifest <FILE>")] public string? Manifest { get; init; }

        /// <summary>Training budget of the LSTM in minutes. Default 60.</summary>
        [CommandOption("--minutes <MINUTES>")] public double Minutes { get; init; } = 60;

        /// <summary>Training budget of the GRU and the plain RNN. Default: the LSTM's.</summary>
        [CommandOption("--other-minutes <MINUTES>")] public double? OtherMinutes { get; init; }

        /// <summary>Comma-separated cells to train, the LSTM first. Default lstm,gru,rnn.</summary>
        [CommandOption("--cells <CELLS>")] public string Cells { get; init; } = "lstm,gru,rnn";

        /// <summary>
        /// Model preset of every cell (the cell is set per run). Default small-cpu (2 layers of 256).
        /// </summary>
        [CommandOption("--preset <NAME>")] public string Preset { get; init; } = "small-cpu";

        /// <summary>Free-running samples per temperature and model in the evaluation. Default 8.</summary>
        [CommandOption("--samples <N>")] public int Samples { get; init; } = 8;

        /// <summary>Intra-op threads of training and evaluation (default: one per CPU).</summary>
        [CommandOption("--threads <N>")] public int? Threads { get; init; }

        public override ValidationResult Validate() =>
            FiniteNumbers.Problem(this) is { } notFinite ? ValidationResult.Error(notFinite)
            : Minutes is <= 0 or > 7 * 24 * 60 ? ValidationResult.Error("--minutes must be between 0 and 10080.")
            : OtherMinutes is <= 0 or > 7 * 24 * 60 ? ValidationResult.Error("--other-minutes must be between 0 and 10080.")
            : Samples is < 1 or > 1000 ? ValidationResult.Error("--samples must be between 1 and 1000.")
            : ValidationResult.Success();
    }

    // Steps a minute of a 2x256 cell at batch 32 x 64 on one thread of a 2-vCPU machine running two such runs: they size
    // each run's cosine schedule so the learning rate has decayed when the budget ends. A faster machine stops at the
    // step count (the report gives the minutes used); a resumed run re-fits the schedule to the speed it measured.
    private static readonly Dictionary<string, int> StepsPerMinute = new() { ["lstm"] = 250, ["gru"] = 280, ["rnn"] = 900 };

    private const string Temperatures = "0.5,0.8,1";

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var inv = CultureInfo.InvariantCulture;
        var cells = settings.Cells.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(c => c.ToLowerInvariant()).Distinct().ToList();
        var unknown = cells.FirstOrDefault(c => !StepsPerMinute.ContainsKey(c));
        if (unknown is not null || cells.Count == 0)
            throw new UserError($"--cells takes lstm, gru and rnn, comma-separated (got '{settings.Cells}').");
        var manifest = settings.Manifest ?? HarvestFilterSettings.FindManifest("linux-6m.json", Environment.CurrentDirectory, AppContext.BaseDirectory)
            ?? throw new UserError("corpora/linux-6m.json was not found above the current folder: run from a clone of CharRnnCode or pass --manifest FILE.");
        var root = Path.GetFullPath(settings.Out);
        OutputTarget.EnsureNotProtected(root, settings.Out);
        if (Directory.Exists(root) && Directory.EnumerateFileSystemEntries(root).Any() && !settings.Resume)
            throw new UserError($"{root} already holds an experiment. Pass --resume to continue it, or another --out.");
        Directory.CreateDirectory(root);
        var corpus = Path.Combine(root, "corpus");
        var steps = 3 + cells.Count;
        var step = 0;

        StepHeadings.Step(++step, steps, "harvest", $"charrnn harvest --manifest {manifest} --out {corpus}");
        if (File.Exists(Path.Combine(corpus, "manifest.json"))) Skipped("the corpus is there");
        else new HarvestCommand().Execute(context, new HarvestCommand.Settings { Manifest = manifest, Out = corpus }, cancellationToken);

        var models = new List<(string Cell, string Run, double Budget)>();
        foreach (var cell in cells)
        {
            var budget = cell == cells[0] ? settings.Minutes : settings.OtherMinutes ?? settings.Minutes;
            var run = Path.Combine(root, "models", cell);
            models.Add((cell, run, budget));
            var maxSteps = (int)Math.Ceiling(budget * StepsPerMinute[cell]);
            (double trained, long done) = (0, 0);
            if (File.Exists(Path.Combine(run, RunFolder.LastCheckpoint)))
            {
                var earlier = SeedExperimentReport.ReadRun(run, Terminal.Warn);
                (trained, done) = (earlier.Minutes, earlier.Steps);
            }
            var left = budget - trained;
            if (trained > 0)
            {
                // The schedule is re-fitted to what is left at the speed this run measured, so the learning rate still
                // reaches its floor when the budget ends, however busy the machine was.
                var refit = Math.Min(maxSteps, done + (int)Math.Ceiling(Math.Max(0, left) * done / trained));
                string[] resumed = ["patience=0", $"maxSteps={refit}"];
                StepHeadings.Step(++step, steps, $"train {cell}", $"charrnn train --resume {run} {string.Join(' ', resumed.Select(o => $"--set {o}"))} --max-minutes {left.ToString("0.##", inv)}");
                if (left < 0.25 || done >= refit) { Skipped(FormattableString.Invariant($"trained {trained:0.#} of {budget:0.#} minutes")); continue; }
                new TrainCommand().Execute(context, new TrainCommand.Settings { Resume = run, Overrides = resumed, MaxMinutes = left, Threads = settings.Threads }, cancellationToken);
                continue;
            }
            // patience=0: the budget decides the end, not a plateau of the validation loss.
            string[] overrides = [$"cell={cell}", $"maxSteps={maxSteps}", "evalInterval=500", "patience=0"];
            StepHeadings.Step(++step, steps, $"train {cell}", $"charrnn train --corpus {corpus} --preset {settings.Preset} {string.Join(' ', overrides.Select(o => $"--set {o}"))} --max-minutes " +
                $"{budget.ToString(inv)} --out {run}");
            new TrainCommand().Execute(context, new TrainCommand.Settings
            {
                Corpus = corpus, Preset = settings.Preset, Overrides = overrides, MaxMinutes = budget, Out = run, Threads = settings.Threads,
            }, cancellationToken);
        }

        var ngram = Path.Combine(root, "ngram.json");
        StepHeadings.Step(++step, steps, "n-grams", $"charrnn ngram --corpus {corpus} --split test --orders 1-20 --smoothing witten-bell,kneser-ney --out {ngram}");
        if (File.Exists(ngram)) Skipped("ngram.json is there");
        else new NGramCommand().Execute(context, new NGramCommand.Settings { Corpus = corpus, Split = "test", Orders = "1-20", Smoothing = "witten-bell,kneser-ney", Out = ngram }, cancellationToken);

        var evaluation = Path.Combine(root, "eval");
        var checkpoints = models.Select(m => Path.Combine(m.Run, RunFolder.BestCheckpoint)).ToList();
        StepHeadings.Step(++step, steps, "evaluate", $"charrnn eval --checkpoint {checkpoints[0]} {string.Join(' ', checkpoints.Skip(1).Select(c => $"--compare {c}"))} --corpus {corpus} --out " +
            $"{evaluation} --temperatures {Temperatures} --samples {settings.Samples} --positions 40");
        if (File.Exists(Path.Combine(evaluation, "report.json"))) Skipped("eval/report.json is there");
        else new EvalCommand().Execute(context, new EvalCommand.Settings
        {
            Checkpoint = checkpoints[0], Compare = [.. checkpoints.Skip(1)], Corpus = corpus, Out = evaluation,
            Temperatures = Temperatures, Samples = settings.Samples, Positions = 40, Threads = settings.Threads,
        }, cancellationToken);

        StepHeadings.Step(++step, steps, "report", $"(reads models/*/metrics.jsonl, ngram.json and eval/report.json) -> {Path.Combine(root, "report.md")}");
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(evaluation, "report.json")))!;
        var testNats = SeedExperimentReport.ReadTestLosses(report);
        var rows = models.Select(m =>
        {
            var (curve, minutes, trainedSteps, best) = SeedExperimentReport.ReadRun(m.Run, Terminal.Warn);
            var checkpoint = Path.GetFullPath(Path.Combine(m.Run, RunFolder.BestCheckpoint));
            return new ExperimentModel(m.Cell, SeedExperimentReport.ReadShape(m.Run), m.Budget, minutes, trainedSteps, best,
                testNats.TryGetValue(checkpoint, out var nats) ? nats : double.NaN, curve);
        }).ToList();
        var splits = CorpusFolder.Open(corpus).Manifest.Splits;
        var description = FormattableString.Invariant(
            $"Corpus: {manifest} ({splits.Values.Sum(s => s.Chars):N0} characters; train {splits["train"].Chars:N0}, validation {splits["val"].Chars:N0}, test {splits["test"].Chars:N0}, split by ") +
                FormattableString.Invariant($"file). Models: the {settings.Preset} preset for every cell, trained on this machine's CPUs.");
        var path = SeedExperimentReport.Write(root, description, rows, SeedExperimentReport.ReadNGrams(ngram), report);
        AnsiConsole.MarkupLineInterpolated($"[green]experiment done[/]: {path} (and experiment.json, loss-curves.png, ngram-orders.png)");
        return 0;
    }

    private static void Skipped(string why) => AnsiConsole.MarkupLineInterpolated($"[grey]skipped: {why}[/]");
}
