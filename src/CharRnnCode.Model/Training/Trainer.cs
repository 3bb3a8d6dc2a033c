// The training loop, top to bottom in one method (Run), with small named helpers beside it, in the
// spirit of nanoGPT's train.py: learning rate, periodic validation, checkpoint, forward, backward,
// clip, step, log. It reports progress through a callback and renders nothing itself (the command
// line draws the progress bar and the loss plot). It does not open corpora (its caller hands it the texts) or pick presets.
using System.Diagnostics;
using CharRnnCode.Common;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CharRnnCode.Model.Training;

/// <summary>What to train and where. Resume and StopAtStep are run controls, not hyperparameters.</summary>
public sealed record TrainRequest
{
    /// <summary>The configuration of a new run; ignored when resuming (the checkpoint's is used, with TrainOverrides applied).</summary>
    public RunConfig? Config { get; init; }
    /// <summary>The texts to train on, opened by the caller; when resuming, those of the folder <see cref="Trainer.CorpusDirectoryOfRun"/> names.</summary>
    public TrainingText? Corpus { get; init; }
    public required string RunDirectory { get; init; }
    public bool Resume { get; init; }
    /// <summary>A checkpoint to start a new run from (fine-tuning): its model and training settings, its weights, its
    /// vocabulary extended with the new corpus's characters. The run itself (steps, optimizer, schedule) starts afresh.</summary>
    public string? InitFrom { get; init; }
    /// <summary>key=value overrides of training keys applied when resuming or starting from InitFrom (e.g. maxSteps=5000).</summary>
    public IReadOnlyList<string> TrainOverrides { get; init; } = [];
    public string Device { get; init; } = "auto";
    public int? Threads { get; init; }
    /// <summary>Stop (with a checkpoint) once this step is done, as an interruption would; for tests and staged runs.</summary>
    public long? StopAtStep { get; init; }
    /// <summary>Extra metrics measured from the current weights at every validation (e.g. the evaluation's parse
    /// rate of free-running samples); they join the validation's line in metrics.jsonl and its event.</summary>
    public Func<Checkpoint, IReadOnlyDictionary<string, double>>? ValidationProbe { get; init; }
    /// <summary>maxMinutes counts the run's training time over every session, not this session's alone, so that a run
    /// killed and resumed (a requeued sweep task) trains for its budget in all.</summary>
    public bool MinutesCountEarlierSessions { get; init; }
    /// <summary>--force: start a new run in a folder that holds files other than a run's (never a protected folder; see OutputTarget).</summary>
    public bool ReplaceAnyOut { get; init; }
}

public enum TrainEventKind { Started, Step, Validation, Checkpoint, Finished }

/// <summary>One report from the loop; which fields are set depends on Kind.</summary>
public sealed record TrainEvent(TrainEventKind Kind, long Step, long TotalSteps, int Epoch, string Message)
{
    public double? Loss { get; init; }
    public double? ValLoss { get; init; }
    public double? LearningRate { get; init; }
    public double? CharactersPerSecond { get; init; }
    public TimeSpan? Remaining { get; init; }
}

public sealed record TrainResult(string RunDirectory, string BestCheckpoint, string LastCheckpoint, TrainingProgress Progress, string StopReason,
    IReadOnlyList<(long Step, double Loss)> TrainLosses);

/// <summary>The loss blew up: the training settings (overridden as {set} key=value) are what to change.</summary>
public sealed class TrainingDivergedException(string problem) : InvalidInputError("set", problem)
{
}

public static class Trainer
{
    public static TrainResult Run(TrainRequest request, Action<TrainEvent>? report = null, CancellationToken cancellationToken = default)
    {
        report ??= _ => { };
        TorchRuntime.Initialize(request.Threads);
        var device = TorchRuntime.ResolveDevice(request.Device);
        var runDirectory = Path.GetFullPath(request.RunDirectory);
        if (request.Resume && request.InitFrom is not null)
            throw new InvalidInputError("resume", "{resume} continues a run with its own weights; {initFrom} starts a new one from a checkpoint. Pass one of them.");
        var resumed = request.Resume ? LoadForResume(runDirectory, request) : null;
        var initial = request.InitFrom is null ? null : LoadForInit(request.InitFrom, request.TrainOverrides);
        var config = resumed?.Info.Config ?? initial?.Info.Config ?? request.Config ?? throw new InvalidInputError("preset", "a new run needs a configuration ({preset}).");
        var corpus = request.Corpus ?? throw new InvalidInputError("corpus", resumed is null ? "{corpus} is required for a new run." : "{resume} needs the run's corpus; pass {corpus} DIR.");
        if (resumed is not null) CheckSameCorpus(resumed, corpus);
        else PrepareRunDirectory(request.RunDirectory, request.ReplaceAnyOut);
        // A run killed while saving leaves its temporary files; this run owns the folder now, so they go.
        var staleTemporaries = AtomicFile.RemoveStaleTemporaries(runDirectory);

        // Data: vocabulary from the training split only; B streams of T-character windows.
        var vocabulary = resumed?.Vocabulary ?? Vocabulary.Build(corpus.Train);
        var addedCharacters = "";
        if (initial is not null) (vocabulary, addedCharacters) = ExtendVocabulary(initial.Vocabulary, corpus.Train);
        var (m, t) = (config.Model, config.Train);
        var train = new TextStreams(vocabulary.Encode(corpus.Train), t.BatchSize, t.SeqLength);
        var validation = ValidationStreams(vocabulary, corpus.Validation, t);
        if (train.BatchesPerEpoch == 0)
            throw new UserError($"the training split ({corpus.Train.Length} characters) is shorter than one window of seqLength {t.SeqLength}; lower seqLength.");
        var totalSteps = t.MaxSteps > 0 ? t.MaxSteps : (long)t.MaxEpochs * train.BatchesPerEpoch;

        // Model and optimizer, then (when resuming) their saved state, including the RNG's.
        torch.manual_seed(t.Seed);
        using var network = new CharRnnNetwork(m, vocabulary.Size);
        network.to(device);
        var parameters = network.parameters().ToList();
        using var optimizer = CreateOptimizer(t, parameters);
        var progress = new TrainingProgress();
        TorchState? carried = null;                   // hidden state carried between batches, detached
        if (resumed is not null)
        {
            TorchCheckpointTensors.LoadParameters(network, resumed);
            TorchCheckpointTensors.LoadOptimizer(optimizer, resumed.Entries[Checkpoint.OptimizerEntry]);
            TorchCheckpointTensors.LoadRng(resumed.Entries[Checkpoint.RngEntry]);
            carried = LoadCarriedState(resumed, device);
            progress = AdoptNewerBest(resumed.Info.Progress, runDirectory);
        }
        else if (initial is not null)
        {
            TorchCheckpointTensors.LoadParameters(network, WithVocabularyRows(initial, vocabulary.Size));
        }
        var metrics = new MetricsLog(Path.Combine(runDirectory, RunFolder.Metrics), progress.Step);
        AtomicFile.WriteAllText(Path.Combine(runDirectory, RunFolder.Config), config.ToJson());
        report(new TrainEvent(TrainEventKind.Started, progress.Step, totalSteps, progress.Epoch,
            $"{m.Shape}, {network.parameters().Sum(p => p.numel()):N0} parameters, vocabulary {vocabulary.Size} " +
            $"(validation coverage {vocabulary.Coverage(corpus.Validation):P2}), {train.Streams} streams x {t.SeqLength} chars, " +
            $"{train.BatchesPerEpoch} batches/epoch, {totalSteps} steps, {device.type.ToString().ToLowerInvariant()}, {torch.get_num_threads()} threads" +
            (resumed is null ? "" : $"; resumed at step {progress.Step}") +
            (staleTemporaries.Count == 0 ? "" : $"; removed {staleTemporaries.Count} temporary file(s) an interrupted run left ({string.Join(", ", staleTemporaries)})") +
            (validation.BatchesPerEpoch > 0 ? "" : $"; no validation: the validation split has {corpus.Validation.Length} characters, so {RunFolder.BestCheckpoint} is the last checkpoint") +
            (initial is null ? "" : $"; initialised from {Path.GetFullPath(request.InitFrom!)} (step {initial.Info.Progress.Step}), " +
                $"vocabulary extended by {addedCharacters.Length} character{(addedCharacters.Length == 1 ? "" : "s")}" +
                (addedCharacters.Length == 0 ? "" : $" ({Describe(addedCharacters)})"))));

        Checkpoint Snapshot(string kind) => new(new CheckpointInfo
        {
            Config = config, Vocabulary = vocabulary.Serialize(), Progress = progress, CorpusId = corpus.CorpusId,
            CorpusPath = corpus.Directory, Kind = kind, SavedUtc = DateTime.UtcNow, Software = $"charrnn {typeof(Trainer).Assembly.GetName().Version}",
        }, CollectEntries(network, optimizer, carried));

        // best.ckpt is written before last.ckpt: a crash between the two then leaves best ahead of the progress
        // that last.ckpt records (which a resume adopts, see AdoptNewerBest), never behind it, where the best
        // weights that last.ckpt's BestValLoss speaks of would be lost for good.
        void SaveCheckpoints(bool improved)
        {
            using var scope = NewDisposeScope();
            var last = Snapshot("last");
            if (improved || !File.Exists(Path.Combine(runDirectory, RunFolder.BestCheckpoint)))
                (last with { Info = last.Info with { Kind = "best" } }).Save(Path.Combine(runDirectory, RunFolder.BestCheckpoint));
            last.Save(Path.Combine(runDirectory, RunFolder.LastCheckpoint));
            report(new TrainEvent(TrainEventKind.Checkpoint, progress.Step, totalSteps, progress.Epoch, improved ? "saved best and last" : "saved last"));
        }

        var clock = Stopwatch.StartNew();
        var elapsedBefore = progress.ElapsedSeconds;
        var budget = t.MaxMinutes <= 0 ? TimeSpan.MaxValue
            : TimeSpan.FromMinutes(t.MaxMinutes) - (request.MinutesCountEarlierSessions ? TimeSpan.FromSeconds(elapsedBefore) : TimeSpan.Zero);
        var stepsAtStart = progress.Step;
        var losses = new List<(long, double)>();
        // A resumed run whose minutes are spent stops before its first step: no step, so nothing to save.
        var stopReason = request.MinutesCountEarlierSessions && resumed is not null && BudgetSpent(t, progress) ? "the run had already finished" : null;
        network.train();
        while (stopReason is null)
        {
            // Epoch boundary: the streams start over, so the carried state is reset.
            if (progress.StepInEpoch >= train.BatchesPerEpoch)
            {
                progress = progress with { Epoch = progress.Epoch + 1, StepInEpoch = 0 };
                carried?.Dispose();
                carried = null;
            }
            // A resumed run that had already finished has nothing left to do.
            if (progress.Epoch >= t.MaxEpochs || progress.Step >= totalSteps) { stopReason = "the run had already finished"; break; }

            // The share of maxMinutes used: what this session's budget has left, read against the whole.
            var budgetSpent = t.MaxMinutes <= 0 ? 0 : 1 - (budget - clock.Elapsed).TotalMinutes / t.MaxMinutes;
            var learningRate = LearningRateAt(t, progress.Step, progress.Epoch, totalSteps, budgetSpent);
            SetLearningRate(optimizer, learningRate);

            double loss;
            using (var scope = NewDisposeScope())
            {
                var (input, target) = train.Batch(progress.StepInEpoch, device);       // (B, T) each
                optimizer.zero_grad();
                var (logits, next) = network.call(input, carried);                       // (B, T, V)
                var lossTensor = nn.functional.cross_entropy(logits.reshape(-1, vocabulary.Size), target.reshape(-1));
                loss = lossTensor.item<float>();
                CheckNotDiverged(loss, progress.Step + 1, vocabulary.Size, t, runDirectory);
                lossTensor.backward();
                ScalarSafeRegion.Run(() =>
                {
                    if (t.GradClip > 0) nn.utils.clip_grad_norm_(parameters, t.GradClip);
                    optimizer.step();
                });
                carried?.Dispose();
                carried = next.Detach();
                carried.H.MoveToOuterDisposeScope();
                carried.C?.MoveToOuterDisposeScope();
            }

            var seconds = clock.Elapsed.TotalSeconds;
            var doneThisSession = progress.Step + 1 - stepsAtStart;
            progress = progress with
            {
                Step = progress.Step + 1,
                StepInEpoch = progress.StepInEpoch + 1,
                CharactersSeen = progress.CharactersSeen + train.CharactersPerBatch,
                ElapsedSeconds = elapsedBefore + seconds,
            };
            losses.Add((progress.Step, loss));
            var charsPerSecond = doneThisSession * train.CharactersPerBatch / Math.Max(seconds, 1e-9);
            var remaining = TimeSpan.FromSeconds((totalSteps - progress.Step) * seconds / doneThisSession);
            if (remaining > budget - clock.Elapsed) remaining = budget - clock.Elapsed;
            report(new TrainEvent(TrainEventKind.Step, progress.Step, totalSteps, progress.Epoch, "")
            { Loss = loss, LearningRate = learningRate, CharactersPerSecond = charsPerSecond, Remaining = remaining });
            if (progress.Step % t.LogInterval == 0)
                metrics.Train(progress.Step, progress.Epoch, loss, learningRate, charsPerSecond, progress.ElapsedSeconds);

            if (progress.StepInEpoch >= train.BatchesPerEpoch && progress.Epoch + 1 >= t.MaxEpochs) stopReason = $"reached maxEpochs {t.MaxEpochs}";
            else if (progress.Step >= totalSteps) stopReason = $"reached {totalSteps} steps";
            else if (clock.Elapsed >= budget) stopReason = $"reached maxMinutes {t.MaxMinutes}";
            else if (cancellationToken.IsCancellationRequested) stopReason = "cancelled";
            else if (progress.Step == request.StopAtStep) stopReason = $"stopped at step {progress.Step} as asked";

            // Validation and checkpoints: every evalInterval steps and when the run ends.
            if (progress.Step % t.EvalInterval == 0 || stopReason is not null)
            {
                var valLoss = validation.BatchesPerEpoch > 0 ? Evaluate(network, validation, device, vocabulary.Size) : (double?)null;
                var improved = valLoss is double v && v < progress.BestValLoss;
                progress = progress with
                {
                    LastValLoss = valLoss,
                    BestValLoss = improved ? valLoss!.Value : progress.BestValLoss,
                    BestStep = improved ? progress.Step : progress.BestStep,
                    EvaluationsWithoutImprovement = improved || valLoss is null ? 0 : progress.EvaluationsWithoutImprovement + 1,
                };
                if (valLoss is double measured)
                {
                    var probed = request.ValidationProbe?.Invoke(Snapshot("probe"));
                    metrics.Validation(progress.Step, progress.Epoch, measured, progress.ElapsedSeconds, probed);
                    report(new TrainEvent(TrainEventKind.Validation, progress.Step, totalSteps, progress.Epoch,
                        $"step {progress.Step}: val loss {measured:0.0000} nats, {measured / Math.Log(2):0.000} bpc{(improved ? " (best)" : "")}" +
                        (probed is null ? "" : string.Concat(probed.Select(p => FormattableString.Invariant($", {p.Key} {p.Value:0.###}")))))
                    { ValLoss = measured });
                }
                SaveCheckpoints(improved || valLoss is null);
                if (stopReason is null && t.Patience > 0 && progress.EvaluationsWithoutImprovement >= t.Patience)
                    stopReason = $"validation loss did not improve in {t.Patience} evaluations (best {progress.BestValLoss / Math.Log(2):0.000} bpc at step {progress.BestStep})";
            }
        }
        carried?.Dispose();
        report(new TrainEvent(TrainEventKind.Finished, progress.Step, totalSteps, progress.Epoch, stopReason));
        return new TrainResult(runDirectory, Path.Combine(runDirectory, RunFolder.BestCheckpoint), Path.Combine(runDirectory, RunFolder.LastCheckpoint), progress, stopReason, losses);
    }

    /// <summary>Whether a run at <paramref name="progress"/> has used its step or minute budget (minutes over every session, with a
    /// second's grace for the clock read before the last step's check), or stopped on a plateau.</summary>
    public static bool BudgetSpent(TrainConfig t, TrainingProgress progress) =>
        (t.MaxSteps > 0 && progress.Step >= t.MaxSteps)
        || (t.MaxMinutes > 0 && progress.ElapsedSeconds >= t.MaxMinutes * 60 - 1)
        || progress.Epoch >= t.MaxEpochs
        || (t.Patience > 0 && progress.EvaluationsWithoutImprovement >= t.Patience);

    /// <summary>Linear warm-up to the peak, then cosine decay to the floor (over the steps, or over the time budget:
    /// <paramref name="budgetSpent"/> is the share of maxMinutes used so far), exponential decay per epoch, or constant.</summary>
    public static double LearningRateAt(TrainConfig t, long step, int epoch, long totalSteps, double budgetSpent = 0)
    {
        if (step < t.WarmupSteps) return t.LearningRate * (step + 1) / t.WarmupSteps;
        switch (t.Decay)
        {
            case "cosine" or "cosine-minutes":
                var span = Math.Max(1, totalSteps - t.WarmupSteps);
                // A run sized by minutes (a fine-tune of a few minutes) decays over them: its step count is unknown in advance.
                var progress = Math.Clamp(t.Decay == "cosine" ? (double)(step - t.WarmupSteps) / span : budgetSpent, 0, 1);
                return t.MinLearningRate + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (t.LearningRate - t.MinLearningRate);
            case "exponential":
                return t.LearningRate * Math.Pow(t.DecayRate, Math.Max(0, epoch - t.DecayAfterEpochs));
            default:
                return t.LearningRate;
        }
    }

    /// <summary>The validation text as training reads it: its first evalChars characters, in batchSize streams of
    /// seqLength windows (shorter when the text is), each stream starting from a zero state.</summary>
    public static TextStreams ValidationStreams(Vocabulary vocabulary, string validation, TrainConfig t)
    {
        // Validation text shorter than one window is measured in one shorter window: what there is. Without
        // two characters there is nothing to predict, and the run trains without validation and says so.
        var ids = vocabulary.Encode(Clip(validation, t.EvalChars));
        return new(ids, t.BatchSize, Math.Max(1, Math.Min(t.SeqLength, ids.Length - 1)));
    }

    /// <summary>The validation loss (nats per character) of a checkpoint on <paramref name="validation"/>, measured
    /// exactly as its training run measured it (same text cut, streams and windows): what `charrnn eval` checks
    /// the training log against.</summary>
    /// <param name="fractionDone">Called after each batch with the share of the text measured so far.</param>
    public static (double Nats, TextStreams Streams) ValidationLoss(Checkpoint checkpoint, string validation, string device = "cpu", int? threads = null,
        Action<double>? fractionDone = null)
    {
        TorchRuntime.Initialize(threads);
        var torchDevice = TorchRuntime.ResolveDevice(device);
        var vocabulary = checkpoint.Vocabulary;
        var streams = ValidationStreams(vocabulary, validation, checkpoint.Info.Config.Train);
        if (streams.BatchesPerEpoch == 0) return (double.NaN, streams);
        using var network = new CharRnnNetwork(checkpoint.Info.Config.Model, vocabulary.Size);
        TorchCheckpointTensors.LoadParameters(network, checkpoint);
        network.to(torchDevice);
        return (Evaluate(network, streams, torchDevice, vocabulary.Size, batch => fractionDone?.Invoke((double)batch / streams.BatchesPerEpoch)), streams);
    }

    /// <summary>Mean cross-entropy in nats per character over the validation streams, state carried across windows.</summary>
    public static double Evaluate(CharRnnNetwork network, TextStreams validation, Device device, int vocabularySize, Action<int>? batchesDone = null)
    {
        network.eval();
        using var noGrad = no_grad();
        TorchState? state = null;
        double total = 0;
        for (var k = 0; k < validation.BatchesPerEpoch; k++)
        {
            using var scope = NewDisposeScope();
            var (input, target) = validation.Batch(k, device);
            var (logits, next) = network.call(input, state);                            // (B, T, V)
            total += nn.functional.cross_entropy(logits.reshape(-1, vocabularySize), target.reshape(-1)).item<float>();
            state?.Dispose();
            state = next;
            state.H.MoveToOuterDisposeScope();
            state.C?.MoveToOuterDisposeScope();
            batchesDone?.Invoke(k + 1);
        }
        state?.Dispose();
        network.train();
        return total / validation.BatchesPerEpoch;
    }

    private static optim.Optimizer CreateOptimizer(TrainConfig t, IList<Parameter> parameters) => t.Optimizer switch
    {
        "adamw" => optim.AdamW(parameters, t.LearningRate, t.Beta1, t.Beta2, weight_decay: t.WeightDecay),
        "adam" => optim.Adam(parameters, t.LearningRate, t.Beta1, t.Beta2),
        "rmsprop" => optim.RMSProp(parameters, t.LearningRate, alpha: t.RmsAlpha),
        _ => throw new UserError($"optimizer '{t.Optimizer}' is unknown: use adamw, adam or rmsprop."),
    };

    private static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }

    // A loss that is not finite, or far above a uniform guess (ln V), means the run has diverged.
    private static void CheckNotDiverged(double loss, long step, int vocabularySize, TrainConfig t, string runDirectory)
    {
        var uniform = Math.Log(vocabularySize);
        if (double.IsFinite(loss) && loss < 3 * uniform + 1) return;
        throw new TrainingDivergedException(
            $"training diverged at step {step}: loss {loss:0.###} nats (a uniform guess scores {uniform:0.###}). " +
            $"Try a lower learning rate (e.g. {{set}} learningRate={t.LearningRate / 3:0.#####}), a tighter gradient clip ({{set}} gradClip=1), " +
            $"or a longer warm-up ({{set}} warmupSteps={Math.Max(100, t.WarmupSteps * 2)}). " +
            $"The last good checkpoint, if any, is {Path.Combine(runDirectory, RunFolder.LastCheckpoint)}.");
    }

    private static Dictionary<string, CheckpointEntry> CollectEntries(CharRnnNetwork network, optim.Optimizer optimizer, TorchState? carried)
    {
        var entries = new Dictionary<string, CheckpointEntry>(TorchCheckpointTensors.ParameterEntries(network))
        {
            [Checkpoint.OptimizerEntry] = TorchCheckpointTensors.OptimizerEntry(optimizer),
            [Checkpoint.RngEntry] = TorchCheckpointTensors.RngEntry(),
        };
        if (carried is not null)
        {
            entries[Checkpoint.CarriedHEntry] = TorchCheckpointTensors.ToEntry(carried.H);
            if (carried.C is not null) entries[Checkpoint.CarriedCEntry] = TorchCheckpointTensors.ToEntry(carried.C);
        }
        return entries;
    }

    private static TorchState? LoadCarriedState(Checkpoint checkpoint, Device device) =>
        checkpoint.Entries.TryGetValue(Checkpoint.CarriedHEntry, out var h)
            ? new TorchState(TorchCheckpointTensors.ToTensor(h, device),
                checkpoint.Entries.TryGetValue(Checkpoint.CarriedCEntry, out var c) ? TorchCheckpointTensors.ToTensor(c, device) : null)
            : null;

    /// <summary>The corpus folder a run in <paramref name="runDirectory"/> trained on (from its last checkpoint), for a resume
    /// that names none; null when the folder holds no readable run.</summary>
    public static string? CorpusDirectoryOfRun(string runDirectory)
    {
        var path = Path.Combine(runDirectory, RunFolder.LastCheckpoint);
        return File.Exists(path) ? Checkpoint.Load(path).Info.CorpusPath : null;
    }

    /// <summary>
    /// The resumed progress, with the best validation loss and step of best.ckpt when best.ckpt is ahead of it (a run
    /// stopped between writing best.ckpt and last.ckpt): the resumed run then replaces best.ckpt only with a model that
    /// beats the one it holds.
    /// </summary>
    private static TrainingProgress AdoptNewerBest(TrainingProgress progress, string runDirectory)
    {
        var bestPath = Path.Combine(runDirectory, RunFolder.BestCheckpoint);
        if (!File.Exists(bestPath)) return progress;
        TrainingProgress best;
        try { best = Checkpoint.Load(bestPath).Info.Progress; }
        catch (UserError) { return progress; } // a damaged best.ckpt is replaced at the next validation
        return best.BestValLoss < progress.BestValLoss
            ? progress with { BestValLoss = best.BestValLoss, BestStep = best.BestStep, EvaluationsWithoutImprovement = 0 }
            : progress;
    }

    private static Checkpoint LoadForResume(string runDirectory, TrainRequest request)
    {
        // A checkpoint file given where the run folder belongs: an export cannot resume at all, a training
        // checkpoint resumes through its folder.
        var path = File.Exists(runDirectory) ? runDirectory : Path.Combine(runDirectory, RunFolder.LastCheckpoint);
        if (!File.Exists(path))
            throw new InvalidInputError("resume", $"{{resume}} {runDirectory}: no {RunFolder.LastCheckpoint} there. Give the folder of an earlier `charrnn train {{out}}`.");
        var checkpoint = Checkpoint.Load(path);
        if (!checkpoint.HasTrainingState)
            throw new InvalidInputError("resume", $"{{resume}} {runDirectory}: {path} holds no optimizer state (it is an inference-only export), so its run cannot continue. " +
                                                $"Start a new run from its weights instead: charrnn train {{initFrom}} {path} {{corpus}} DIR {{out}} RUN_DIR.");
        if (path == runDirectory)
            throw new InvalidInputError("resume", $"{{resume}} takes the run folder, not a checkpoint file: {{resume}} {Path.GetDirectoryName(path)} (it continues from {RunFolder.LastCheckpoint}).");
        return WithTrainOverrides(checkpoint, path, request.TrainOverrides, "a resumed run");
    }

    private static Checkpoint LoadForInit(string path, IReadOnlyList<string> trainOverrides)
    {
        if (!File.Exists(path))
            throw new InvalidInputError("initFrom", $"{{initFrom}} {path}: no such checkpoint. Give a .ckpt written by `charrnn train` (e.g. RUN_DIR/best.ckpt).");
        return WithTrainOverrides(Checkpoint.Load(path), path, trainOverrides, "a run started with {initFrom}");
    }

    /// <summary>The checkpoint's configuration with key=value overrides of training keys; the model may not change.</summary>
    private static Checkpoint WithTrainOverrides(Checkpoint checkpoint, string path, IReadOnlyList<string> trainOverrides, string what)
    {
        if (trainOverrides.Count == 0) return checkpoint;
        var root = System.Text.Json.Nodes.JsonNode.Parse(checkpoint.Info.Config.ToJson())!.AsObject();
        var overridden = RunConfig.FromJson(root, path, trainOverrides);
        if (overridden.Model != checkpoint.Info.Config.Model)
            throw new InvalidInputError("set", $"{what} keeps its model; only training keys (e.g. maxSteps, maxMinutes, patience) can change.");
        return checkpoint with { Info = checkpoint.Info with { Config = overridden } };
    }

    /// <summary>
    /// The checkpoint's vocabulary with the corpus's new characters appended (old ids keep their meaning, so
    /// the weights stay valid), and the characters it added.
    /// </summary>
    private static (Vocabulary Vocabulary, string Added) ExtendVocabulary(Vocabulary old, string trainingText)
    {
        var known = old.Characters.ToHashSet();
        var added = new string(Vocabulary.Build(trainingText).Characters.Where(c => !known.Contains(c)).ToArray());
        return (Vocabulary.Deserialize(old.Serialize() + added), added);
    }

    /// <summary>
    /// The checkpoint's parameters with rows for the added characters in the embedding and the head. Until now
    /// those characters were read and predicted as the unknown character (id 0), so each new row starts as a
    /// copy of the unknown character's, and the head's bias of the unknown character and its copies is lowered
    /// by ln(1 + added): together they keep exactly the probability the unknown character had. The model's
    /// predictions are unchanged at the first step; training then tells the new characters apart.
    /// </summary>
    private static Checkpoint WithVocabularyRows(Checkpoint checkpoint, int vocabularySize)
    {
        var oldSize = checkpoint.Vocabulary.Size;
        var added = vocabularySize - oldSize;
        if (added == 0) return checkpoint;
        var entries = new Dictionary<string, CheckpointEntry>(checkpoint.Entries);
        foreach (var name in new[] { "embedding.weight", "head.weight", "head.bias" })
        {
            var entry = checkpoint.Entries[Checkpoint.ParameterPrefix + name];
            var values = entry.ToFloats();
            var rowLength = entry.Shape.Length == 2 ? (int)entry.Shape[1] : 1;
            var grown = new float[vocabularySize * rowLength];
            Array.Copy(values, grown, values.Length);
            for (var row = oldSize; row < vocabularySize; row++) Array.Copy(values, 0, grown, row * rowLength, rowLength);
            if (name == "head.bias")
            {
                var share = (float)Math.Log(1 + added);
                grown[0] -= share;
                for (var row = oldSize; row < vocabularySize; row++) grown[row] -= share;
            }
            long[] shape = entry.Shape.Length == 2 ? [vocabularySize, rowLength] : [vocabularySize];
            entries[Checkpoint.ParameterPrefix + name] = CheckpointEntry.Floats(grown, shape);
        }
        return checkpoint with { Entries = entries };
    }

    private static string Describe(string characters) =>
        string.Join(" ", characters.Take(20).Select(c => char.IsControl(c) || char.IsWhiteSpace(c) ? $"U+{(int)c:X4}" : c.ToString())) +
        (characters.Length > 20 ? $" and {characters.Length - 20} more" : "");

    private static void CheckSameCorpus(Checkpoint checkpoint, TrainingText corpus)
    {
        if (checkpoint.Info.CorpusId is { } expected && corpus.CorpusId is { } actual && expected != actual)
            throw new InvalidInputError("corpus", $"the corpus at {corpus.Directory} (id {actual}) is not the one this run trained on (id {expected}); " +
                                                "resume with the same corpus ({corpus}) or start a new run.");
    }

    private static void PrepareRunDirectory(string shownAs, bool force)
    {
        OutputTarget.EnsureFolder(shownAs, "a run (config.json, checkpoints, metrics.jsonl)", RunFolder.IsRunFolder, force);
        var runDirectory = Path.GetFullPath(shownAs);
        if (File.Exists(Path.Combine(runDirectory, RunFolder.LastCheckpoint)))
            throw new InvalidInputError("out", $"{runDirectory} already holds a run. Continue it with {{resume}} {runDirectory}, or choose another {{out}}.");
        Directory.CreateDirectory(runDirectory);
    }

    private static string Clip(string text, int maxChars) => maxChars > 0 && text.Length > maxChars ? text[..maxChars] : text;
}
