// Evaluation follows the corpus's language: a small C corpus is scored by libclang (parse rate and invented
// names, no undefined names, no line completion), a TypeScript one by nothing, and the report says so.
// Both reuse the shared tiny C# model (SharedTinyModel; its vocabulary does not cover them, hence --allow-unknown-chars).
using System.Text.Json.Nodes;
using CharRnnCode.Cli;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Evaluation.Tests;

public sealed class LanguageScoringTests
{
    private static readonly EvaluationOptions Small = new()
    {
        SamplesPerTemperature = 2, SampleLength = 80, Temperatures = [0.5, 1.0], Positions = 2, K = 2, MaxLineChars = 20,
        MaxLossChars = 2000, NGramOrder = 4, CellTextChars = 200, GuessTextChars = 20,
    };

    private static string CFile(int i) => $$"""
        #include <linux/slab.h>

        static int demo_count{{i}};

        static int __init demo_init{{i}}(struct device *dev, u32 flags)
        {
        	struct demo_priv *priv = kmalloc(sizeof(*priv), GFP_KERNEL);

        	if (!priv)
        		return -ENOMEM;
        	priv->flags = flags + {{i}};
        	demo_count{{i}}++;
        	return 0;
        }

        """;

    [Fact]
    public void A_c_corpus_is_scored_by_libclang_with_parse_rate_and_invented_names_only()
    {
        var root = TemporaryFolders.Create("c-corpus");
        var corpus = TinyModelCorpus.HarvestedCorpus(root, Enumerable.Range(0, 10).Select(i => ($"drivers/demo{i}.c", CFile(i))));
        var report = Evaluator.Run(
            new EvaluationRequest(SharedTinyModel.Files.BestCheckpoint, CorpusInputs.ForEvaluation(corpus), Small) { Device = "cpu", AllowUnknownCharacters = true },
            new NoProgress());
        var output = Path.Combine(root, "report");
        ReportWriter.Write(report, output);

        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!;
        var scoring = json["scoring"]!;
        Assert.Equal("c", (string?)scoring["language"]);
        Assert.Contains("libclang", (string?)scoring["scorer"]);
        Assert.EndsWith("(C)", (string?)scoring["scorer"]);
        Assert.False((bool)scoring["bindsNames"]!);
        Assert.True((int)scoring["trainingNames"]! > 0);
        foreach (var run in new[] { json["freeRunning"]!, json["nGramFreeRunning"]! })
        {
            Assert.All(run["temperatures"]!.AsArray(), t =>
            {
                Assert.InRange((double)t!["parseRate"]!, 0, 1);
                Assert.InRange((double)t["inventedDistinctShare"]!, 0, 1);
                Assert.InRange((double)t["inventedOccurrenceShare"]!, 0, 1);
            });
            Assert.DoesNotContain("undefined", run.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        }
        Assert.Null(json["lineCompletion"]);
        Assert.Contains("not measured", File.ReadAllText(Path.Combine(output, "report.md")));
        Assert.Equal(["invented.png", "loss.png", "model-vs-ngram.png", "parse-rate.png", "report.html", "report.json", "report.md"],
            Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_typescript_corpus_has_no_scorer_and_the_report_says_so()
    {
        var root = TemporaryFolders.Create("ts-corpus");
        string[] nouns = ["order", "invoice", "customer", "parcel", "route", "ticket", "shelf", "meter", "label", "crate"];
        var corpus = TinyModelCorpus.HarvestedCorpus(root, nouns.Select((noun, i) => ($"src/{noun}.ts",
            $"// {noun} helpers, set {i}\nexport interface {noun}Line {{ {noun}Id: string; amount{i}: number; }}\n\n" +
            $"export function total{noun}(lines: {noun}Line[]): number {{\n  return lines.filter(l => l.amount{i} > {i * 7}).reduce((sum, l) => sum + l.amount{i}, 0);\n}}\n")));
        var report = Evaluator.Run(
            new EvaluationRequest(SharedTinyModel.Files.BestCheckpoint, CorpusInputs.ForEvaluation(corpus), Small) { Device = "cpu", AllowUnknownCharacters = true },
            new NoProgress());

        Assert.Equal(["typescript"], report.Scoring.Languages);
        Assert.Null(report.Scoring.Scorer);
        Assert.StartsWith("no scorer for typescript: parse rate", report.Scoring.NotMeasured);
        Assert.Null(report.FreeRunning);
        Assert.Null(report.LineCompletion);
        Assert.Contains(report.Scoring.NotMeasured!, ReportWriter.Markdown(report, []));
    }

    private sealed class NoProgress : IStageProgress
    {
        public IProgress<double> Stage(string name, double total) => new Progress<double>();
    }
}
