// The loss curve as a picture (loss.png beside the checkpoints): training and validation bits per
// character against step from metrics.jsonl, redrawn by `charrnn train` at every checkpoint and written
// atomically. It does not train or read checkpoints.
using CharRnnCode.Model.Training;

namespace CharRnnCode.Evaluation;

public static class LossPlot
{
    public static void Write(string pngPath, string metricsPath, string title)
    {
        var (train, validation) = MetricsLog.Read(metricsPath);
        var plot = new ScottPlot.Plot();
        if (train.Count > 0)
        {
            var line = plot.Add.Scatter(train.Select(p => (double)p.Step).ToArray(), train.Select(p => p.Bpc).ToArray());
            line.LegendText = "train";
            line.MarkerSize = 0;
        }
        if (validation.Count > 0)
        {
            var line = plot.Add.Scatter(validation.Select(p => (double)p.Step).ToArray(), validation.Select(p => p.Bpc).ToArray());
            line.LegendText = "validation";
            line.MarkerSize = 5;
        }
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("bits per character");
        plot.ShowLegend(ScottPlot.Alignment.UpperRight);
        var bytes = plot.GetImageBytes(900, 500, ScottPlot.ImageFormat.Png);
        Common.AtomicFile.WriteAllBytes(pngPath, bytes);
    }
}
