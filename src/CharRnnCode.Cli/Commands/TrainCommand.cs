// charrnn train: fits a character-level recurrent model on a corpus folder, with a live progress bar.
// It parses options and draws; the loop itself is CharRnnCode.Model.Training.Trainer.
using CharRnnCode.Common;
using CharRnnCode.Evaluation;
using CharRnnCode.Inference;
using CharRnnCode.Model.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class TrainCommand : Command<TrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>
        /// Corpus folder (train.txt, val.txt, manifest.json), as written by `charrnn harvest`. Optional with
        /// --resume.
        /// </summary>
        [CommandOption("--corpus <DIR>")] public string? Corpus { get; init; }

        /// <summary>
        /// Preset name (tiny, small-cpu, lstm-2x512, lstm-3x512) or path of a preset .json file. Default small-cpu.
        /// </summary>
        [CommandOption("--preset <NAME>")] public string? Preset { get; init; }

        /// <summary>Run folder for checkpoints (best.ckpt, last.ckpt), metrics.jsonl and loss.png.</summary>
        [CommandOption("--out <RUN_DIR>")] public string? Out { get; init; }

        /// <summary>Continue the run in RUN_DIR from its last.ckpt, exactly where it stopped.</summary>
        [CommandOption("--resume <RUN_DIR>")] public string? Resume { get; init; }

        /// <summary>
        /// With --out RUN_DIR: continue the run there when it holds one (last.ckpt), else start it from --corpus
        /// and --preset; maxMinutes then counts every session's training time. What a sweep's tasks run, so that a
        /// requeued task picks up where it was killed.
        /// </summary>
        [CommandOption("--resume-or-start")] public bool ResumeOrStart { get; init; }

        /// <summary>
        /// Start a new run from this checkpoint (fine-tuning on --corpus): its model and training settings, its
        /// weights, its vocabulary extended with the corpus's new characters. Steps, optimizer and schedule start
        /// afresh; change training keys with --set.
        /// </summary>
        [CommandOption("--init-from <CKPT>")] public string? InitFrom { get; init; }

        /// <summary>Override a preset key, e.g. --set hidden=512 --set learningRate=0.001 (repeatable).</summary>
        [CommandOption("-s|--set <KEY=VALUE>")] public string[] Overrides { get; init; } = [];

        /// <summary>Stop (with a checkpoint and a validation) after this many minutes.</summary>
        [CommandOption("--max-minutes <MINUTES>")] public double? MaxMinutes { get; init; }

        /// <summary>auto, cpu or cuda. Default auto.</summary>
        [CommandOption("--device <DEVICE>")] public string Device { get; init; } = "auto";

        /// <summary>
        /// Intra-op threads (default: one per CPU; on a machine busy with other work 1 can be faster; see README,
        /// Threads). Results are reproducible at a fixed seed and thread count.
        /// </summary>
        [CommandOption("--threads <N>")] public int? Threads { get; init; }

        /// <summary>
        /// At every validation, also write free-running samples and log their parse rate and undefined identifiers
        /// per 1,000 characters, by the corpus's language: Roslyn for C#, libclang for C (parse rate only); no
        /// metrics for other languages.
        /// </summary>
        [CommandOption("--eval-parse-rate")] public bool EvalParseRate { get; init; }

        /// <summary>
        /// Start the run even when --out is a folder that holds files other than a run's (never the current folder,
        /// one above it, the home folder or a repository's root).
        /// </summary>
        [CommandOption("--force")] public bool Force { get; init; }

        /// <summary>Print the final summary as JSON on stdout (progress goes to stderr).</summary>
        [CommandOption("--json")] public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (ResumeOrStart && (Resume is not null || InitFrom is not null)) return ValidationResult.Error("--resume-or-start decides by itself whether to resume; leave out --resume and " +
                "--init-from.");
            if (ResumeOrStart && Out is null) return ValidationResult.Error("--resume-or-start needs --out RUN_DIR (with --corpus and --preset for the case that it starts).");
            if (Resume is null && Out is null) return ValidationResult.Error("--out RUN_DIR is required (or --resume RUN_DIR).");
            if (Resume is null && Corpus is null) return ValidationResult.Error("--corpus DIR is required for a new run.");
            if (InitFrom is not null && Resume is not null) return ValidationResult.Error("--init-from starts a new run; --resume continues one. Pass one of them.");
            if (InitFrom is not null && Preset is not null) return ValidationResult.Error("--init-from keeps the checkpoint's model and training settings; leave out --preset (use --set for " +
                "training keys such as maxSteps).");
            if (Resume is not null && Out is not null && Path.GetFullPath(Out) != Path.GetFullPath(Resume))
                return ValidationResult.Error("--resume continues in its own folder; leave out --out.");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        // A run folder with a last checkpoint is resumed as if --resume had been given; otherwise the run starts.
        if (settings.ResumeOrStart && File.Exists(Path.Combine(settings.Out!, RunFolder.LastCheckpoint)))
            settings = new Settings
            {
                Resume = settings.Out, Corpus = settings.Corpus, Overrides = settings.Overrides, MaxMinutes = settings.MaxMinutes, Device = settings.Device,
                Threads = settings.Threads, EvalParseRate = settings.EvalParseRate, Json = settings.Json, ResumeOrStart = true,
            };
        // A resumed run trains on the corpus it started on unless --corpus names it again (it must have the same identity).
        var corpusDirectory = settings.Corpus ?? (settings.Resume is null ? null : Trainer.CorpusDirectoryOfRun(settings.Resume));
        var overrides = settings.Overrides.ToList();
        if (settings.MaxMinutes is double minutes) overrides.Add($"maxMinutes={minutes.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        var request = new TrainRequest
        {
            Config = settings.Resume is null && settings.InitFrom is null ? RunConfig.LoadPreset(settings.Preset ?? "small-cpu", overrides) : null,
            Corpus = corpusDirectory is null ? null : CorpusInputs.ForTraining(corpusDirectory),
            RunDirectory = settings.Resume ?? settings.Out!,
            Resume = settings.Resume is not null,
            InitFrom = settings.InitFrom,
            TrainOverrides = settings.Resume is not null || settings.InitFrom is not null ? overrides : [],
            Device = settings.Device,
            Threads = settings.Threads,
            MinutesCountEarlierSessions = settings.ResumeOrStart,
            ReplaceAnyOut = settings.Force,
            ValidationProbe = settings.EvalParseRate ? Evaluation.TrainingProbe.ParseRate(languages: corpusDirectory is null ? null : CorpusInputs.Languages(corpusDirectory)) : null,
        };
        if (settings.Resume is not null && settings.Preset is not null)
            throw new UserError("--resume keeps the run's own configuration; leave out --preset (use --set for training keys such as maxSteps).");

        var runDirectory = Path.GetFullPath(request.RunDirectory);
        var plotTitle = $"{Path.GetFileName(Path.TrimEndingDirectorySeparator(runDirectory))}" +
                        (request.Corpus is { } texts ? $" on {Path.GetFileName(Path.TrimEndingDirectorySeparator(texts.Directory))}" : "");
        // Ctrl+C and SIGTERM stop after the current step; the trainer then validates and saves as at any end.
        using var interrupt = Interrupts.CancelOnSignals(cancellationToken, out var signals);
        using var _ = signals;
        var console = settings.Json ? Terminal.Error : Terminal.Progress;
        TrainResult? result = null;
        console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress =>
            {
                ProgressTask? bar = null;
                result = Trainer.Run(request, e =>
                {
                    switch (e.Kind)
                    {
                        case TrainEventKind.Started:
                            console.MarkupLineInterpolated($"[bold]train[/] {e.Message}");
                            bar = progress.AddTask("training", maxValue: e.TotalSteps);
                            bar.Value = e.Step;
                            break;
                        case TrainEventKind.Step when bar is not null:
                            bar.Value = e.Step;
                            bar.Description = $"step {e.Step}/{e.TotalSteps} loss {e.Loss:0.000} lr {e.LearningRate:0.00e0} {e.CharactersPerSecond:N0} chars/s, {Format(e.Remaining)} left";
                            break;
                        case TrainEventKind.Validation:
                            console.MarkupLineInterpolated($"  {e.Message}");
                            break;
                        case TrainEventKind.Checkpoint:
                            LossPlot.Write(Path.Combine(runDirectory, RunFolder.LossPlot), Path.Combine(runDirectory, RunFolder.Metrics), plotTitle);
                            break;
                        case TrainEventKind.Finished when bar is not null:
                            bar.StopTask();
                            break;
                    }
                }, interrupt.Token);
            });

        var p = result!.Progress;
        var validated = double.IsFinite(p.BestValLoss);
        if (settings.Json)
        {
            JsonOutput.Write(new
            {
                result.StopReason, p.Step, p.Epoch, p.CharactersSeen, p.ElapsedSeconds,
                BestValLossNats = validated ? p.BestValLoss : (double?)null,
                BestValBitsPerChar = validated ? p.BestValLoss / Math.Log(2) : (double?)null,
                BestStep = validated ? p.BestStep : (long?)null,
                LastValLossNats = p.LastValLoss,
                result.BestCheckpoint, result.LastCheckpoint, result.RunDirectory,
            });
            return 0;
        }
        var best = validated ? $"best val {p.BestValLoss / Math.Log(2):0.000} bpc at step {p.BestStep}" : "no validation (the validation split is empty)";
        AnsiConsole.MarkupLineInterpolated($"[green]done[/]: {result.StopReason}. step {p.Step}, epoch {p.Epoch}, {best}.");
        AnsiConsole.MarkupLineInterpolated($"checkpoints: {result.BestCheckpoint} (best), {result.LastCheckpoint} (last); metrics and loss.png in {result.RunDirectory}");
        return 0;
    }

    private static string Format(TimeSpan? span) =>
        span is not { } s || s < TimeSpan.Zero || s.TotalDays > 100 ? "?" : s.TotalHours >= 1 ? $"{(int)s.TotalHours}h{s.Minutes:00}m" : $"{s.Minutes}m{s.Seconds:00}s";
}
