// A sweep's one report: the test-split loss of every finished point in the layout of Karpathy, Johnson and Fei-Fei's
// Table 1 (a row per size, a column per cell and depth), every point on its own row with its parse rate, the n-gram
// baseline on the same split, and a picture of loss against parameter count, as the report model (drawn by the
// Markdown renderer; the command prints its console table). It writes what the sweep report command measured;
// it loads no checkpoint and measures nothing itself.
using System.Globalization;
using System.Text.Json;
using CharRnnCode.Common;
using ScottPlot;

namespace CharRnnCode.Evaluation;

/// <summary>One finished point, measured: its grid values, shape, size, training and test-split results.</summary>
/// <param name="ParseRate">share of its samples that parse (null where the corpus's language has no scorer)</param>
public sealed record SweepPointResult(int Index, string Folder, IReadOnlyList<(string Key, string Value)> Values, string Cell, int Layers, int Hidden,
    long Parameters, long Steps, double TrainedMinutes, double TestNats, double? ParseRate);

/// <summary>How the report was measured, for its first lines.</summary>
/// <param name="Description">the sweep's own description, if its grid file had one</param>
/// <param name="TestCharacters">characters of the test split every point (and the n-gram) was measured on</param>
/// <param name="Scorer">what decided the parse rate, or why it was not measured</param>
/// <param name="Unfinished">points left out because they have not finished</param>
public sealed record SweepReportContext(string SweepDirectory, string Corpus, string? Description, int TestCharacters, string Scorer, int Samples,
    double Temperature, int Unfinished);

public static class SweepReport
{
    public const string MarkdownName = "report.md", JsonName = "report.json", PlotName = "loss-by-parameters.png";

    /// <summary>Throws unless <paramref name="outDirectory"/> may take a sweep report: absent, empty, a sweep report this
    /// writer made (its report.json names a sweep and its points), or any other unprotected folder with <paramref name="force"/>.</summary>
    public static void EnsureWritable(string outDirectory, bool force) =>
        OutputTarget.EnsureFolder(outDirectory, "a sweep report", IsReportFolder, force);

    public static bool IsReportFolder(string directory)
    {
        var path = Path.Combine(directory, JsonName);
        if (!File.Exists(path)) return false;
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path)) is System.Text.Json.Nodes.JsonObject root
                   && root["sweep"] is System.Text.Json.Nodes.JsonValue && root["points"] is System.Text.Json.Nodes.JsonArray;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Writes report.md, report.json and the plot into <paramref name="outDirectory"/>, each atomically; returns report.md's path.</summary>
    public static string Write(string outDirectory, SweepReportContext context, IReadOnlyList<SweepPointResult> points, NGramOrderTable? ngram, bool force = false)
    {
        EnsureWritable(outDirectory, force);
        Directory.CreateDirectory(outDirectory);
        var kneserNey = ngram?.Best.GetValueOrDefault(NGramSmoothing.KneserNey.Name());
        WritePlot(Path.Combine(outDirectory, PlotName), points, kneserNey);

        AtomicFile.WriteAllText(Path.Combine(outDirectory, MarkdownName), MarkdownRenderer.Render(Document(context, points, ngram)));

        var json = JsonSerializer.Serialize(new
        {
            sweep = context.SweepDirectory, corpus = context.Corpus, context.TestCharacters, context.Unfinished,
            points = points.Select(p => new
            {
                p.Index, p.Folder, values = p.Values.ToDictionary(v => v.Key, v => v.Value), p.Cell, p.Layers, p.Hidden, p.Parameters, p.Steps,
                p.TrainedMinutes, p.TestNats, testBpc = p.TestNats / Math.Log(2), p.ParseRate,
            }),
            ngram = kneserNey is null ? null : new { smoothing = NGramSmoothing.KneserNey.Name(), kneserNey.Order, kneserNey.Nats },
        }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        AtomicFile.WriteAllText(Path.Combine(outDirectory, JsonName), json);
        return Path.Combine(outDirectory, MarkdownName);
    }

    /// <summary>The report as the report model: the paper's layout, the n-gram baseline, every point, the plot.</summary>
    public static ReportDocument Document(SweepReportContext context, IReadOnlyList<SweepPointResult> points, NGramOrderTable? ngram)
    {
        var kneserNey = ngram?.Best.GetValueOrDefault(NGramSmoothing.KneserNey.Name());
        var blocks = new List<ReportBlock>();
        if (context.Description is not null) blocks.Add(new ParagraphBlock(context.Description));
        blocks.Add(new ParagraphBlock(string.Create(CultureInfo.InvariantCulture, $"Corpus {context.Corpus}; every point and the n-gram measured on the same {context.TestCharacters:N0} characters " +
            $"of its test split, in nats per character. ") +
            $"{points.Count} finished point(s){(context.Unfinished > 0 ? $", {context.Unfinished} not finished (left out)" : "")}."));

        var columns = points.Select(p => (p.Cell, p.Layers)).Distinct().OrderBy(c => CellOrder(c.Cell)).ThenBy(c => c.Layers).ToList();
        blocks.Add(new TableBlock(new ReportTable("Test loss, in the layout of Karpathy et al. (2015), Table 1",
            ["size", .. columns.Select(c => $"{c.Cell.ToUpperInvariant()} {c.Layers} layer{(c.Layers == 1 ? "" : "s")}")],
            [.. points.Select(p => p.Hidden).Distinct().Order().Select(hidden => (ReportCell[])[Cells.Count(hidden), .. columns.Select(c =>
                points.Where(p => p.Cell == c.Cell && p.Layers == c.Layers && p.Hidden == hidden).Select(p => p.TestNats).ToList() is { Count: > 0 } losses
                    ? Cells.Number(losses.Average(), NumberFormat.Thousandths) : (ReportCell)"")])])));
        if (points.GroupBy(p => (p.Cell, p.Layers, p.Hidden)).Any(g => g.Count() > 1))
            blocks.Add(new ParagraphBlock("Where several points share a cell, depth and size (seeds, other grid keys), the table gives their mean; every point is below."));
        blocks.Add(new ParagraphBlock(kneserNey is not null
            ? $"N-gram baseline (interpolated modified Kneser-Ney, best order {kneserNey.Order} of {ngram!.Rows.Min(r => r.Order)}-{ngram.Rows.Max(r => r.Order)}, trained on the train split): " +
              $"**{NumberFormat.Thousandths.Write(kneserNey.Nats)}** nats/char ({NumberFormat.Thousandths.Write(kneserNey.Nats / Math.Log(2))} bits/char)."
            : "N-gram baseline: not measured."));

        var keys = points.SelectMany(p => p.Values.Select(v => v.Key)).Distinct().ToList();
        blocks.Add(new TableBlock(new ReportTable("Every point", ["#", .. keys, "parameters", "steps", "minutes", "test nats/char", "bits/char", "parse rate"],
            [.. points.Select(p => (ReportCell[])[Cells.Count(p.Index), .. keys.Select(k => (ReportCell)(p.Values.FirstOrDefault(v => v.Key == k).Value ?? "")),
                Cells.Count(p.Parameters), Cells.Count(p.Steps), Cells.Number(p.TrainedMinutes, NumberFormat.Tenths), Cells.Number(p.TestNats, NumberFormat.Thousandths),
                Cells.Number(p.TestNats / Math.Log(2), NumberFormat.Thousandths), Cells.Optional(p.ParseRate, NumberFormat.WholeShare)])])));
        blocks.Add(new ParagraphBlock($"Parse rate: {context.Samples} samples of each point at temperature {NumberFormat.Temperature.Write(context.Temperature)}, {context.Scorer}."));
        blocks.Add(new ImagesBlock([new ReportImage(PlotName, "test loss against parameter count")]));
        return new ReportDocument($"Sweep {Path.GetFileName(context.SweepDirectory)}: test loss by cell, depth and size", blocks);
    }

    /// <summary>What `charrnn sweep report` prints: a row per point (its shape, size, test bits per character and parse rate) and the n-gram.</summary>
    public static ReportTable ConsoleTable(IReadOnlyList<SweepPointResult> points, NGramOrderTable? ngram) => new("finished points on the same test split",
        ["#", "model", "parameters", "steps", "test bpc", "parse rate"],
        [
            .. points.Select(p => (ReportCell[])[Cells.Count(p.Index), $"{p.Cell} {p.Layers}x{p.Hidden}", Cells.Count(p.Parameters), Cells.Count(p.Steps),
                Cells.Number(p.TestNats / Math.Log(2), NumberFormat.Thousandths), p.ParseRate is double rate ? Cells.Number(rate, NumberFormat.WholeShare) : "-"]),
            .. ngram?.Best.GetValueOrDefault(NGramSmoothing.KneserNey.Name()) is { } best
                ? [(ReportCell[])["", $"Kneser-Ney {best.Order}-gram", "", "", Cells.Number(best.Nats / Math.Log(2), NumberFormat.Thousandths), ""]] : Array.Empty<ReportCell[]>(),
        ]);

    // The paper's order of cells.
    private static int CellOrder(string cell) => cell switch { "lstm" => 0, "rnn" => 1, "gru" => 2, _ => 3 };

    private static void WritePlot(string path, IReadOnlyList<SweepPointResult> points, NGramBestOrder? baseline)
    {
        var plot = new Plot();
        foreach (var cell in points.GroupBy(p => p.Cell).OrderBy(g => CellOrder(g.Key)))
        {
            var dots = plot.Add.ScatterPoints(cell.Select(p => Math.Log10(p.Parameters)).ToArray(), cell.Select(p => p.TestNats).ToArray());
            dots.LegendText = cell.Key.ToUpperInvariant();
            dots.MarkerSize = 8;
        }
        if (baseline is not null)
        {
            var level = plot.Add.HorizontalLine(baseline.Nats);
            level.LegendText = $"Kneser-Ney {baseline.Order}-gram";
            level.LinePattern = LinePattern.Dashed;
        }
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = x => Math.Pow(10, x).ToString("N0", CultureInfo.InvariantCulture) };
        plot.Title("Test loss against parameter count");
        plot.XLabel("parameters (log scale)");
        plot.YLabel("test loss (nats/char)");
        plot.ShowLegend();
        SeedExperimentReport.SavePng(plot, path);
    }
}
