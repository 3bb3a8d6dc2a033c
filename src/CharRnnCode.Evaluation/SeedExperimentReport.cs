// The seed experiment's one report (Karpathy, Johnson and Fei-Fei 2015 at CPU scale): the test-split loss of every
// recurrent cell beside every n-gram order of both smoothings and the paper's figures, the learning curves, the
// parse rate and invented names of the samples by temperature, and one sample per cell. It reads only files other
// stages wrote (each run's metrics.jsonl, eval's report.json, ngram's ngram.json) and computes nothing of its own
// beyond ratios, so it can be rebuilt at any time from a finished or half-finished experiment folder. Its
// report.md is the report model (tables, paragraphs, plots, a sample) through the Markdown renderer.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CharRnnCode.Common;
using CharRnnCode.Inference;
using ScottPlot;

namespace CharRnnCode.Evaluation;

/// <summary>One recurrent model of the experiment, as its run folder and the evaluation give it.</summary>
public sealed record ExperimentModel(string Cell, string Shape, double BudgetMinutes, double TrainedMinutes, long Steps,
    double? BestValidationNats, double TestNats, IReadOnlyList<(double Minutes, double Nats)> ValidationCurve);

public sealed record ExperimentNGramRow(string Smoothing, int Order, double TestNats);

public static class SeedExperimentReport
{
    /// <summary>Test loss of the paper's best LSTM and of its 20-gram on Linux (nats per character).</summary>
    public const double PaperLstmNats = 0.84, PaperTwentyGramNats = 0.889;

    /// <summary>The paper's margin of the LSTM below the n-gram, and the target here.</summary>
    public const double PaperMargin = 1 - PaperLstmNats / PaperTwentyGramNats, TargetMargin = 0.05;

    /// <summary>Reads a training run's validation curve (minutes, nats) and length from its metrics.jsonl.</summary>
    /// <param name="warn">told when a cut-off last line (a run stopped mid-write) was skipped</param>
    public static (IReadOnlyList<(double Minutes, double Nats)> Curve, double Minutes, long Steps, double? Best) ReadRun(string runDirectory,
        Action<string>? warn = null)
    {
        var path = Path.Combine(runDirectory, RunFolder.Metrics);
        if (!File.Exists(path)) throw new InvalidInputError("resume", $"{runDirectory} has no metrics.jsonl: the run never started. Run the experiment with {{resume}}.");
        var curve = new List<(double, double)>();
        double minutes = 0;
        long steps = 0;
        var metrics = MetricsFile.Read(path);
        if (metrics.SkippedLastLine is { } skipped) warn?.Invoke(skipped);
        foreach (var node in metrics.Records)
        {
            var elapsed = node["elapsedSeconds"]!.GetValue<double>() / 60;
            minutes = Math.Max(minutes, elapsed);
            steps = Math.Max(steps, node["step"]!.GetValue<long>());
            if (node["kind"]!.GetValue<string>() == "val") curve.Add((elapsed, node["loss"]!.GetValue<double>()));
        }
        return (curve, minutes, steps, curve.Count > 0 ? curve.Min(p => p.Item2) : null);
    }

    /// <summary>"LSTM 2x256": the cell and size a run's config.json records.</summary>
    public static string ReadShape(string runDirectory)
    {
        var model = JsonNode.Parse(File.ReadAllText(Path.Combine(runDirectory, RunFolder.Config)))!["model"]!;
        return FormattableString.Invariant($"{model["cell"]!.GetValue<string>().ToUpperInvariant()} {model["layers"]}x{model["hidden"]}");
    }

    /// <summary>Every row of an ngram.json (see `charrnn ngram`).</summary>
    public static IReadOnlyList<ExperimentNGramRow> ReadNGrams(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        return root["rows"]!.AsArray().Select(r => new ExperimentNGramRow(r!["smoothing"]!.GetValue<string>(), r["order"]!.GetValue<int>(),
            r["nats"]!.GetValue<double>())).ToList();
    }

    /// <summary>Writes report.md, experiment.json and two pictures into <paramref name="outDirectory"/> (each atomically).</summary>
    public static string Write(string outDirectory, string corpusDescription, IReadOnlyList<ExperimentModel> models,
        IReadOnlyList<ExperimentNGramRow> ngrams, JsonNode? evaluation)
    {
        Directory.CreateDirectory(outDirectory);
        var (best, margin) = BestAndMargin(models, ngrams);

        WriteCurves(Path.Combine(outDirectory, "loss-curves.png"), models);
        WriteOrders(Path.Combine(outDirectory, "ngram-orders.png"), models, ngrams);

        AtomicFile.WriteAllText(Path.Combine(outDirectory, "report.md"), MarkdownRenderer.Render(Document(corpusDescription, models, ngrams, evaluation)));

        var json = JsonSerializer.Serialize(new
        {
            models = models.Select(m => new { m.Cell, m.Shape, m.BudgetMinutes, m.TrainedMinutes, m.Steps, m.BestValidationNats, m.TestNats }),
            bestNGrams = best.Select(b => new { b.Smoothing, b.Order, b.TestNats }),
            ngrams = ngrams.Select(r => new { r.Smoothing, r.Order, r.TestNats }),
            lstmMarginBelowBestBaseline = margin,
            targetMargin = TargetMargin,
            paper = new { lstmNats = PaperLstmNats, twentyGramNats = PaperTwentyGramNats, margin = PaperMargin },
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        AtomicFile.WriteAllText(Path.Combine(outDirectory, "experiment.json"), json);
        return Path.Combine(outDirectory, "report.md");
    }

    /// <summary>The best order of each smoothing, best first, and the LSTM's margin below the best of them (null without an LSTM or an n-gram).</summary>
    private static (IReadOnlyList<ExperimentNGramRow> Best, double? Margin) BestAndMargin(IReadOnlyList<ExperimentModel> models, IReadOnlyList<ExperimentNGramRow> ngrams)
    {
        var best = ngrams.GroupBy(r => r.Smoothing).Select(g => g.MinBy(r => r.TestNats)!).OrderBy(r => r.TestNats).ToList();
        var lstm = models.FirstOrDefault(m => m.Cell == "lstm");
        return (best, lstm is not null && best.Count > 0 ? 1 - lstm.TestNats / best[0].TestNats : null);
    }

    /// <summary>The report as the report model: the loss table with the paper's figures, the margin, the plots, the
    /// samples (when the evaluation's report.json is there) and every n-gram order.</summary>
    public static ReportDocument Document(string corpusDescription, IReadOnlyList<ExperimentModel> models, IReadOnlyList<ExperimentNGramRow> ngrams, JsonNode? evaluation)
    {
        var (best, margin) = BestAndMargin(models, ngrams);
        static ReportCell Nats(double nats) => Cells.Number(nats, NumberFormat.Thousandths);
        static ReportCell Bits(double nats) => Cells.Number(nats / Math.Log(2), NumberFormat.Thousandths);
        var blocks = new List<ReportBlock>
        {
            new ParagraphBlock(corpusDescription),
            new TableBlock(new ReportTable("Test-split loss (nats per character)",
                ["model", "training", "test loss (nats/char)", "bits/char", "paper (Karpathy et al. 2015, 6.2 M chars of Linux)"],
                [
                    .. models.Select(m => (ReportCell[])[m.Shape, string.Create(CultureInfo.InvariantCulture, $"{m.TrainedMinutes:0} of {m.BudgetMinutes:0} min, {m.Steps:N0} steps"),
                        Nats(m.TestNats), Bits(m.TestNats), m.Cell == "lstm" ? $"{NumberFormat.Hundredths.Write(PaperLstmNats)} (best LSTM, 3x512, GPU)" : ""]),
                    .. best.Select(b => (ReportCell[])[$"{b.Smoothing} n-gram, best order {b.Order}", "counts", Nats(b.TestNats), Bits(b.TestNats), ""]),
                    .. ngrams.Where(r => r.Order == 20).Select(twenty => (ReportCell[])[$"{twenty.Smoothing} 20-gram", "counts", Nats(twenty.TestNats), Bits(twenty.TestNats),
                        $"{NumberFormat.Thousandths.Write(PaperTwentyGramNats)} (20-gram)"]),
                ])),
        };
        if (margin is double mg)
            blocks.Add(new ParagraphBlock(string.Create(CultureInfo.InvariantCulture, $"LSTM against the best baseline ({best[0].Smoothing}, order {best[0].Order}): **{mg:+0.0 %;-0.0 %} below** " +
                $"(target {TargetMargin:0 %}, the paper's margin {PaperMargin:0.0 %}): {(mg >= TargetMargin ? "target met" : "target NOT met")}.")));
        blocks.Add(new ImagesBlock([new ReportImage("loss-curves.png", "validation loss against training time")]));
        blocks.Add(new ImagesBlock([new ReportImage("ngram-orders.png", "test loss against n-gram order")]));
        if (evaluation is not null) blocks.AddRange(SampleBlocks(evaluation));
        var smoothings = ngrams.Select(r => r.Smoothing).Distinct().ToList();
        blocks.Add(new TableBlock(new ReportTable("Every n-gram order (test split, nats per character)", ["order", .. smoothings],
            [.. ngrams.Select(r => r.Order).Distinct().Order().Select(order => (ReportCell[])[Cells.Count(order), .. smoothings.Select(smoothing =>
                ngrams.FirstOrDefault(r => r.Smoothing == smoothing && r.Order == order) is { } row ? Nats(row.TestNats) : "")])])));
        return new ReportDocument("The seed experiment at CPU scale: Linux C, recurrent cells against n-grams", blocks);
    }

    /// <summary>Test loss (nats) of each checkpoint an eval report.json measured, keyed by full path: the main model and every --compare.</summary>
    public static IReadOnlyDictionary<string, double> ReadTestLosses(JsonNode evaluation)
    {
        var losses = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [Path.GetFullPath(evaluation["checkpoint"]!.GetValue<string>())] = evaluation["modelLoss"]!["natsPerCharacter"]!.GetValue<double>(),
        };
        foreach (var c in evaluation["comparisons"]?.AsArray() ?? [])
            losses[Path.GetFullPath(c!["checkpoint"]!.GetValue<string>())] = c["testBpc"]!.GetValue<double>() * Math.Log(2);
        return losses;
    }

    /// <summary>Parse rate and invented names by temperature of every model the evaluation sampled, and the first sample of the main one.</summary>
    private static IEnumerable<ReportBlock> SampleBlocks(JsonNode evaluation)
    {
        var rows = new List<(string Name, JsonNode Summary)>();
        rows.AddRange((evaluation["freeRunning"]?["temperatures"]?.AsArray() ?? []).Select(t => (evaluation["model"]!.GetValue<string>(), t!)));
        foreach (var c in evaluation["comparisons"]?.AsArray() ?? [])
            if (c!["freeRunning"] is { } f) rows.Add((c["model"]!.GetValue<string>(), f));
        rows.AddRange((evaluation["nGramFreeRunning"]?["temperatures"]?.AsArray() ?? []).Select(t => ($"n-gram order {evaluation["nGramBestOrder"]}", t!)));
        var invented = rows.Any(r => r.Summary["inventedDistinctShare"] is not null);
        static double Number(JsonNode? node) => node?.GetValue<double>() ?? double.NaN;
        yield return new TableBlock(new ReportTable("What the models write: parse rate and invented names by temperature",
            ["model", "temperature", "samples", "parse rate [95 % interval]", "syntax errors / 1k chars", .. invented ? (string[])["invented names: distinct, occurrences"] : []],
            [.. rows.Select(row => (ReportCell[])[row.Name, Cells.Number(Number(row.Summary["temperature"]), NumberFormat.Temperature), Cells.Count(row.Summary["samples"]!.GetValue<int>()),
                Cells.Interval(
                    new Estimate(Number(row.Summary["parseRate"]), Number(row.Summary["parseRateInterval"]?["low"]), Number(row.Summary["parseRateInterval"]?["high"])),
                    NumberFormat.WholeShare),
                Cells.Number(Number(row.Summary["syntaxErrorsPer1000"]), NumberFormat.Tenths),
                .. !invented ? [] : row.Summary["inventedDistinctShare"] is null ? (ReportCell[])[""]
                    : [new PartsCell(
                        [Cells.Number(Number(row.Summary["inventedDistinctShare"]), NumberFormat.WholeShare),
                            Cells.Number(Number(row.Summary["inventedOccurrenceShare"]), NumberFormat.WholeShare)], ", ")]])]));
        var samples = evaluation["freeRunning"]?["samples"]?.AsArray().Select(n => n!).ToList() ?? [];
        var sample = samples.Where(n => Math.Abs(n["temperature"]!.GetValue<double>() - 0.5) < 1e-9).FirstOrDefault() ?? samples.FirstOrDefault();
        if (sample is null) yield break;
        var text = sample["text"]!.GetValue<string>();
        yield return new ParagraphBlock($"The first sample of the {evaluation["model"]} at temperature {NumberFormat.Temperature.Write(sample["temperature"]!.GetValue<double>())} (not chosen):");
        yield return new CodeBlock("c", text.Length > 1200 ? text[..1200] + "\n..." : text);
    }

    private static void WriteCurves(string path, IReadOnlyList<ExperimentModel> models)
    {
        var plot = new Plot();
        foreach (var m in models.Where(m => m.ValidationCurve.Count > 0))
        {
            var line = plot.Add.Scatter(m.ValidationCurve.Select(p => p.Minutes).ToArray(), m.ValidationCurve.Select(p => p.Nats).ToArray());
            line.LegendText = m.Shape;
        }
        plot.Title("Validation loss against training time (2 vCPUs, one thread per run)");
        plot.XLabel("minutes of training");
        plot.YLabel("validation loss (nats/char)");
        plot.ShowLegend();
        SavePng(plot, path);
    }

    private static void WriteOrders(string path, IReadOnlyList<ExperimentModel> models, IReadOnlyList<ExperimentNGramRow> ngrams)
    {
        var plot = new Plot();
        foreach (var group in ngrams.GroupBy(r => r.Smoothing))
        {
            var line = plot.Add.Scatter(group.Select(r => (double)r.Order).ToArray(), group.Select(r => r.TestNats).ToArray());
            line.LegendText = $"{group.Key} n-gram";
        }
        foreach (var m in models)
        {
            var level = plot.Add.HorizontalLine(m.TestNats);
            level.LegendText = m.Shape;
            level.LinePattern = LinePattern.Dashed;
        }
        plot.Add.HorizontalLine(PaperTwentyGramNats).LegendText = "paper's 20-gram";
        plot.Title("Test loss: n-gram order against the recurrent models");
        plot.XLabel("n-gram order");
        plot.YLabel("test loss (nats/char)");
        plot.ShowLegend();
        SavePng(plot, path);
    }

    /// <summary>Saves the plot as a 900x500 PNG, atomically (temporary file, then rename).</summary>
    internal static void SavePng(Plot plot, string path)
    {
        var temporary = path + ".tmp";
        plot.SavePng(temporary, 900, 500);
        File.Move(temporary, path, overwrite: true);
    }
}
