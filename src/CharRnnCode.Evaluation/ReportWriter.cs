// Writes an EvaluationReport into a folder: report.json (everything measured), report.md and report.html (the
// report model of EvaluationReportDocument through the Markdown and HTML renderers) and the PNG plots. It decides
// which files a report has and writes them; what the report says is EvaluationReportDocument's. The folder is written beside its final
// place and renamed into it, so an interrupted run leaves the previous report (or none), never half of one.
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using CharRnnCode.Common;

namespace CharRnnCode.Evaluation;

public static class ReportWriter
{
    /// <summary>Every plot a C# evaluation draws; <see cref="PlotFilesFor"/> says which one report has.</summary>
    public static readonly IReadOnlyList<string> PlotFiles =
        ["loss.png", "parse-rate.png", "undefined.png", "invented.png", "model-vs-ngram.png", "reranking.png", "typing.png"];

    /// <summary>The plots of <paramref name="report"/>: free-running ones when its samples were scored (undefined names
    /// only where the scorer binds names), re-ranking when line completion ran.</summary>
    public static IReadOnlyList<string> PlotFilesFor(EvaluationReport report) => [.. PlotFiles.Where(png => png switch
    {
        "parse-rate.png" or "invented.png" => report.FreeRunning is not null,
        "undefined.png" => report.FreeRunning is not null && report.Scoring.BindsNames,
        "reranking.png" => report.LineCompletion is not null,
        "typing.png" => report.Typing is not null,
        _ => true,
    })];

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Throws unless <paramref name="outDirectory"/> may be replaced by a report: absent, empty, a report this
    /// writer made (its report.json reads as an evaluation report), or any other unprotected folder with <paramref name="force"/>.</summary>
    public static void EnsureReplaceable(string outDirectory, bool force) =>
        OutputTarget.EnsureFolder(outDirectory, "an evaluation report", IsReportFolder, force);

    /// <summary>Whether <paramref name="directory"/> holds a report this writer made: report.json with a checkpoint,
    /// a corpus id and a model loss. A run folder, a corpus or anything else is not one.</summary>
    public static bool IsReportFolder(string directory)
    {
        var path = Path.Combine(directory, "report.json");
        if (!File.Exists(path)) return false;
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path)) is System.Text.Json.Nodes.JsonObject root
                   && root["checkpoint"] is System.Text.Json.Nodes.JsonValue && root["corpusId"] is System.Text.Json.Nodes.JsonValue
                   && root["modelLoss"] is System.Text.Json.Nodes.JsonObject;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    public static void Write(EvaluationReport report, string outDirectory, bool force = false)
    {
        EnsureReplaceable(outDirectory, force);
        var final = Path.GetFullPath(outDirectory);
        var parent = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(final)}.{Environment.ProcessId}.tmp");
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        Directory.CreateDirectory(staging);
        try
        {
            var plots = new Dictionary<string, Func<EvaluationReport, byte[]>>
            {
                ["loss.png"] = ReportPlots.Loss,
                ["parse-rate.png"] = ReportPlots.ParseRate,
                ["undefined.png"] = ReportPlots.Undefined,
                ["invented.png"] = ReportPlots.Invented,
                ["model-vs-ngram.png"] = ReportPlots.ModelAgainstNGram,
                ["reranking.png"] = ReportPlots.Reranking,
                ["typing.png"] = ReportPlots.Typing,
            };
            var files = PlotFilesFor(report).ToDictionary(png => png, png => plots[png](report));
            if (report.Comparisons.Count > 0) files["comparison.png"] = ReportPlots.Comparison(report);
            files["report.json"] = JsonSerializer.SerializeToUtf8Bytes(report, Json);
            files["report.md"] = Encoding.UTF8.GetBytes(Markdown(report, files.Keys));
            files["report.html"] = Encoding.UTF8.GetBytes(Html(report, files.Keys));
            foreach (var (name, bytes) in files) File.WriteAllBytes(Path.Combine(staging, name), bytes);

            // Swap the finished folder in: the old report moves aside first and goes only once the new one is in place.
            var previous = Path.Combine(parent, $".{Path.GetFileName(final)}.{Environment.ProcessId}.old");
            if (Directory.Exists(final)) Directory.Move(final, previous);
            Directory.Move(staging, final);
            if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
        }
        catch
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    /// <summary>report.md: the report model (EvaluationReportDocument) in Markdown.</summary>
    public static string Markdown(EvaluationReport report, IEnumerable<string> files) => MarkdownRenderer.Render(EvaluationReportDocument.Build(report, files));

    /// <summary>report.html: the report model in the HTML template.</summary>
    public static string Html(EvaluationReport report, IEnumerable<string> files) => HtmlRenderer.Render(EvaluationReportDocument.Build(report, files));
}
