// Renders an EvaluationReport into a folder: report.json (everything measured), report.md (the tables a paper
// would quote), report.html (the same, with the plots, samples whose diagnostics (Roslyn's for C#, clang's for C)
// are highlighted, the seed's next-character guesses and cell pictures) and the PNG plots; what was not measured
// for the corpus's language (no scorer, no line completion outside C#) is said, not drawn. The folder is written beside its final
// place and renamed into it, so an interrupted run leaves the previous report (or none), never half of one.
using CharRnnCode.Common;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

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

    private static string F(double value, string format = "0.000") => value.ToString(format, CultureInfo.InvariantCulture);
    /// <summary>A difference with its sign, "+0.012" or "-0.012"; one that rounds to nothing is "+0.000" (.NET keeps the
    /// minus of a negative that rounds to zero, and a two-part custom format then prints "-+0.000").</summary>
    public static string Signed(double value) => (Math.Round(value, 3) == 0 ? 0.0 : value).ToString("+0.000;-0.000", CultureInfo.InvariantCulture);
    private static string P(double share) => (100 * share).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    /// <summary>A share with its interval: "42.0% [35.5, 48.5]".</summary>
    public static string Pi(Estimate e) => $"{P(e.Value)} [{(100 * e.Low).ToString("0.0", CultureInfo.InvariantCulture)}, {(100 * e.High).ToString("0.0", CultureInfo.InvariantCulture)}]";
    /// <summary>A mean with its interval: "0.53 [0.41, 0.66]".</summary>
    public static string Fi(Estimate e, string format = "0.000") => $"{F(e.Value, format)} [{F(e.Low, format)}, {F(e.High, format)}]";

    /// <summary>The tables, as (title, header, rows); Markdown and HTML render the same ones.</summary>
    private static List<(string Title, string[] Header, List<string[]> Rows)> Tables(EvaluationReport r)
    {
        var tables = new List<(string, string[], List<string[]>)>();
        tables.Add(("Bits per character on the test split (the n-gram order chosen on the validation split)", ["model", "nats/char", "bits/char", "validation bits/char (selection only)", "characters"],
        [
            [r.Model, F(r.ModelLoss.NatsPerCharacter), F(r.ModelLoss.BitsPerCharacter), "", r.ModelLoss.Characters.ToString("N0", CultureInfo.InvariantCulture)],
            .. r.NGramLosses.Select(l => new[] { $"{l.Order}-gram (Kneser-Ney){(l.Order == r.NGramBestOrder ? ", chosen" : "")}",
                F(l.BitsPerCharacter * Math.Log(2)), F(l.BitsPerCharacter), F(l.ValidationBitsPerCharacter), r.ModelLoss.Characters.ToString("N0", CultureInfo.InvariantCulture) }),
        ]));
        tables.Add(("Training's validation loss, checked", ["training log (bpc)", "recomputed as training measures it (bpc)", "agrees within 0.01", "same text as one stream (bpc)", "explanation"],
        [
            [r.TrainingLoss.TrainingLogBpc is double logged ? F(logged) : "not logged", F(r.TrainingLoss.RecomputedBpc), r.TrainingLoss.Agrees ? "yes" : "no",
             F(r.TrainingLoss.OneStreamBpc), r.TrainingLoss.Explanation],
        ]));
        if (r.FreeRunning is null || r.NGramFreeRunning is null)
            tables.Add(("Free-running samples", ["not measured"], [[r.Scoring.NotMeasured ?? "no scorer"]]));
        else
            foreach (var (name, result) in new[] { ("model", r.FreeRunning), ($"{r.NGramBestOrder}-gram", r.NGramFreeRunning) })
                tables.Add(($"Free-running samples, {name}: {r.Options.SamplesPerTemperature} samples of {r.Options.SampleLength} characters per temperature, scored by {r.Scoring.Scorer}",
                    [.. FreeRunningHeader(r.Scoring.BindsNames)], [.. result.Temperatures.Select(t => FreeRunningRow(t, r.Scoring.BindsNames))]));
        if (r.Typing is { } typing)
            tables.Add(($"Typing replay: {typing.Lines} lines of the test split ({typing.Characters:N0} characters) typed keystroke by keystroke; ghost text with the server's defaults; [95 % interval over lines]",
                ["user", "keystrokes saved", "suggestions shown", "accepted", "of no use", "filler", "characters per acceptance", "first token right at line start", "characters kept per line start", "latency p50 / p95 ms"],
                [
                    TypingRow("IntelliSense alone (Roslyn's completion list)", typing.IntelliSense, ghost: false),
                    .. typing.Contenders.SelectMany(c => new[] { TypingRow($"ghost text: {c.Name}", c.GhostText), TypingRow($"both: {c.Name} + IntelliSense", c.Combined) }),
                    .. typing.Sweep.Select(p => TypingRow($"ghost text: {typing.Contenders[0].Name}, minConfidence {F(p.MinConfidence, "0.###")}, stopAgreement {F(p.StopAgreement, "0.###")}{(p.IsDefault ? " (default)" : "")}", p.Figures)),
                ]));
        if (r.LineCompletion is null)
            tables.Add(("Line completion", ["not measured"], [[$"line completion is judged by Roslyn's binding, so it runs on C# corpora only (this one is {string.Join(" + ", r.Scoring.Languages)})"]]));
        foreach (var (name, result) in new[] { ("model", r.LineCompletion), ($"{r.NGramBestOrder}-gram", r.NGramLineCompletion) })
        {
            if (result is null) continue;
            tables.Add(($"Line completion, {name}: {result.Positions.Count} positions in held-out files, K = {result.Options.K} at temperature {F(result.Options.Temperature, "0.0#")}; 95 % bootstrap intervals",
                ["strategy", "non-empty", "exact match", "edit similarity", "parse-OK", "undefined names / completion", "undefined names / identifier written", "clean"],
                [.. result.Summary.Select(s => new[] { s.Strategy, Pi(s.NonEmpty), Pi(s.ExactMatch), Fi(s.EditSimilarity), Pi(s.ParseOk),
                    Fi(s.UndefinedPerCompletion, "0.00"), Fi(s.UndefinedPerIdentifier), Pi(s.Clean) })]));
            foreach (var paired in result.Paired)
                tables.Add(($"Paired, {name}: {paired.Strategy} minus {paired.Baseline} on the same {result.Positions.Count} positions (ranking: {result.Ranking})",
                    ["measure", "difference", "95 % interval", "verdict"],
                    [.. paired.Differences.Select(d => new[] { d.Measure, Signed(d.Difference.Value),
                        $"[{Signed(d.Difference.Low)}, {Signed(d.Difference.High)}]", d.Verdict })]));
        }
        if (r.Comparisons.Count > 0)
        {
            var t = r.Options.Temperatures[r.Options.Temperatures.Count / 2];
            var middle = r.FreeRunning?.Temperatures.First(x => x.Temperature == t);
            tables.Add(($"Models compared (free-running at temperature {F(t, "0.0#")}; line completion greedy and re-ranked)",
                ["model", "test bits/char", "parse rate", "undefined / 1k chars", "invented names (distinct)", "greedy exact", "greedy parse-OK", "re-ranked exact", "re-ranked parse-OK"],
                [
                    [r.Model, F(r.ModelLoss.BitsPerCharacter), .. ComparedFreeRunning(middle), .. LineCells(r.LineCompletion?.Summary ?? [])],
                    .. r.Comparisons.Select(c => (string[])[c.Model, F(c.TestBpc), .. ComparedFreeRunning(c.FreeRunning), .. LineCells(c.LineCompletion)]),
                ]));
        }
        tables.Add(("Cells that track syntax (Pearson r of activation with a fact from Roslyn's syntax tree, best 3 per fact)",
            ["fact", "layer", "cell", "r"],
            [.. r.CellRankings.Select(c => new[] { c.Fact, c.Layer.ToString(CultureInfo.InvariantCulture), c.Cell.ToString(CultureInfo.InvariantCulture), Signed(c.Correlation) })]));
        tables.Add(("Time per section", ["section", "seconds"], [.. r.Timings.Select(t => new[] { t.Section, F(t.Seconds, "0.0") })]));
        return tables;
    }

    /// <param name="ghost">false for the completion list alone, which has no line-start ghost text to judge</param>
    private static string[] TypingRow(string user, Typing.TypingFigures f, bool ghost = true) =>
        [user, Pi(f.KeystrokesSavedInterval), f.SuggestionsShown.ToString("N0", CultureInfo.InvariantCulture), Pi(f.AcceptRateInterval), Pi(f.WrongShownShareInterval),
         ghost ? Pi(f.FillerShownShare) : "n/a", Fi(f.CharsPerAcceptanceInterval, "0.0"), ghost ? Pi(f.FirstTokenAccuracyInterval) : "n/a", ghost ? F(f.CharsKeptPerLineStart, "0.00") : "n/a",
         $"{F(f.LatencyP50Ms, "0.0")} / {F(f.LatencyP95Ms, "0.0")}"];

    private static string[] FreeRunningHeader(bool bindsNames) =>
    [
        "temperature", "parse rate [95 % interval]", "no error before the cut-off end", "syntax errors / 1k chars",
        .. bindsNames ? (string[])["undefined identifiers / 1k chars"] : [], "invented names: distinct / occurrences", "brackets balanced", "share kept by the cut",
        .. bindsNames ? (string[])["most frequent undefined names"] : [], "most frequent invented names (samples)",
    ];

    private static string[] FreeRunningRow(TemperatureSummary t, bool bindsNames) =>
    [
        F(t.Temperature, "0.0#"), Pi(t.ParseRateInterval), P(t.ParseToEndRate), F(t.SyntaxErrorsPer1000, "0.00"),
        .. bindsNames ? (string[])[F(t.UndefinedPer1000 ?? double.NaN, "0.00")] : [], Invented(t), P(t.BracketBalanceRate), P(t.CutShare),
        .. bindsNames ? (string[])[string.Join(", ", (t.CommonUndefinedNames ?? []).Take(5))] : [], string.Join(", ", t.CommonInventedNames.Take(5)),
    ];

    /// <summary>"12.0% / 6.0%": invented names as a share of distinct names and of uses; "not measured" without a training split.</summary>
    public static string Invented(TemperatureSummary t) =>
        t.InventedDistinctShare is double distinct && t.InventedOccurrenceShare is double uses ? $"{P(distinct)} / {P(uses)}" : "not measured";

    private static string[] ComparedFreeRunning(TemperatureSummary? t) => t is null ? ["not measured", "not measured", "not measured"]
        : [P(t.ParseRate), t.UndefinedPer1000 is double undefined ? F(undefined, "0.00") : "not measured",
           t.InventedDistinctShare is double invented ? P(invented) : "not measured"];

    private static string[] LineCells(IReadOnlyList<StrategySummary> summary)
    {
        if (summary.Count == 0) return ["not measured", "not measured", "not measured", "not measured"];
        var greedy = summary.Single(s => s.Strategy == Strategies.Greedy);
        var roslyn = summary.Single(s => s.Strategy == Strategies.Roslyn);
        return [Pi(greedy.ExactMatch), Pi(greedy.ParseOk), Pi(roslyn.ExactMatch), Pi(roslyn.ParseOk)];
    }

    private static string Headline(EvaluationReport r)
    {
        var loss = $"{r.Model}: {F(r.ModelLoss.BitsPerCharacter)} bits/char on the test split against {F(r.NGramBestBpc)} for the n-gram " +
            $"(order {r.NGramBestOrder}, chosen on validation); the vocabulary knows {P(r.VocabularyCoverage)} of the corpus's characters. ";
        var free = r.FreeRunning?.Temperatures.MaxBy(t => t.ParseRate) is not { } best ? $"Free-running samples: {r.Scoring.NotMeasured}. "
            : $"Free-running samples ({r.Scoring.Scorer}) parse {Pi(best.ParseRateInterval)} of the time at temperature {F(best.Temperature, "0.0#")}" +
              (best.UndefinedPer1000 is double undefined ? $" with {F(undefined, "0.00")} undefined identifiers per 1,000 characters" : "") +
              $"; invented names (never in the training split) there: {Invented(best)} of distinct names / of uses. ";
        var typed = r.Typing is not { Contenders: [var first, ..] } typing ? ""
            : $"Typing {typing.Lines} test-split lines keystroke by keystroke, ghost text saves {Pi(first.GhostText.KeystrokesSavedInterval)} of keystrokes " +
              $"({Pi(first.GhostText.AcceptRateInterval)} of {first.GhostText.SuggestionsShown} suggestions accepted), IntelliSense alone {Pi(typing.IntelliSense.KeystrokesSavedInterval)}, " +
              $"both {Pi(first.Combined.KeystrokesSavedInterval)}. ";
        free += typed;
        if (r.LineCompletion is null) return loss + free + "Line completion: not measured (C# corpora only).";
        var greedy = r.LineCompletion.Summary.Single(s => s.Strategy == Strategies.Greedy);
        var likelihood = r.LineCompletion.Summary.Single(s => s.Strategy == Strategies.Likelihood);
        var roslyn = r.LineCompletion.Summary.Single(s => s.Strategy == Strategies.Roslyn);
        var constrained = r.LineCompletion.Summary.Single(s => s.Strategy == Strategies.Constrained);
        var clean = r.LineCompletion.RerankedAgainstLikelihood.Differences.Single(d => d.Measure == "clean");
        return loss + free + $"Line completion ({r.LineCompletion.Positions.Count} positions): " +
            $"greedy {Pi(greedy.Clean)} clean; best of {r.Options.K} by likelihood {Pi(likelihood.Clean)} clean; re-ranked ({r.LineCompletion.Ranking}) " +
            $"{Pi(roslyn.Clean)} clean: re-ranked minus likelihood {Signed(clean.Difference.Value)} " +
            $"[{Signed(clean.Difference.Low)}, {Signed(clean.Difference.High)}], {clean.Verdict}; " +
            $"constrained by Roslyn while generated, then re-ranked (the server's default) {Pi(constrained.Clean)} clean.";
    }

    public static string Markdown(EvaluationReport r, IEnumerable<string> files)
    {
        var md = new StringBuilder();
        md.AppendLine($"# Evaluation of {r.Model}").AppendLine();
        md.AppendLine($"Checkpoint `{r.Checkpoint}`, corpus `{r.Corpus}` (id `{r.CorpusId}`), {r.CreatedUtc:yyyy-MM-dd HH:mm} UTC.").AppendLine();
        md.AppendLine(Headline(r)).AppendLine();
        foreach (var (title, header, rows) in Tables(r))
        {
            md.AppendLine($"## {title}").AppendLine();
            md.AppendLine("| " + string.Join(" | ", header) + " |");
            md.AppendLine("|" + string.Concat(header.Select(_ => " --- |")));
            foreach (var row in rows) md.AppendLine("| " + string.Join(" | ", row.Select(cell => cell.Replace("|", "\\|"))) + " |");
            md.AppendLine();
        }
        md.AppendLine("## Plots").AppendLine();
        foreach (var png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal))) md.AppendLine($"![{png}]({png})");
        if (r.FreeRunning is not null)
            md.AppendLine().AppendLine("## Samples (model, one per temperature; the parsed region lies between the ⟂ marks, or before the only one)").AppendLine();
        foreach (var sample in (r.FreeRunning?.Samples ?? []).GroupBy(s => s.Temperature).Select(g => g.First()))
        {
            md.AppendLine($"Temperature {F(sample.Temperature, "0.0#")}: {(sample.Parses ? "parses" : "does not parse")}, " +
                $"{sample.RealSyntaxErrors} syntax errors{Names(sample)}").AppendLine();
            md.AppendLine(r.Scoring.Language == "c" ? "```c" : "```csharp")
                .AppendLine(sample.Text.Insert(sample.RegionEnd, "⟂").Insert(sample.RegionStart, sample.RegionStart > 0 ? "⟂" : "").TrimEnd()).AppendLine("```").AppendLine();
        }
        if (r.LineCompletion is null) return md.ToString();
        md.AppendLine("## Line completions (model, first 12 positions)").AppendLine();
        md.AppendLine("| true line | greedy | best of K by likelihood | re-ranked by Roslyn | constrained, re-ranked |").AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var position in r.LineCompletion.Positions.Take(12))
            md.AppendLine($"| {Code(position.Position.TrueLine)} | {Code(position.Outcomes[Strategies.Greedy].Text)} | " +
                $"{Code(position.Outcomes[Strategies.Likelihood].Text)} | {Code(position.Outcomes[Strategies.Roslyn].Text)} | {Code(position.Outcomes[Strategies.Constrained].Text)} |");
        return md.ToString();

        static string Code(string text) => text.Length == 0 ? "(empty)" : "`" + text.Replace("|", "\\|").Replace("`", "'") + "`";
    }

    /// <summary>", undefined: a, b; invented: c" for what was measured.</summary>
    private static string Names(SampleAnalysis sample)
    {
        static string List(IEnumerable<string> names) => string.Join(", ", names.Distinct()) is { Length: > 0 } list ? list : "none";
        return (sample.UndefinedNames is { } undefined ? $", undefined: {List(undefined.Select(n => n.Name))}" : "")
            + (sample.Invention is { } invention ? $", invented: {List(invention.Invented)}" : "");
    }

    public static string Html(EvaluationReport r, IEnumerable<string> files)
    {
        var h = new StringBuilder();
        static string E(string text) => WebUtility.HtmlEncode(text);
        h.AppendLine("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>").Append(E($"Evaluation of {r.Model}")).AppendLine("</title><style>");
        h.AppendLine("""
            body { font-family: system-ui, sans-serif; max-width: 1200px; margin: 2em auto; color: #222; }
            table { border-collapse: collapse; margin: 1em 0; } td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: left; }
            th { background: #f3f3f3; } pre, .code { font-family: ui-monospace, monospace; font-size: 13px; white-space: pre-wrap; }
            .syntax { text-decoration: red wavy underline; background: #fdd; } .undefined { background: #fc6; border-bottom: 2px solid #c60; }
            .cut { color: #fff; background: #36c; padding: 0 2px; } .sample { border: 1px solid #ddd; padding: 6px; margin: 6px 0; background: #fafafa; }
            .guesses { display: flex; flex-wrap: wrap; font-family: ui-monospace, monospace; font-size: 12px; }
            .col { display: inline-flex; flex-direction: column; width: 1.4em; text-align: center; margin-bottom: 6px; }
            .col .ch { font-weight: bold; border-bottom: 1px solid #999; } .col span { height: 1.3em; }
            .cells span { font-family: ui-monospace, monospace; font-size: 13px; white-space: pre; }
            img { max-width: 100%; border: 1px solid #eee; }
            """);
        h.AppendLine("</style></head><body>");
        h.Append("<h1>").Append(E($"Evaluation of {r.Model}")).AppendLine("</h1>");
        h.Append("<p>").Append(E($"Checkpoint {r.Checkpoint}, corpus {r.Corpus} (id {r.CorpusId}), {r.CreatedUtc:yyyy-MM-dd HH:mm} UTC.")).AppendLine("</p>");
        h.Append("<p><b>").Append(E(Headline(r))).AppendLine("</b></p>");
        foreach (var (title, header, rows) in Tables(r))
        {
            h.Append("<h2>").Append(E(title)).AppendLine("</h2><table><tr>");
            foreach (var cell in header) h.Append("<th>").Append(E(cell)).Append("</th>");
            h.AppendLine("</tr>");
            foreach (var row in rows)
            {
                h.Append("<tr>");
                foreach (var cell in row) h.Append("<td>").Append(E(cell)).Append("</td>");
                h.AppendLine("</tr>");
            }
            h.AppendLine("</table>");
        }
        h.AppendLine("<h2>Plots</h2>");
        foreach (var png in files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)))
            h.Append("<p><img src=\"").Append(E(png)).Append("\" alt=\"").Append(E(png)).AppendLine("\"></p>");

        if (r.FreeRunning is null) h.Append("<h2>Free-running samples</h2><p>").Append(E(r.Scoring.NotMeasured ?? "")).AppendLine("</p>");
        else
        {
            h.Append("<h2>Free-running samples with the diagnostics of ").Append(E(r.Scoring.Scorer ?? "")).AppendLine("</h2>");
            h.AppendLine("<p><span class=\"syntax\">syntax error</span> (not counting the sample's cut-off end), <span class=\"undefined\">undefined identifier</span> (C# only), <span class=\"cut\">⟂</span> where the sample is cut before parsing. Hover for the parser's message. Invented: names the training split never uses.</p>");
            h.AppendLine("<table><tr><th>temperature</th><th>parses</th><th>syntax errors</th><th>undefined</th><th>invented</th><th>sample</th></tr>");
            foreach (var sample in r.FreeRunning.Samples.GroupBy(s => s.Temperature).SelectMany(g => g.Take(3)))
            {
                h.Append("<tr><td>").Append(F(sample.Temperature, "0.0#")).Append("</td><td>").Append(sample.Parses ? "yes" : "no")
                    .Append("</td><td>").Append(sample.RealSyntaxErrors)
                    .Append("</td><td>").Append(E(sample.UndefinedNames is { } undefined ? string.Join(", ", undefined.Select(n => n.Name).Distinct()) : "not measured"))
                    .Append("</td><td>").Append(E(string.Join(", ", sample.Invention?.Invented ?? [])))
                    .Append("</td><td><div class=\"sample code\">").Append(Highlight(sample)).AppendLine("</div></td></tr>");
            }
            h.AppendLine("</table>");
        }

        if (r.LineCompletion is not null) LineCompletionsHtml(h, r.LineCompletion);
        GuessesAndCellsHtml(h, r);
        h.AppendLine("</body></html>");
        return h.ToString();
    }

    private static void LineCompletionsHtml(StringBuilder h, LineCompletionResult lines)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        h.AppendLine("<h2>Line completions (model)</h2><table><tr><th>true line</th>");
        foreach (var strategy in Strategies.All) h.Append("<th>").Append(E(strategy)).Append("</th>");
        h.AppendLine("</tr>");
        foreach (var position in lines.Positions.Take(30))
        {
            h.Append("<tr><td class=\"code\">").Append(E(position.Position.TrueLine)).Append("</td>");
            foreach (var strategy in Strategies.All)
            {
                var o = position.Outcomes[strategy];
                var note = (o.ExactMatch ? "exact" : $"similarity {F(o.EditSimilarity, "0.00")}") + (!o.NonEmpty ? ", no code" : o.ParseOk ? "" : ", adds syntax errors")
                    + (o.UndefinedIntroduced.Count > 0 ? ", undefined: " + string.Join(", ", o.UndefinedIntroduced) : "");
                h.Append("<td class=\"code\" title=\"").Append(E(note)).Append("\"").Append(o.ExactMatch ? " style=\"background:#dfd\"" : !o.Clean ? " style=\"background:#fee\"" : "")
                    .Append('>').Append(E(o.Text)).Append("</td>");
            }
            h.AppendLine("</tr>");
        }
        h.AppendLine("</table>");
    }

    private static void GuessesAndCellsHtml(StringBuilder h, EvaluationReport r)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        h.AppendLine("<h2>The model's next-character guesses</h2><p>Under each character: the model's five likeliest guesses for the character after it, shaded by probability (as in “The Unreasonable Effectiveness of Recurrent Neural Networks”).</p><div class=\"guesses\">");
        foreach (var column in r.Guesses)
        {
            h.Append("<div class=\"col\"><span class=\"ch\">").Append(Visible(column.Character)).Append("</span>");
            foreach (var guess in column.Guesses)
                h.Append("<span style=\"background:rgba(200,30,30,").Append(F(guess.Probability, "0.00")).Append(")\" title=\"")
                    .Append(F(guess.Probability, "0.000")).Append("\">").Append(Visible(guess.Character)).Append("</span>");
            h.AppendLine("</div>");
        }
        h.AppendLine("</div>");

        h.AppendLine("<h2>Cells</h2><p>The text coloured by one cell's activation (tanh of the cell state: blue negative, red positive). Each is the best-ranked cell for a syntactic fact from Roslyn's syntax tree; see the table of cells above.</p>");
        var shown = Math.Min(r.CellText.Length, 1200);
        foreach (var trace in r.CellTraces)
        {
            h.Append("<h3>").Append(E(trace.Caption)).AppendLine("</h3><div class=\"sample cells\">");
            for (var i = 0; i < shown; i++)
            {
                var a = Math.Tanh(trace.Activations[i]);
                var color = a >= 0 ? $"rgba(220,40,40,{F(a, "0.00")})" : $"rgba(40,80,220,{F(-a, "0.00")})";
                var ch = r.CellText[i];
                h.Append("<span style=\"background:").Append(color).Append("\">").Append(ch == '\n' ? "↵\n" : E(ch.ToString())).Append("</span>");
            }
            h.AppendLine("</div>");
        }

        static string Visible(char c) => c switch { '\n' => "↵", ' ' => "␣", '\t' => "⇥", _ => E(c.ToString()) };
    }

    /// <summary>The sample's text with its syntax errors, undefined names and cut point marked up.</summary>
    private static string Highlight(SampleAnalysis sample)
    {
        var text = sample.Text;
        var kinds = new string?[text.Length];
        var titles = new string?[text.Length];
        foreach (var issue in sample.SyntaxErrors.Where(i => !i.OnlyCutOffAtEnd))
        {
            // Zero-width errors ("; expected") mark the character before them.
            var start = Math.Clamp(issue.Length == 0 ? issue.Position - 1 : issue.Position, 0, Math.Max(0, text.Length - 1));
            for (var i = start; i < Math.Min(text.Length, Math.Max(start + 1, issue.Position + issue.Length)); i++)
                (kinds[i], titles[i]) = ("syntax", $"{issue.Id}: {issue.Message}");
        }
        foreach (var name in sample.UndefinedNames ?? [])
            for (var i = name.Position; i < Math.Min(text.Length, name.Position + name.Length); i++)
                (kinds[i], titles[i]) = ("undefined", $"{name.Id}: {name.Message}");
        var html = new StringBuilder();
        for (var i = 0; i < text.Length;)
        {
            if (i == sample.RegionEnd && i > 0 || i == sample.RegionStart && i > 0)
                html.Append("<span class=\"cut\" title=\"cut here before parsing\">⟂</span>");
            var j = i;
            while (j < text.Length && kinds[j] == kinds[i] && titles[j] == titles[i] && (j == i || j != sample.RegionEnd && j != sample.RegionStart)) j++;
            var piece = WebUtility.HtmlEncode(text[i..j]);
            html.Append(kinds[i] is null ? piece : $"<span class=\"{kinds[i]}\" title=\"{WebUtility.HtmlEncode(titles[i]!)}\">{piece}</span>");
            i = j;
        }
        return html.ToString();
    }
}
