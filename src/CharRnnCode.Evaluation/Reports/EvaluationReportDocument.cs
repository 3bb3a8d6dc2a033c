// An evaluation as the report model: every table of report.md and report.html (loss, training's loss checked,
// free-running samples, typing, line completion and paired differences per contender, the contenders side by
// side, cells, timings), the headline, the plots, the samples and line completions (Markdown and HTML each their
// own way), the pictures only HTML can draw, and the compact tables `charrnn eval` prints. Every contender of the
// report gets the same tables, so a new one shows up everywhere at once. It measures nothing and writes no file.
using System.Globalization;
using System.Text;
using CharRnnCode.Common;

namespace CharRnnCode.Evaluation;

public static class EvaluationReportDocument
{
    private static readonly NumberFormat OneDecimalMean = NumberFormat.Tenths;

    /// <param name="files">the files written beside the report; its PNG plots are shown</param>
    public static ReportDocument Build(EvaluationReport r, IEnumerable<string> files)
    {
        var blocks = new List<ReportBlock>
        {
            new ParagraphBlock($"Checkpoint `{r.Checkpoint}`, corpus `{r.Corpus}` (id `{r.CorpusId}`), {r.CreatedUtc:yyyy-MM-dd HH:mm} UTC.") { Media = ReportMedia.Markdown },
            new ParagraphBlock($"Checkpoint {r.Checkpoint}, corpus {r.Corpus} (id {r.CorpusId}), {r.CreatedUtc:yyyy-MM-dd HH:mm} UTC.") { Media = ReportMedia.Html },
            new ParagraphBlock(Headline(r), Strong: true) { Media = ReportMedia.Documents },
            new ParagraphBlock(r.TrainingLoss.Explanation) { Media = ReportMedia.Console },
            new ParagraphBlock(r.Scoring.Scorer is { } scorer ? $"free-running samples scored by {scorer}" : r.Scoring.NotMeasured ?? "") { Media = ReportMedia.Console },
        };
        blocks.AddRange(Tables(r).Select(table => new TableBlock(table) { Media = ReportMedia.Documents }));
        blocks.AddRange(ConsoleBlocks(r));
        blocks.Add(new HeadingBlock("Plots") { Media = ReportMedia.Documents });
        blocks.Add(new ImagesBlock([.. files.Where(f => f.EndsWith(".png", StringComparison.Ordinal)).Select(png => new ReportImage(png, png))]) { Media = ReportMedia.Documents });
        blocks.AddRange(SampleBlocks(r));
        if (r.LineCompletion is { } lines) blocks.AddRange(LineCompletionBlocks(lines));
        blocks.Add(new HtmlBlock(GuessesHtml(r)));
        blocks.Add(new HtmlBlock(CellsHtml(r)));
        return new ReportDocument($"Evaluation of {r.Model}", blocks);
    }

    /// <summary>The contenders measured at every temperature and in every table of their own: all but the compared
    /// checkpoints, which appear side by side in "Models compared".</summary>
    private static IEnumerable<Contender> FullyMeasured(EvaluationReport r) => r.Contenders.Where(c => c.Kind != ContenderKind.Compared);

    /// <summary>The workspace cache (and dynamic evaluation) beside the network alone, each test file read from its start; null when not measured.</summary>
    private static ReportTable? WorkspaceCacheTable(EvaluationReport r) => r.WorkspaceCacheLosses.Count == 0 ? null :
        new ReportTable("Workspace cache: test bits per character, file by file, the training and validation splits as the workspace and the test file before each position as the document",
            ["model", "alone", "+ workspace cache", "the cache backing off onto the model", "mean cache weight", "characters"],
            [.. r.WorkspaceCacheLosses.Select(row => (ReportCell[])[row.Contender, Cells.Number(row.NetworkBitsPerCharacter, NumberFormat.Thousandths),
                Cells.Number(row.MixedBitsPerCharacter, NumberFormat.Thousandths), Cells.Number(row.CacheBitsPerCharacter, NumberFormat.Thousandths),
                Cells.Number(row.MeanCacheWeight, NumberFormat.Hundredths), Cells.Count(row.Characters)])]);

    private static IEnumerable<ReportTable> Tables(EvaluationReport r)
    {
        var characters = Cells.Count(r.ModelLoss.Characters);
        yield return new ReportTable("Bits per character on the test split (the n-gram order chosen on the validation split)",
            ["model", "nats/char", "bits/char", "validation bits/char (selection only)", "characters"],
            [
                .. r.Contenders.Where(c => c.Kind != ContenderKind.NGram).Select(c => (ReportCell[])[RowName(c),
                    Cells.Number(c.Loss.NatsPerCharacter, NumberFormat.Thousandths), Cells.Number(c.Loss.BitsPerCharacter, NumberFormat.Thousandths), "", Cells.Count(c.Loss.Characters)]),
                .. r.NGramLosses.Select(l => (ReportCell[])[$"{l.Order}-gram (Kneser-Ney){(l.Order == r.NGramBestOrder ? ", chosen" : "")}",
                    Cells.Number(l.BitsPerCharacter * Math.Log(2), NumberFormat.Thousandths), Cells.Number(l.BitsPerCharacter, NumberFormat.Thousandths),
                    Cells.Number(l.ValidationBitsPerCharacter, NumberFormat.Thousandths), characters]),
            ]);
        if (WorkspaceCacheTable(r) is { } cache) yield return cache;
        var check = r.TrainingLoss;
        yield return new ReportTable("Training's validation loss, checked",
            ["training log (bpc)", "recomputed as training measures it (bpc)", "agrees within 0.01", "same text as one stream (bpc)", "explanation"],
            [[check.TrainingLogBpc is double logged ? Cells.Number(logged, NumberFormat.Thousandths) : "not logged", Cells.Number(check.RecomputedBpc, NumberFormat.Thousandths),
              check.Agrees ? "yes" : "no", Cells.Number(check.OneStreamBpc, NumberFormat.Thousandths), check.Explanation]]);
        if (r.FreeRunning is null)
            yield return ReportTable.NotMeasured("Free-running samples", r.Scoring.NotMeasured ?? "no scorer");
        else
            foreach (var contender in FullyMeasured(r).Where(c => c.FreeRunning is not null))
                yield return new ReportTable($"Free-running samples, {contender.Name}: {r.Options.SamplesPerTemperature} samples of {r.Options.SampleLength} characters per temperature, scored by " +
                    $"{r.Scoring.Scorer}",
                    FreeRunningColumns(r.Scoring.BindsNames), [.. contender.FreeRunning!.Temperatures.Select(t => FreeRunningRow(t, r.Scoring.BindsNames))]);
        if (r.Typing is { } typing)
            yield return new ReportTable($"Typing replay: {typing.Lines} lines of the test split ({typing.Characters:N0} characters) typed keystroke by keystroke; ghost text with the server's " +
                $"defaults; [95 % interval over lines]",
                ["user", "keystrokes saved", "suggestions shown", "accepted", "of no use", "filler", "characters per acceptance", "first token right at line start",
                    "characters kept per line start", "latency p50 / p95 ms"],
                [
                    TypingRow("IntelliSense alone (Roslyn's completion list)", typing.IntelliSense, ghost: false),
                    .. typing.Contenders.SelectMany(c => new[] { TypingRow($"ghost text: {c.Name}", c.GhostText), TypingRow($"both: {c.Name} + IntelliSense", c.Combined) }),
                    .. typing.Sweep.Select(p => TypingRow($"ghost text: {typing.Contenders[0].Name}, {GateSetting(p)}", p.Figures)),
                ]);
        if (r.LineCompletion is null)
            yield return ReportTable.NotMeasured("Line completion", $"line completion is judged by Roslyn's binding, so it runs on C# corpora only (this one is " +
                $"{string.Join(" + ", r.Scoring.Languages)})");
        foreach (var contender in FullyMeasured(r))
        {
            if (contender.LineCompletion is not { } result) continue;
            yield return new ReportTable($"Line completion, {contender.Name}: {result.Positions.Count} positions in held-out files, K = {result.Options.K} at temperature " +
                $"{NumberFormat.Temperature.Write(result.Options.Temperature)}; 95 % bootstrap intervals",
                ["strategy", "non-empty", "exact match", "edit similarity", "parse-OK", "undefined names / completion", "undefined names / identifier written", "clean"],
                [.. result.Summary.Select(s => (ReportCell[])[s.Strategy, Cells.ShareInterval(s.NonEmpty), Cells.ShareInterval(s.ExactMatch),
                    Cells.Interval(s.EditSimilarity, NumberFormat.Thousandths), Cells.ShareInterval(s.ParseOk), Cells.Interval(s.UndefinedPerCompletion, NumberFormat.Hundredths),
                    Cells.Interval(s.UndefinedPerIdentifier, NumberFormat.Thousandths), Cells.ShareInterval(s.Clean)])]);
            foreach (var paired in result.Paired)
                yield return new ReportTable($"Paired, {contender.Name}: {paired.Strategy} minus {paired.Baseline} on the same {result.Positions.Count} positions (ranking: {result.Ranking})",
                    ["measure", "difference [95 % interval]", "verdict"],
                    [.. paired.Differences.Select(d => (ReportCell[])[d.Measure, Cells.Interval(d.Difference, NumberFormat.SignedThousandths), d.Verdict])]);
        }
        if (r.Contenders.Any(c => c.Kind == ContenderKind.Compared))
        {
            var middle = MiddleTemperature(r);
            yield return new ReportTable($"Models compared (free-running at temperature {NumberFormat.Temperature.Write(middle)}; line completion greedy and re-ranked)",
                ["model", "test bits/char", "parse rate", "undefined / 1k chars", "invented names (distinct)", "greedy exact", "greedy parse-OK", "re-ranked exact", "re-ranked parse-OK"],
                [.. r.Contenders.Where(c => c.Kind != ContenderKind.NGram).Select(c => (ReportCell[])[RowName(c),
                    Cells.Number(c.Loss.BitsPerCharacter, NumberFormat.Thousandths), .. ComparedFreeRunning(At(c, middle)), .. ComparedLineCells(c.LineCompletion?.Summary ?? [])])]);
        }
        yield return new ReportTable("Cells that track syntax (Pearson r of activation with a fact from Roslyn's syntax tree, best 3 per fact)",
            ["fact", "layer", "cell", "r"],
            [.. r.CellRankings.Select(c => (ReportCell[])[c.Fact, Cells.Count(c.Layer), Cells.Count(c.Cell), Cells.Number(c.Correlation, NumberFormat.SignedThousandths)])]);
        yield return new ReportTable("Time per section", ["section", "seconds"],
            [.. r.Timings.Select(t => (ReportCell[])[t.Section, Cells.Number(t.Seconds, NumberFormat.Tenths)])]);
    }

    /// <summary>A contender as a row of a table: the model by its description (as the report's title has it), others by name.</summary>
    private static string RowName(Contender contender) => contender.Kind == ContenderKind.Model ? contender.Description : contender.Name;

    private static double MiddleTemperature(EvaluationReport r) => r.Options.Temperatures[r.Options.Temperatures.Count / 2];

    /// <summary>The contender's free-running summary at temperature <paramref name="temperature"/>, if it sampled there.</summary>
    private static TemperatureSummary? At(Contender contender, double temperature) =>
        contender.FreeRunning?.Temperatures.FirstOrDefault(t => t.Temperature == temperature);

    private static string GateSetting(Typing.TypingSweepPoint point) =>
        $"minConfidence {point.MinConfidence.ToString("0.###", CultureInfo.InvariantCulture)}, stopAgreement " +
            $"{point.StopAgreement.ToString("0.###", CultureInfo.InvariantCulture)}{(point.IsDefault ? " (default)" : "")}";

    /// <param name="ghost">false for the completion list alone, which has no line-start ghost text to judge</param>
    private static ReportCell[] TypingRow(string user, Typing.TypingFigures f, bool ghost = true) =>
        [user, Cells.ShareInterval(f.KeystrokesSavedInterval), Cells.Count(f.SuggestionsShown), Cells.ShareInterval(f.AcceptRateInterval), Cells.ShareInterval(f.WrongShownShareInterval),
         ghost ? Cells.ShareInterval(f.FillerShownShare) : "n/a", Cells.Interval(f.CharsPerAcceptanceInterval, OneDecimalMean), ghost ? Cells.ShareInterval(f.FirstTokenAccuracyInterval) : "n/a",
         ghost ? Cells.Number(f.CharsKeptPerLineStart, NumberFormat.Hundredths) : "n/a",
         new PartsCell([Cells.Number(f.LatencyP50Ms, NumberFormat.Tenths), Cells.Number(f.LatencyP95Ms, NumberFormat.Tenths)])];

    private static string[] FreeRunningColumns(bool bindsNames) =>
    [
        "temperature", "parse rate [95 % interval]", "no error before the cut-off end", "syntax errors / 1k chars",
        .. bindsNames ? (string[])["undefined identifiers / 1k chars"] : [], "invented names: distinct / occurrences", "brackets balanced", "share kept by the cut",
        .. bindsNames ? (string[])["most frequent undefined names"] : [], "most frequent invented names (samples)",
    ];

    private static ReportCell[] FreeRunningRow(TemperatureSummary t, bool bindsNames) =>
    [
        Cells.Number(t.Temperature, NumberFormat.Temperature), Cells.ShareInterval(t.ParseRateInterval), Cells.Share(t.ParseToEndRate), Cells.Number(t.SyntaxErrorsPer1000, NumberFormat.Hundredths),
        .. bindsNames ? (ReportCell[])[Cells.Number(t.UndefinedPer1000 ?? double.NaN, NumberFormat.Hundredths)] : [], Invented(t), Cells.Share(t.BracketBalanceRate), Cells.Share(t.CutShare),
        .. bindsNames ? (ReportCell[])[string.Join(", ", (t.CommonUndefinedNames ?? []).Take(5))] : [], string.Join(", ", t.CommonInventedNames.Take(5)),
    ];

    /// <summary>"12.0% / 6.0%": invented names as a share of distinct names and of uses; "not measured" without a training split.</summary>
    private static ReportCell Invented(TemperatureSummary t) =>
        t.InventedDistinctShare is double distinct && t.InventedOccurrenceShare is double uses ? new PartsCell([Cells.Share(distinct), Cells.Share(uses)]) : Cells.NotMeasured;

    private static ReportCell[] ComparedFreeRunning(TemperatureSummary? t) => t is null ? [Cells.NotMeasured, Cells.NotMeasured, Cells.NotMeasured]
        : [Cells.Share(t.ParseRate), Cells.Optional(t.UndefinedPer1000, NumberFormat.Hundredths), Cells.Optional(t.InventedDistinctShare, NumberFormat.Share)];

    private static ReportCell[] ComparedLineCells(IReadOnlyList<StrategySummary> summary)
    {
        if (summary.Count == 0) return [Cells.NotMeasured, Cells.NotMeasured, Cells.NotMeasured, Cells.NotMeasured];
        var greedy = summary.Single(s => s.Strategy == Strategies.Greedy);
        var roslyn = summary.Single(s => s.Strategy == Strategies.Roslyn);
        return [Cells.ShareInterval(greedy.ExactMatch), Cells.ShareInterval(greedy.ParseOk), Cells.ShareInterval(roslyn.ExactMatch), Cells.ShareInterval(roslyn.ParseOk)];
    }

    private static string Headline(EvaluationReport r)
    {
        static string Share(Estimate e) => Cells.ShareInterval(e).Text;
        static string Mean(double value, NumberFormat format) => format.Write(value);
        var loss = $"{r.Model}: {Mean(r.ModelLoss.BitsPerCharacter, NumberFormat.Thousandths)} bits/char on the test split against {Mean(r.NGramBestBpc, NumberFormat.Thousandths)} for the n-gram " +
            $"(order {r.NGramBestOrder}, chosen on validation); the vocabulary knows {Cells.Share(r.VocabularyCoverage).Text} of the corpus's characters. ";
        var free = r.FreeRunning?.Temperatures.MaxBy(t => t.ParseRate) is not { } best ? $"Free-running samples: {r.Scoring.NotMeasured}. "
            : $"Free-running samples ({r.Scoring.Scorer}) parse {Share(best.ParseRateInterval)} of the time at temperature {Mean(best.Temperature, NumberFormat.Temperature)}" +
              (best.UndefinedPer1000 is double undefined ? $" with {Mean(undefined, NumberFormat.Hundredths)} undefined identifiers per 1,000 characters" : "") +
              $"; invented names (never in the training split) there: {Invented(best).Text} of distinct names / of uses. ";
        var typed = r.Typing is not { Contenders: [var first, ..] } typing ? ""
            : $"Typing {typing.Lines} test-split lines keystroke by keystroke, ghost text saves {Share(first.GhostText.KeystrokesSavedInterval)} of keystrokes " +
              $"({Share(first.GhostText.AcceptRateInterval)} of {first.GhostText.SuggestionsShown} suggestions accepted), IntelliSense alone {Share(typing.IntelliSense.KeystrokesSavedInterval)}, " +
              $"both {Share(first.Combined.KeystrokesSavedInterval)}. ";
        free += typed;
        if (r.LineCompletion is null) return loss + free + "Line completion: not measured (C# corpora only).";
        var summary = r.LineCompletion.Summary.ToDictionary(s => s.Strategy);
        var clean = r.LineCompletion.RerankedAgainstLikelihood.Differences.Single(d => d.Measure == "clean");
        return loss + free + $"Line completion ({r.LineCompletion.Positions.Count} positions): " +
            $"greedy {Share(summary[Strategies.Greedy].Clean)} clean; best of {r.Options.K} by likelihood {Share(summary[Strategies.Likelihood].Clean)} clean; re-ranked " +
                $"({r.LineCompletion.Ranking}) " +
            $"{Share(summary[Strategies.Roslyn].Clean)} clean: re-ranked minus likelihood {Cells.Interval(clean.Difference, NumberFormat.SignedThousandths).Text}, {clean.Verdict}; " +
            $"constrained by Roslyn while generated, then re-ranked (the server's default) {Share(summary[Strategies.Constrained].Clean)} clean.";
    }

    /// <summary>What `charrnn eval` prints: every contender side by side (loss, and per temperature the parse rate and
    /// invented names), each fully measured contender's line completion by strategy with its paired differences, and the typing replay.</summary>
    private static IEnumerable<ReportBlock> ConsoleBlocks(EvaluationReport r)
    {
        var measures = r.Scoring.BindsNames ? "parse % [95 %], undefined/1k" : "parse % [95 %]";
        var rows = new List<IReadOnlyList<ReportCell>> { (ReportCell[])["test-split bits/char", .. r.Contenders.Select(c => Cells.Number(c.Loss.BitsPerCharacter, NumberFormat.Thousandths))] };
        if (r.FreeRunning is not null)
            foreach (var temperature in r.Options.Temperatures)
            {
                var at = r.Contenders.Select(c => At(c, temperature)).ToList();
                var label = $"T={NumberFormat.Temperature.Write(temperature)}";
                rows.Add([$"{label}: {measures}", .. at.Select(t => t is null ? (ReportCell)"" : t.UndefinedPer1000 is double undefined
                    ? new PartsCell([Cells.ShareInterval(t.ParseRateInterval), Cells.Number(undefined, NumberFormat.Tenths)], ", ") : Cells.ShareInterval(t.ParseRateInterval))]);
                rows.Add([$"{label}: invented names, distinct / uses", .. at.Select(t => t is null ? (ReportCell)"" : Invented(t))]);
            }
        yield return new TableBlock(new ReportTable("the contenders on the same test split", ["measure", .. r.Contenders.Select(c => c.Name)], rows)) { Media = ReportMedia.Console };
        if (WorkspaceCacheTable(r) is { } cache) yield return new TableBlock(cache) { Media = ReportMedia.Console };
        if (r.LineCompletion is null)
            yield return new ParagraphBlock("line completion: not measured (it is judged by Roslyn's binding, C# corpora only)") { Media = ReportMedia.Console };
        foreach (var contender in FullyMeasured(r))
            if (contender.LineCompletion is { } result)
                foreach (var block in ConsoleLineCompletion(result, contender.Name)) yield return block with { Media = ReportMedia.Console };
        if (r.Typing is { } typing)
        {
            ReportCell[] Row(string user, Typing.TypingFigures f, bool ghost) => [user, Cells.ShareInterval(f.KeystrokesSavedInterval), Cells.ShareInterval(f.AcceptRateInterval),
                Cells.ShareInterval(f.WrongShownShareInterval), ghost ? Cells.ShareInterval(f.FirstTokenAccuracyInterval) : ""];
            yield return new TableBlock(new ReportTable($"typing {typing.Lines} test-split lines ({typing.Characters:N0} characters); [95 % interval]",
                ["user", "keystrokes saved", "accepted", "no use", "first token"],
                [
                    Row("IntelliSense alone", typing.IntelliSense, false),
                    .. typing.Contenders.SelectMany(c => new[] { Row($"ghost text: {c.Name}", c.GhostText, true), Row($"both: {c.Name}", c.Combined, true) }),
                    .. typing.Sweep.Select(p => Row($"ghost text at {GateSetting(p)}", p.Figures, true)),
                ]))
            { Media = ReportMedia.Console };
        }
    }

    /// <summary>Every line measure (rows) by strategy (columns) with its 95 % interval, then the paired differences.</summary>
    private static IEnumerable<ReportBlock> ConsoleLineCompletion(LineCompletionResult result, string name)
    {
        // The upper bound (best of K by similarity) is in report.md.
        var columns = new[] { Strategies.Greedy, Strategies.Likelihood, Strategies.Roslyn, Strategies.ConstrainedOnly, Strategies.Constrained }
            .Select(strategy => result.Summary.Single(s => s.Strategy == strategy)).ToList();
        ReportCell[] Row(string measure, Func<StrategySummary, Estimate> value, NumberFormat format) =>
            [measure, .. columns.Select(column => Cells.Interval(value(column), format))];
        yield return new TableBlock(new ReportTable($"line completion, {name}: {result.Positions.Count} positions, K = {result.Options.K}; [95 % interval]",
            ["measure", "greedy", "likelihood", "re-ranked", "constrained", "constrained, re-ranked"],
            [
                Row("non-empty", s => s.NonEmpty, NumberFormat.Share),
                Row("exact", s => s.ExactMatch, NumberFormat.Share),
                Row("edit similarity", s => s.EditSimilarity, NumberFormat.Hundredths),
                Row("parse-OK", s => s.ParseOk, NumberFormat.Share),
                Row("undefined / completion", s => s.UndefinedPerCompletion, NumberFormat.Hundredths),
                Row("undefined / identifier", s => s.UndefinedPerIdentifier, NumberFormat.Hundredths),
                Row("clean", s => s.Clean, NumberFormat.Share),
            ]));
        yield return new ParagraphBlock($"{name}: ranking {result.Ranking}; likelihood = best of K by log p per character; constrained = K samples steered by Roslyn as they are generated, the best " +
            $"by likelihood; constrained, re-ranked = the same samples re-ranked (the server's default)");
        foreach (var paired in result.Paired)
            yield return new ParagraphBlock($"{paired.Strategy} minus {paired.Baseline}, same positions:\n" + string.Join("\n",
                paired.Differences.Select(d => $"  {d.Measure}: {Cells.Interval(d.Difference, NumberFormat.SignedThousandths).Text} {d.Verdict}")));
    }

    /// <summary>Markdown: one sample per temperature in a code fence; HTML: three per temperature with their diagnostics marked.</summary>
    private static IEnumerable<ReportBlock> SampleBlocks(EvaluationReport r)
    {
        if (r.FreeRunning is null)
        {
            yield return new HeadingBlock("Free-running samples") { Media = ReportMedia.Html };
            yield return new ParagraphBlock(r.Scoring.NotMeasured ?? "") { Media = ReportMedia.Html };
            yield break;
        }
        yield return new HeadingBlock("Samples (model, one per temperature; the parsed region lies between the ⟂ marks, or before the only one)") { Media = ReportMedia.Markdown };
        foreach (var sample in r.FreeRunning.Samples.GroupBy(s => s.Temperature).Select(g => g.First()))
        {
            yield return new ParagraphBlock($"Temperature {NumberFormat.Temperature.Write(sample.Temperature)}: {(sample.Parses ? "parses" : "does not parse")}, " +
                $"{sample.RealSyntaxErrors} syntax errors{Names(sample)}")
            { Media = ReportMedia.Markdown };
            yield return new CodeBlock(r.Scoring.Language == "c" ? "c" : "csharp",
                sample.Text.Insert(sample.RegionEnd, "⟂").Insert(sample.RegionStart, sample.RegionStart > 0 ? "⟂" : ""))
            { Media = ReportMedia.Markdown };
        }
        var html = new StringBuilder();
        html.Append("<h2>Free-running samples with the diagnostics of ").Append(HtmlRenderer.Encode(r.Scoring.Scorer ?? "")).Append("</h2>\n");
        html.Append("<p><span class=\"syntax\">syntax error</span> (not counting the sample's cut-off end), <span class=\"undefined\">undefined identifier</span> (C# only), <span " +
            "class=\"cut\">⟂</span> where the sample is cut before parsing. Hover for the parser's message. Invented: names the training split never uses.</p>\n");
        html.Append("<table><tr><th>temperature</th><th>parses</th><th>syntax errors</th><th>undefined</th><th>invented</th><th>sample</th></tr>\n");
        foreach (var sample in r.FreeRunning.Samples.GroupBy(s => s.Temperature).SelectMany(g => g.Take(3)))
            html.Append("<tr><td>").Append(NumberFormat.Temperature.Write(sample.Temperature)).Append("</td><td>").Append(sample.Parses ? "yes" : "no")
                .Append("</td><td>").Append(sample.RealSyntaxErrors)
                .Append("</td><td>").Append(HtmlRenderer.Encode(sample.UndefinedNames is { } undefined ? string.Join(", ", undefined.Select(n => n.Name).Distinct()) : "not measured"))
                .Append("</td><td>").Append(HtmlRenderer.Encode(string.Join(", ", sample.Invention?.Invented ?? [])))
                .Append("</td><td><div class=\"sample code\">").Append(Highlight(sample)).Append("</div></td></tr>\n");
        yield return new HtmlBlock(html.Append("</table>").ToString());
    }

    /// <summary>", undefined: a, b; invented: c" for what was measured.</summary>
    private static string Names(SampleAnalysis sample)
    {
        static string List(IEnumerable<string> names) => string.Join(", ", names.Distinct()) is { Length: > 0 } list ? list : "none";
        return (sample.UndefinedNames is { } undefined ? $", undefined: {List(undefined.Select(n => n.Name))}" : "")
            + (sample.Invention is { } invention ? $", invented: {List(invention.Invented)}" : "");
    }

    /// <summary>Markdown: the first 12 positions, one column per main strategy; HTML: the first 30, every strategy,
    /// each completion marked exact or flawed with its judgement on hover.</summary>
    private static IEnumerable<ReportBlock> LineCompletionBlocks(LineCompletionResult lines)
    {
        yield return new TableBlock(new ReportTable("Line completions (model, first 12 positions)",
            ["true line", "greedy", "best of K by likelihood", "re-ranked by Roslyn", "constrained, re-ranked"],
            [.. lines.Positions.Take(12).Select(p => (ReportCell[])[new CodeCell(p.Position.TrueLine),
                .. new[] { Strategies.Greedy, Strategies.Likelihood, Strategies.Roslyn, Strategies.Constrained }.Select(s => new CodeCell(p.Outcomes[s].Text))])]))
        { Media = ReportMedia.Markdown };
        yield return new TableBlock(new ReportTable("Line completions (model)", ["true line", .. Strategies.All],
            [.. lines.Positions.Take(30).Select(p => (ReportCell[])[new CodeCell(p.Position.TrueLine), .. Strategies.All.Select(s => Judged(p.Outcomes[s]))])]))
        { Media = ReportMedia.Html };
    }

    private static CodeCell Judged(CompletionOutcome o) => new(o.Text,
        (o.ExactMatch ? "exact" : $"similarity {NumberFormat.Hundredths.Write(o.EditSimilarity)}") + (!o.NonEmpty ? ", no code" : o.ParseOk ? "" : ", adds syntax errors")
            + (o.UndefinedIntroduced.Count > 0 ? ", undefined: " + string.Join(", ", o.UndefinedIntroduced) : ""),
        o.ExactMatch ? CodeMark.Exact : !o.Clean ? CodeMark.Flawed : CodeMark.None);

    private static string GuessesHtml(EvaluationReport r)
    {
        var h = new StringBuilder();
        h.Append("<h2>The model's next-character guesses</h2><p>Under each character: the model's five likeliest guesses for the character after it, shaded by probability (as in “The Unreasonable " +
            "Effectiveness of Recurrent Neural Networks”).</p><div class=\"guesses\">\n");
        foreach (var column in r.Guesses)
        {
            h.Append("<div class=\"col\"><span class=\"ch\">").Append(Visible(column.Character)).Append("</span>");
            foreach (var guess in column.Guesses)
                h.Append("<span style=\"background:rgba(200,30,30,").Append(NumberFormat.Hundredths.Write(guess.Probability)).Append(")\" title=\"")
                    .Append(NumberFormat.Thousandths.Write(guess.Probability)).Append("\">").Append(Visible(guess.Character)).Append("</span>");
            h.Append("</div>\n");
        }
        return h.Append("</div>").ToString();

        static string Visible(char c) => c switch { '\n' => "↵", ' ' => "␣", '\t' => "⇥", _ => HtmlRenderer.Encode(c.ToString()) };
    }

    private static string CellsHtml(EvaluationReport r)
    {
        var h = new StringBuilder();
        h.Append("<h2>Cells</h2><p>The text coloured by one cell's activation (tanh of the cell state: blue negative, red positive). Each is the best-ranked cell for a syntactic fact from Roslyn's " +
            "syntax tree; see the table of cells above.</p>");
        var shown = Math.Min(r.CellText.Length, 1200);
        foreach (var trace in r.CellTraces)
        {
            h.Append("\n<h3>").Append(HtmlRenderer.Encode(trace.Caption)).Append("</h3><div class=\"sample cells\">\n");
            for (var i = 0; i < shown; i++)
            {
                var a = Math.Tanh(trace.Activations[i]);
                var color = a >= 0 ? $"rgba(220,40,40,{NumberFormat.Hundredths.Write(a)})" : $"rgba(40,80,220,{NumberFormat.Hundredths.Write(-a)})";
                var ch = r.CellText[i];
                h.Append("<span style=\"background:").Append(color).Append("\">").Append(ch == '\n' ? "↵\n" : HtmlRenderer.Encode(ch.ToString())).Append("</span>");
            }
            h.Append("\n</div>");
        }
        return h.ToString();
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
            var piece = HtmlRenderer.Encode(text[i..j]);
            html.Append(kinds[i] is null ? piece : $"<span class=\"{kinds[i]}\" title=\"{HtmlRenderer.Encode(titles[i]!)}\">{piece}</span>");
            i = j;
        }
        return html.ToString();
    }
}
