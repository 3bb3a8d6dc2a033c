// `charrnn eval` as a library call: loads a checkpoint and takes a corpus from its caller (EvaluationCorpus), measures the model and the n-gram baseline
// on the same splits (loss on the test split, the validation split only to choose the n-gram order; line completion
// in held-out test files, bound against every file of their repository; the same free-running settings), checks the
// checkpoint's training-log loss by recomputing it the way training did, optionally other checkpoints (the LSTM /
// GRU / RNN comparison), and the seed's pictures. The corpus's language picks the scorer of the free-running
// samples (CorpusLanguage: Roslyn for C#, libclang for C, none otherwise); line completion, judged by Roslyn's
// binding, runs on C# corpora only. The model, the n-gram and every compared checkpoint are contenders, each given
// the same measures by one Add (loss, free-running samples, line completion, ghost text in the typing replay).
// It refuses a corpus whose characters the checkpoint mostly does not know.
// It reports progress per stage; it writes nothing (ReportWriter does).
using System.Diagnostics;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Model.Training;
using CharRnnCode.Scoring;

namespace CharRnnCode.Evaluation;

public sealed record EvaluationRequest(string Checkpoint, EvaluationCorpus Corpus, EvaluationOptions Options)
{
    public IReadOnlyList<string> Compare { get; init; } = [];
    public string Device { get; init; } = "auto";
    public int? Threads { get; init; }
    /// <summary>Evaluate even when the checkpoint's vocabulary knows less than <see cref="Evaluator.MinimumCoverage"/> of the corpus.</summary>
    public bool AllowUnknownCharacters { get; init; }
}

/// <summary>Where the stages of a long evaluation report how far they are.</summary>
public interface IStageProgress
{
    /// <summary>A stage with <paramref name="total"/> units of work; report the units done.</summary>
    IProgress<double> Stage(string name, double total);
}

public static class Evaluator
{
    /// <summary>Below this share of known characters the evaluation stops (unless allowed): its numbers would measure the unknown-character slot.</summary>
    public const double MinimumCoverage = 0.90;
    /// <summary>Below this share the evaluation warns.</summary>
    public const double WarningCoverage = 0.99;

    public static EvaluationReport Run(EvaluationRequest request, IStageProgress progress, CancellationToken cancellationToken = default)
    {
        var options = request.Options;
        var timings = new List<Timing>();
        var clock = Stopwatch.StartNew();
        T Timed<T>(string section, Func<T> work)
        {
            var start = clock.Elapsed.TotalSeconds;
            var result = work();
            timings.Add(new Timing(section, Math.Round(clock.Elapsed.TotalSeconds - start, 2)));
            return result;
        }

        var corpus = request.Corpus;
        var (train, validationFull, testFull) = (corpus.Train, corpus.Validation, corpus.Test);
        var validation = Prefix(validationFull, options.MaxLossChars);
        var test = Prefix(testFull, options.MaxLossChars);
        var checkpoint = Checkpoint.Load(request.Checkpoint);
        var coverage = checkpoint.Vocabulary.Coverage(string.Concat(train, validationFull, testFull));
        if (coverage < MinimumCoverage && !request.AllowUnknownCharacters)
            throw new Common.InvalidInputError("allowUnknownChars", FormattableString.Invariant(
                $"the checkpoint's vocabulary knows only {coverage:P1} of the characters of '{corpus.Directory}' (at least {MinimumCoverage:P0} is needed): ") +
                "it was trained on another kind of text, so its loss here measures unknown characters, not code. Evaluate it on the corpus it was trained on, " +
                "or pass {allowUnknownChars} to evaluate anyway.");
        if (validation.Length == 0) throw new Common.UserError($"the validation split of '{corpus.Directory}' is empty; harvest more files.");
        if (test.Length == 0) throw new Common.UserError($"the test split of '{corpus.Directory}' is empty; harvest more files.");
        var (scorer, scoring) = CorpusLanguage.Choose(corpus.Languages);
        using var scorerResources = scorer as IDisposable;
        var csharp = scorer is CSharpScorer;
        if (options.Decode == "constrained" && !csharp)
            throw new Common.InvalidInputError("decode", $"{{decode}} constrained steers samples with Roslyn, so it needs a C# corpus; '{corpus.Directory}' is " +
                $"{string.Join(" + ", scoring.Languages)}. Leave out {{decode}}.");
        var testFiles = corpus.TestFiles.ToList();
        var positions = csharp ? LineCompletion.DrawPositions(testFiles, options.Positions, options.Seed) : [];
        if (csharp && positions.Count == 0)
            throw new Common.UserError($"the test split of '{corpus.Directory}' has no lines inside C# method bodies to complete; evaluate on a C# corpus.");

        using var model = new CheckpointModel(CharLanguageModel.FromCheckpoint(checkpoint, request.Device, request.Threads));
        if (scorer is not null) Timed($"{scorer.Language} scorer warm-up", () =>
        {
            if (scorer is CSharpScorer roslyn) roslyn.WarmUp();
            else scorer.Score("int x;\n");
            return 0;
        });
        var knownNames = scorer is null ? null : Timed("names of the training split", () => KnownNames.From(corpus.TrainFiles.Select(f => f.Text), scorer,
            Count(progress.Stage("names of the training split (for invented names)", Math.Max(1, corpus.TrainFileCount))),
            cancellationToken));
        scoring = scoring with { TrainingNames = knownNames?.Count ?? 0 };

        var modelLoss = Timed("model loss (test split)", () => Metrics.Loss(model, test, progress: Fraction(progress, "model: test-split loss"),
            cancellationToken: cancellationToken));
        var trainingLoss = Timed("training's validation loss, recomputed", () =>
        {
            var stage = progress.Stage("model: validation loss as training measured it", 2);
            var (nats, streams) = Trainer.ValidationLoss(checkpoint, validationFull, request.Device, request.Threads);
            stage.Report(1);
            var clipped = Prefix(validationFull, checkpoint.Info.Config.Train.EvalChars);
            var oneStream = Metrics.Loss(model, clipped, cancellationToken: cancellationToken);
            stage.Report(2);
            return new TrainingLossCheck(checkpoint.Info.Progress.Step, checkpoint.Info.Progress.LastValLoss / Math.Log(2), nats / Math.Log(2),
                oneStream.BitsPerCharacter, clipped.Length, streams.Streams, streams.Window)
            {
                TrainedOnAnotherCorpus = checkpoint.Info.CorpusId is { } trainedOn && trainedOn != corpus.CorpusId ? trainedOn : null,
            };
        });

        var ngram = Timed("n-gram training", () => NGramModel.Train(train, options.NGramOrder, Fraction(progress, $"n-gram: suffix array of {train.Length:N0} chars"),
            NGramSmoothing.KneserNey)); // the stronger baseline: Witten-Bell gets worse past order 4 to 8, Kneser-Ney keeps improving to 20
        var orders = new[] { 1, 2, 3, 4, 6, 8, 10, 12, 16, 20 }.Where(order => order <= options.NGramOrder).ToList();
        if (!orders.Contains(options.NGramOrder)) orders.Add(options.NGramOrder);
        var ngramLosses = Timed("n-gram loss", () =>
        {
            var stage = progress.Stage("n-gram: validation (to choose the order) and test loss, every order", 2);
            var onValidation = ngram.CharacterLogProbabilitiesByOrder(validation, orders);
            stage.Report(1);
            var onTest = ngram.CharacterLogProbabilitiesByOrder(test, orders);
            stage.Report(2);
            return orders.Select((order, i) => new NGramLoss(order, Metrics.BitsPerCharacter(onValidation[i]), Metrics.BitsPerCharacter(onTest[i]))).ToList();
        });
        var bestOrder = ngramLosses.MinBy(loss => loss.ValidationBitsPerCharacter)!.Order;
        var baseline = new OrderLimited(ngram, bestOrder);

        var freeOptions = new FreeRunningOptions
        {
            SamplesPerTemperature = options.SamplesPerTemperature, SampleLength = options.SampleLength,
            Temperatures = options.Temperatures, Seed = options.Seed,
        };
        var lineOptions = new LineCompletionOptions
        {
            Positions = options.Positions, K = options.K, Temperature = options.LineTemperature, MaxChars = options.MaxLineChars,
            MaxContextChars = options.MaxContextChars, Seed = options.Seed,
        };
        var workspaces = !csharp ? null : Timed("binding context (every split)", () => new RepositoryWorkspaces([.. corpus.TrainFiles, .. corpus.ValidationFiles, .. testFiles]));
        var typingWorkspace = (IReadOnlyList<SourceFile>)[.. corpus.TrainFiles, .. corpus.ValidationFiles, .. testFiles];
        // --decode constrained: Roslyn steers the free-running samples as it steers the server's completions.
        Func<string, Func<char, bool>?>? steering = options.Decode == "constrained" ? FreeRunning.ConstrainedFromEmptyFile() : null;

        // Every contender gets the same measures (loss, free-running samples, line completion, typing): a new one is one more Add.
        var contenders = new List<(Contender Measured, Func<Typing.IGhostTextSource> GhostText)>();
        void Add(ContenderSource source)
        {
            var loss = source.Loss ?? Timed($"{source.Name} loss (test split)", () => Metrics.Loss(source.Model, test,
                progress: Fraction(progress, $"{source.Name}: test-split loss"), cancellationToken: cancellationToken));
            var free = scorer is null ? null : Timed($"{source.Name} free-running", () => FreeRunningStage(progress, $"{source.Name}: free-running samples",
                FreeRunning.From(source.Model, allowed: source.Steered ? steering : null), freeOptions with { Temperatures = source.Temperatures }, scorer, knownNames, cancellationToken));
            var completions = !csharp ? null : Timed($"{source.Name} line completion", () => LineCompletion.Run(source.Model, testFiles, positions, lineOptions, workspaces,
                Count(progress.Stage($"{source.Name}: line completion", positions.Count)), cancellationToken));
            contenders.Add((new Contender(source.Name, source.Kind, source.Model.Description, source.Checkpoint, loss, free, completions), source.GhostText));
        }

        // The model and the compared checkpoints type through the server's pipeline; the n-gram by its likeliest line.
        Add(new("model", ContenderKind.Model, model, Path.GetFullPath(request.Checkpoint), options.Temperatures, Steered: true,
            () => new PipelineGhostTextSource(model.Model, typingWorkspace))
        { Loss = modelLoss });
        Add(new($"{bestOrder}-gram", ContenderKind.NGram, baseline, null, options.Temperatures, Steered: true,
            () => new ModelGhostTextSource(baseline, options.MaxContextChars, options.MaxLineChars))
        {
            Loss = new LossMeasurement(baseline.Description, test.Length, ngramLosses.Single(loss => loss.Order == bestOrder).BitsPerCharacter * Math.Log(2)),
        });
        // Compared checkpoints, one loaded at a time: their free-running samples at the middle temperature only.
        var middle = options.Temperatures[options.Temperatures.Count / 2];
        foreach (var path in request.Compare)
        {
            using var other = CheckpointModel.Load(path, request.Device, request.Threads);
            Add(new($"{other.Description} ({CheckpointLabel(path)})", ContenderKind.Compared, other, path, [middle], Steered: false,
                () => new OwnedPipelineGhostTextSource(CharLanguageModel.Load(path, request.Device, request.Threads), typingWorkspace)));
        }

        // The workspace cache: the training and validation splits as the workspace, each test file before the position as the document.
        var cacheLosses = Timed("workspace cache loss (test split)", () =>
        {
            var cache = WorkspaceCacheLoss.BuildCache([.. corpus.TrainFiles, .. corpus.ValidationFiles]);
            var rows = new List<WorkspaceCacheLossRow>
            {
                WorkspaceCacheLoss.Measure(model.Description, model.Model, cache, testFiles, test.Length, Fraction(progress, "model + workspace cache: test-split loss"), cancellationToken),
            };
            // Dynamic evaluation: a copy of the weights steps on each test segment after scoring it.
            using (var adapting = new DynamicEvaluation(checkpoint, threads: request.Threads))
                rows.Add(WorkspaceCacheLoss.Measure($"{model.Description} + dynamic evaluation", checkpoint.Vocabulary,
                    text => adapting.CharacterLogProbabilities(text, cancellationToken), cache, testFiles, test.Length,
                    Fraction(progress, "model + dynamic evaluation: test-split loss"), cancellationToken));
            foreach (var path in request.Compare)
            {
                using var other = CharLanguageModel.Load(path, request.Device, request.Threads);
                rows.Add(WorkspaceCacheLoss.Measure(CheckpointLabel(path), other, cache, testFiles, test.Length,
                    Fraction(progress, $"{CheckpointLabel(path)} + workspace cache: test-split loss"), cancellationToken));
            }
            return rows;
        });

        var typing = !csharp || options.TypingLines == 0 ? null : Timed("typing replay", () =>
        {
            // The model and the n-gram under the descriptions they give themselves; the others by their names.
            var typingContenders = contenders.Select(c => (c.Measured.Kind is ContenderKind.Model or ContenderKind.NGram ? c.Measured.Description : c.Measured.Name, c.GhostText)).ToList();
            // The model with the workspace cache (the training and validation splits as the workspace), as the server serves it by default.
            typingContenders.Insert(1, ($"{model.Description} + workspace cache", () => new PipelineGhostTextSource(model.Model, typingWorkspace,
                cacheWorkspace: [.. corpus.TrainFiles, .. corpus.ValidationFiles])));
            var lineCount = Math.Min(options.TypingLines, testFiles.Count * Typing.TypingLines.PerFile);
            using var swept = options.TypingSweep.Count == 0 ? null : new PipelineGhostTextSource(model.Model, typingWorkspace);
            return TypingEvaluation.Run(typingContenders, testFiles, typingWorkspace, options.TypingLines, options.Seed,
                Count(progress.Stage("typing replay (ghost text, IntelliSense, both)", TypingEvaluation.Work(lineCount, typingContenders.Count, options.TypingSweep.Count))), cancellationToken,
                sweepSource: swept, sweep: options.TypingSweep);
        });

        var (guessText, guesses, cellText, rankings, traces) = Timed("visualisations", () => Pictures(model, testFiles, options, progress));
        var metrics = MetricsLog.Read(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(request.Checkpoint))!, RunFolder.Metrics));

        return new EvaluationReport
        {
            Checkpoint = Path.GetFullPath(request.Checkpoint),
            Model = model.Description,
            Corpus = corpus.Directory,
            CorpusId = corpus.CorpusId,
            CreatedUtc = DateTime.UtcNow,
            Options = options,
            ModelLoss = modelLoss,
            TrainingLoss = trainingLoss,
            VocabularyCoverage = coverage,
            NGramLosses = ngramLosses,
            NGramBestOrder = bestOrder,
            TrainCurve = [.. metrics.Train.Select(p => new CurvePoint(p.Step, p.Bpc))],
            ValidationCurve = [.. metrics.Validation.Select(p => new CurvePoint(p.Step, p.Bpc))],
            Scoring = scoring,
            Contenders = [.. contenders.Select(c => c.Measured)],
            Typing = typing,
            WorkspaceCacheLosses = cacheLosses,
            GuessText = guessText,
            Guesses = guesses,
            CellText = cellText,
            CellRankings = rankings,
            CellTraces = traces,
            Timings = timings,
        };
    }

    /// <summary>What tells compared checkpoints apart: a run's best.ckpt or last.ckpt is named by its run folder, any
    /// other file (an export) by its own name.</summary>
    public static string CheckpointLabel(string path)
    {
        var full = Path.GetFullPath(path);
        return Path.GetFileName(full) is RunFolder.BestCheckpoint or RunFolder.LastCheckpoint ? Path.GetFileName(Path.GetDirectoryName(full))! : Path.GetFileName(full);
    }

    private static FreeRunningResult FreeRunningStage(IStageProgress progress, string name, Sampler sampler, FreeRunningOptions options,
        ICodeScorer scorer, KnownNames? knownNames, CancellationToken cancellationToken)
    {
        var stage = progress.Stage(name, options.Temperatures.Count * options.SamplesPerTemperature);
        return FreeRunning.Evaluate(sampler, options, scorer, new SyncProgress<(double, int Done, int)>(p => stage.Report(p.Done)), cancellationToken, knownNames);
    }

    private static (string, List<GuessColumn>, string, List<CellRanking>, List<CellTrace>) Pictures(
        CheckpointModel model, IReadOnlyList<SourceFile> files, EvaluationOptions options, IStageProgress progress)
    {
        var stage = progress.Stage("model: cells and guesses", 3);
        // Held-out files richest in C# syntax (most if statements) make the clearest pictures; each is taken from its
        // first class member on, past the license header and usings that would otherwise fill the text.
        var members = string.Concat(files.OrderByDescending(f => CountOf(f.Text, "if (")).ThenBy(f => f.Path, StringComparer.Ordinal)
            .Select(f => f.Text[FirstMember(f.Text)..]));
        // Clipped to what the cut files hold (a small test split can hold less than CellTextChars).
        var text = members[..Math.Min(options.CellTextChars, members.Length)];
        var guessStart = Math.Max(0, text.IndexOf("if (", StringComparison.Ordinal) - options.GuessTextChars / 3);
        guessStart = text.LastIndexOf('\n', guessStart) + 1;
        var guessText = text[guessStart..Math.Min(text.Length, guessStart + options.GuessTextChars)];
        var guesses = model.NextGuesses(guessText).Select((g, i) =>
            new GuessColumn(guessText[i], [.. g.Select(x => new Guess(x.Character, x.Probability))])).ToList();
        stage.Report(1);

        var activations = Enumerable.Range(0, model.Layers).Select(layer => model.CellActivations(text, layer)).ToList();
        stage.Report(2);
        var facts = SyntacticFacts.Label(text);
        var rankings = CellAnalysis.Rank(activations, facts, top: 3);
        var traces = new List<CellTrace>();
        if (options.ChosenCell is var (chosenLayer, chosenCell) && chosenLayer < model.Layers && chosenCell < model.Hidden)
            traces.Add(Trace(activations, chosenLayer, chosenCell, $"chosen cell: layer {chosenLayer}, cell {chosenCell}"));
        foreach (var best in rankings.GroupBy(r => r.Fact).Select(g => g.First()))
            traces.Add(Trace(activations, best.Layer, best.Cell, $"layer {best.Layer}, cell {best.Cell}: {best.Fact} (r = {best.Correlation:+0.00;-0.00})"));
        stage.Report(3);
        return (guessText, guesses, text, rankings, traces);
    }

    private static int FirstMember(string text)
    {
        var root = Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(text, CSharpScorer.ParseOptions).GetRoot();
        var member = root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseMethodDeclarationSyntax>().FirstOrDefault()
            ?? (Microsoft.CodeAnalysis.SyntaxNode?)root.DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.MemberDeclarationSyntax>().FirstOrDefault();
        return member is null ? 0 : text.LastIndexOf('\n', Math.Max(0, member.SpanStart - 1)) + 1;
    }

    private static CellTrace Trace(List<float[,]> activations, int layer, int cell, string caption)
    {
        var a = activations[layer];
        return new CellTrace(layer, cell, caption, [.. Enumerable.Range(0, a.GetLength(0)).Select(t => a[t, cell])]);
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    private static string Prefix(string text, int maxChars) => maxChars > 0 && text.Length > maxChars ? text[..maxChars] : text;

    private static IProgress<double> Fraction(IStageProgress progress, string name)
    {
        var stage = progress.Stage(name, 1000);
        return new SyncProgress<double>(fraction => stage.Report(fraction * 1000));
    }

    private static IProgress<int> Count(IProgress<double> stage) => new SyncProgress<int>(done => stage.Report(done));

    /// <summary>Progress that reports on the calling thread (System.Progress posts to the thread pool, out of order).</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    /// <summary>A model to measure as one contender.</summary>
    /// <param name="Temperatures">its free-running temperatures (compared checkpoints: the middle one only)</param>
    /// <param name="Steered">whether --decode constrained steers its free-running samples</param>
    /// <param name="GhostText">makes its ghost text for the typing replay (called when the replay runs, after the other measures)</param>
    private sealed record ContenderSource(string Name, ContenderKind Kind, ICharModel Model, string? Checkpoint, IReadOnlyList<double> Temperatures, bool Steered,
        Func<Typing.IGhostTextSource> GhostText)
    {
        /// <summary>Its test-split loss when measured already (the model's, the n-gram's from its order table).</summary>
        public LossMeasurement? Loss { get; init; }
    }

    /// <summary>The n-gram model used at one order, for free-running and line completion with the best order.</summary>
    private sealed class OrderLimited(NGramModel model, int order) : ICharModel
    {
        private readonly NGramModel _model = order == model.Order ? model : model.WithOrder(order);
        public string Description => _model.Description;
        public double[] CharacterLogProbabilities(string text) => _model.CharacterLogProbabilities(text, order);
        public IReadOnlyList<Continuation> Continue(string context, ContinuationRequest request, CancellationToken cancellationToken = default) =>
            _model.Continue(context, request, cancellationToken);
    }
}
