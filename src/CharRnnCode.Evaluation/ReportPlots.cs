// The report's pictures (ScottPlot, PNG): loss curves, parse rate, undefined names and invented names against
// temperature, the model against the n-gram baseline, re-ranking against none, and the checkpoint comparison.
// Each returns PNG bytes; ReportWriter decides where they go.
using CharRnnCode.Common;
using ScottPlot;

namespace CharRnnCode.Evaluation;

public static class ReportPlots
{
    private const int Width = 900, Height = 500;
    private static readonly Color ModelColor = Colors.C0, NGramColor = Colors.C1;

    public static byte[] Loss(EvaluationReport report)
    {
        var plot = new Plot();
        if (report.TrainCurve.Count > 0)
        {
            var train = plot.Add.Scatter(report.TrainCurve.Select(p => (double)p.Step).ToArray(), report.TrainCurve.Select(p => p.Bpc).ToArray());
            (train.LegendText, train.MarkerSize, train.Color) = ("model: training", 0, ModelColor.WithAlpha(0.5));
        }
        if (report.ValidationCurve.Count > 0)
        {
            var validation = plot.Add.Scatter(report.ValidationCurve.Select(p => (double)p.Step).ToArray(), report.ValidationCurve.Select(p => p.Bpc).ToArray());
            (validation.LegendText, validation.MarkerSize, validation.Color) = ("model: validation", 6, ModelColor);
        }
        var measured = plot.Add.HorizontalLine(report.ModelLoss.BitsPerCharacter);
        (measured.LegendText, measured.Color, measured.LinePattern) = ($"model on the test split: {report.ModelLoss.BitsPerCharacter:0.000} bpc", ModelColor, LinePattern.Dotted);
        var ngram = plot.Add.HorizontalLine(report.NGramBestBpc);
        (ngram.LegendText, ngram.Color, ngram.LinePattern) = ($"n-gram order {report.NGramBestOrder}: {report.NGramBestBpc:0.000} bpc", NGramColor, LinePattern.Dashed);
        plot.Title($"Loss: {report.Model}");
        plot.XLabel("training step");
        plot.YLabel("bits per character");
        plot.ShowLegend(Alignment.UpperRight);
        return Png(plot);
    }

    public static byte[] ParseRate(EvaluationReport report) => AgainstTemperature(report, $"Parse rate of free-running samples, {report.Scoring.Scorer} (bars: 95 % bootstrap interval)",
        "share of samples", s => s.ParseRate, "parse rate", s => s.ParseToEndRate, "no syntax error before the cut-off end");

    /// <summary>Undefined identifiers (C# only) and syntax errors per 1,000 characters.</summary>
    public static byte[] Undefined(EvaluationReport report) => AgainstTemperature(report, "Undefined identifiers and syntax errors",
        "per 1,000 characters", s => s.UndefinedPer1000 ?? double.NaN, "undefined identifiers", s => s.SyntaxErrorsPer1000, "syntax errors");

    /// <summary>Names the training split never uses, as a share of the samples' distinct names and of their uses.</summary>
    public static byte[] Invented(EvaluationReport report) => AgainstTemperature(report, "Invented names: never in the training split",
        "share of names", s => s.InventedDistinctShare ?? double.NaN, "distinct names", s => s.InventedOccurrenceShare ?? double.NaN, "occurrences");

    private static byte[] AgainstTemperature(EvaluationReport report, string title, string yLabel,
        Func<TemperatureSummary, double> main, string mainName, Func<TemperatureSummary, double> second, string secondName)
    {
        var plot = new Plot();
        var results = new List<(FreeRunningResult Result, string Name, Color Color)>();
        if (report.FreeRunning is { } model) results.Add((model, "model", ModelColor));
        if (report.NGramFreeRunning is { } ngram) results.Add((ngram, $"n-gram {report.NGramBestOrder}", NGramColor));
        foreach (var (result, name, color) in results)
        {
            var x = result.Temperatures.Select(t => t.Temperature).ToArray();
            var a = plot.Add.Scatter(x, result.Temperatures.Select(main).ToArray());
            (a.LegendText, a.Color, a.LineWidth, a.MarkerSize) = ($"{name}: {mainName}", color, 2, 7);
            var b = plot.Add.Scatter(x, result.Temperatures.Select(second).ToArray());
            (b.LegendText, b.Color, b.LinePattern, b.MarkerSize) = ($"{name}: {secondName}", color, LinePattern.Dashed, 5);
        }
        if (title.StartsWith("Parse", StringComparison.Ordinal))
            foreach (var (result, _, color) in results)
                foreach (var t in result.Temperatures)
                {
                    var interval = plot.Add.Line(t.Temperature, t.ParseRateInterval.Low, t.Temperature, t.ParseRateInterval.High);
                    (interval.Color, interval.LineWidth) = (color.WithAlpha(0.6), 3);
                }
        plot.Title(title);
        plot.XLabel("sampling temperature");
        plot.YLabel(yLabel);
        plot.ShowLegend(Alignment.UpperLeft);
        return Png(plot);
    }

    /// <summary>Bits per character of every n-gram order beside the model's.</summary>
    public static byte[] ModelAgainstNGram(EvaluationReport report)
    {
        var plot = new Plot();
        var bars = report.NGramLosses.Select((loss, i) => new Bar { Position = i, Value = loss.BitsPerCharacter, FillColor = NGramColor }).ToList();
        bars.Add(new Bar { Position = bars.Count + 0.5, Value = report.ModelLoss.BitsPerCharacter, FillColor = ModelColor });
        plot.Add.Bars(bars);
        Tick[] ticks = [.. report.NGramLosses.Select((loss, i) => new Tick(i, $"{loss.Order}-gram")), new Tick(bars.Count - 0.5, "model")];
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(ticks);
        plot.Axes.Margins(bottom: 0);
        plot.Title($"Test-split bits per character: {report.Model} against n-grams");
        plot.YLabel("bits per character (lower is better)");
        return Png(plot);
    }

    /// <summary>Line completion by strategy, for the model, with 95 % bootstrap intervals: the number that says whether re-ranking helps.</summary>
    public static byte[] Reranking(EvaluationReport report)
    {
        var plot = new Plot();
        string[] metrics = ["non-empty", "exact match", "edit similarity", "parse-OK", "clean"];
        static Estimate[] Values(StrategySummary s) => [s.NonEmpty, s.ExactMatch, s.EditSimilarity, s.ParseOk, s.Clean];
        var strategies = Strategies.All;
        var palette = new[] { Colors.C0, Colors.C2, Colors.C3, Colors.C1, Colors.C4, Colors.Gray };   // one per strategy, in Strategies.All order
        var bars = new List<Bar>();
        var groupWidth = strategies.Count + 1;
        for (var m = 0; m < metrics.Length; m++)
            for (var s = 0; s < strategies.Count; s++)
            {
                var value = Values(report.LineCompletion!.Summary.Single(x => x.Strategy == strategies[s]))[m];
                var position = m * groupWidth + s;
                bars.Add(new Bar { Position = position, Value = value.Value, FillColor = palette[s], Label = $"{value.Value:0.00}" });
                var interval = plot.Add.Line(position, value.Low, position, value.High);
                (interval.Color, interval.LineWidth) = (Colors.Black, 1.5f);
            }
        var barPlot = plot.Add.Bars(bars);
        barPlot.ValueLabelStyle.FontSize = 10;
        plot.MoveToBottom(barPlot);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. metrics.Select((name, m) => new Tick(m * groupWidth + (strategies.Count - 1) / 2.0, name))]);
        for (var s = 0; s < strategies.Count; s++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = strategies[s], FillColor = palette[s] });
        plot.Axes.SetLimitsY(0, 1.15);
        plot.ShowLegend(Alignment.UpperRight);
        plot.Title($"Line completion, {report.LineCompletion!.Positions.Count} held-out positions, K = {report.Options.K} (black: 95 % bootstrap interval)");
        plot.YLabel("share of positions / mean");
        return Png(plot);
    }

    public static byte[] Comparison(EvaluationReport report)
    {
        var plot = new Plot();
        var rows = new List<(string Name, double Bpc)> { (report.Model, report.ModelLoss.BitsPerCharacter) };
        rows.AddRange(report.Comparisons.Select(c => (c.Model, c.TestBpc)));
        rows.Add(($"n-gram {report.NGramBestOrder}", report.NGramBestBpc));
        plot.Add.Bars(rows.Select((row, i) => new Bar
        {
            Position = i, Value = row.Bpc, FillColor = i == rows.Count - 1 ? NGramColor : Colors.Category10[i % 10], Label = $"{row.Bpc:0.000}",
        }).ToList());
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual([.. rows.Select((row, i) => new Tick(i, row.Name))]);
        plot.Axes.Margins(bottom: 0);
        plot.Title("Test-split bits per character by model");
        plot.YLabel("bits per character (lower is better)");
        return Png(plot);
    }

    /// <summary>What a user keeps: keystrokes saved against the share of shown suggestions accepted, one point per
    /// contender and user (IntelliSense alone, ghost text alone, both), with 95 % intervals as error bars.</summary>
    public static byte[] Typing(EvaluationReport report)
    {
        var typing = report.Typing!;
        var plot = new Plot();
        var points = new List<(string Name, Typing.TypingFigures Figures, Color Color, MarkerShape Shape)> { ("IntelliSense alone", typing.IntelliSense, Colors.Gray, MarkerShape.FilledSquare) };
        for (var i = 0; i < typing.Contenders.Count; i++)
        {
            var contender = typing.Contenders[i];
            points.Add(($"ghost text: {contender.Name}", contender.GhostText, Colors.Category10[i % 10], MarkerShape.FilledCircle));
            points.Add(($"both: {contender.Name}", contender.Combined, Colors.Category10[i % 10], MarkerShape.FilledTriangleUp));
        }
        foreach (var (name, f, color, shape) in points)
        {
            var x = 100 * f.AcceptRate;
            var y = 100 * f.KeystrokesSaved;
            var marker = plot.Add.Marker(x, y, shape, 10, color);
            marker.LegendText = $"{name}: {y:0.0} % saved, {x:0.0} % accepted";
            var across = plot.Add.Line(100 * f.AcceptRateInterval.Low, y, 100 * f.AcceptRateInterval.High, y);
            var up = plot.Add.Line(x, 100 * f.KeystrokesSavedInterval.Low, x, 100 * f.KeystrokesSavedInterval.High);
            across.Color = up.Color = color;
        }
        if (typing.Sweep.Count > 0)
        {
            // The gate's trade-off for the model's ghost text: one point per setting, joined in order of the gate, the default starred.
            var ordered = typing.Sweep.OrderBy(p => p.MinConfidence).ThenBy(p => p.StopAgreement).ToList();
            var curve = plot.Add.ScatterLine(ordered.Select(p => 100 * p.Figures.AcceptRate).ToArray(), ordered.Select(p => 100 * p.Figures.KeystrokesSaved).ToArray());
            curve.Color = Colors.Black;
            curve.LinePattern = LinePattern.Dashed;
            curve.LegendText = "ghost text by minConfidence, stopAgreement: " + string.Join(", ", ordered.Select(p => $"{p.MinConfidence:0.###}/{p.StopAgreement:0.###}"));
            foreach (var point in ordered)
            {
                var label = plot.Add.Text($"{point.MinConfidence:0.###}/{point.StopAgreement:0.###}", 100 * point.Figures.AcceptRate, 100 * point.Figures.KeystrokesSaved);
                label.LabelFontSize = 10;
                if (point.IsDefault)
                {
                    var star = plot.Add.Marker(100 * point.Figures.AcceptRate, 100 * point.Figures.KeystrokesSaved, MarkerShape.Asterisk, 16, Colors.Black);
                    star.LegendText = "the default setting";
                }
            }
        }
        plot.ShowLegend(Alignment.UpperLeft);
        plot.Axes.SetLimits(0, 100, 0, 100);
        plot.Title($"Typing {typing.Lines} test-split lines: what a user keeps (bars: 95 % intervals over lines)");
        plot.XLabel("suggestions accepted, % of shown");
        plot.YLabel("keystrokes saved, %");
        return Png(plot);
    }

    private static byte[] Png(Plot plot) => plot.GetImageBytes(Width, Height, ImageFormat.Png);
}
