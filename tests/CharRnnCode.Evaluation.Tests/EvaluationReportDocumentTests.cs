// One hand-made evaluation (a TypeScript corpus: no scorer, no line completion; a model, its n-gram and one
// compared checkpoint) through the evaluation's report model and every renderer: the console text `charrnn eval`
// prints, report.md, report.html and the console tables as JSON, each written out whole.
namespace CharRnnCode.Evaluation.Tests;

public sealed class EvaluationReportDocumentTests
{
    private static readonly double Ln2 = Math.Log(2);

    private static readonly EvaluationReport Report = new()
    {
        Checkpoint = "/runs/run-a/best.ckpt",
        Model = "lstm 1x8",
        Corpus = "/corpora/ts",
        CorpusId = "abc",
        CreatedUtc = new DateTime(2026, 1, 2, 3, 4, 0, DateTimeKind.Utc),
        Options = new EvaluationOptions { Temperatures = [0.5, 1.0] },
        ModelLoss = new LossMeasurement("lstm 1x8", 1000, Ln2),
        TrainingLoss = new TrainingLossCheck(100, 1.45, 1.449, 1.43, 500, 2, 16),
        VocabularyCoverage = 0.995,
        NGramLosses = [new NGramLoss(2, 2.1, 2.0)],
        NGramBestOrder = 2,
        TrainCurve = [],
        ValidationCurve = [],
        Scoring = new CodeScoring(["typescript"], null, null, false) { NotMeasured = "no scorer for typescript" },
        Contenders =
        [
            new Contender("model", ContenderKind.Model, "lstm 1x8", "/runs/run-a/best.ckpt", new LossMeasurement("lstm 1x8", 1000, Ln2), null, null),
            new Contender("2-gram", ContenderKind.NGram, "n-gram order 2", null, new LossMeasurement("n-gram order 2", 1000, 2 * Ln2), null, null),
            new Contender("gru 1x8 (run-b)", ContenderKind.Compared, "gru 1x8", "/runs/run-b/best.ckpt", new LossMeasurement("gru 1x8", 1000, 4 * Ln2), null, null),
        ],
        GuessText = "",
        Guesses = [],
        CellText = "",
        CellRankings = [new CellRanking("inside braces", 0, 3, 0.51)],
        Timings = [new Timing("model loss (test split)", 1.5)],
    };

    private static ReportDocument Document => EvaluationReportDocument.Build(Report, ["loss.png", "report.json"]);

    [Fact]
    public void The_console_shows_the_training_check_the_contenders_side_by_side_and_what_was_not_measured()
    {
        Assert.Equal(("""
            training's validation loss at step 100: 1.450 bpc; recomputed here the same way (500 characters of the validation split in 2 streams of
            """ + " 16-character windows, each stream from a zero state): 1.449 bpc (agrees within 0.01); the same text read as one stream from the start state: 1.430" +
                " bpc (the difference is the 2 cold starts). The reported loss is on the test split, read as one stream: another text." +
                "\n" + """
            no scorer for typescript

            the contenders on the same test split
            measure               model  2-gram  gru 1x8 (run-b)
            --------------------  -----  ------  ---------------
            test-split bits/char  1.000  2.000   4.000

            line completion: not measured (it is judged by Roslyn's binding, C# corpora only)

            """).ReplaceLineEndings("\n"), ConsoleRenderer.Render(Document));
    }

    [Fact]
    public void The_markdown_holds_every_table_and_the_plots()
    {
        Assert.Equal(("""
            # Evaluation of lstm 1x8

            Checkpoint `/runs/run-a/best.ckpt`, corpus `/corpora/ts` (id `abc`), 2026-01-02 03:04 UTC.

            lstm 1x8: 1.000 bits/char on the test split against 2.000 for the n-gram (order 2, chosen on validation); the vocabulary knows 99.5% of
            """ + " the corpus's characters. Free-running samples: no scorer for typescript. Line completion: not measured (C# corpora only)." +
                "\n" + """

            ## Bits per character on the test split (the n-gram order chosen on the validation split)

            | model | nats/char | bits/char | validation bits/char (selection only) | characters |
            | --- | --- | --- | --- | --- |
            | lstm 1x8 | 0.693 | 1.000 |  | 1,000 |
            | gru 1x8 (run-b) | 2.773 | 4.000 |  | 1,000 |
            | 2-gram (Kneser-Ney), chosen | 1.386 | 2.000 | 2.100 | 1,000 |

            ## Training's validation loss, checked

            | training log (bpc) | recomputed as training measures it (bpc) | agrees within 0.01 | same text as one stream (bpc) | explanation |
            | --- | --- | --- | --- | --- |
            | 1.450 | 1.449 | yes | 1.430 | training's validation loss at step 100: 1.450 bpc; recomputed here the same way (500 characters of the
            """ + " validation split in 2 streams of 16-character windows, each stream from a zero state): 1.449 bpc (agrees within 0.01); the same text read as one" +
                " stream from the start state: 1.430 bpc (the difference is the 2 cold starts). The reported loss is on the test split, read as one stream: another" +
                " text. |" +
                "\n" + """

            ## Free-running samples

            | not measured |
            | --- |
            | no scorer for typescript |

            ## Line completion

            | not measured |
            | --- |
            | line completion is judged by Roslyn's binding, so it runs on C# corpora only (this one is typescript) |

            ## Models compared (free-running at temperature 1.0; line completion greedy and re-ranked)

            | model | test bits/char | parse rate | undefined / 1k chars | invented names (distinct) | greedy exact | greedy parse-OK | re-ranked exact | re-ranked parse-OK |
            | --- | --- | --- | --- | --- | --- | --- | --- | --- |
            | lstm 1x8 | 1.000 | not measured | not measured | not measured | not measured | not measured | not measured | not measured |
            | gru 1x8 (run-b) | 4.000 | not measured | not measured | not measured | not measured | not measured | not measured | not measured |

            ## Cells that track syntax (Pearson r of activation with a fact from Roslyn's syntax tree, best 3 per fact)

            | fact | layer | cell | r |
            | --- | --- | --- | --- |
            | inside braces | 0 | 3 | +0.510 |

            ## Time per section

            | section | seconds |
            | --- | --- |
            | model loss (test split) | 1.5 |

            ## Plots

            ![loss.png](loss.png)


            """).ReplaceLineEndings("\n"), MarkdownRenderer.Render(Document));
    }

    [Fact]
    public void The_html_holds_the_same_tables_the_plots_and_the_pictures_only_html_draws()
    {
        Assert.Equal("""
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>Evaluation of lstm 1x8</title><style>
            """.ReplaceLineEndings("\n") + "\n" + ReportRendererTests.TemplateStyleRules + ("""
            </style></head><body>
            <h1>Evaluation of lstm 1x8</h1>
            <p>Checkpoint /runs/run-a/best.ckpt, corpus /corpora/ts (id abc), 2026-01-02 03:04 UTC.</p>
            <p><b>lstm 1x8: 1.000 bits/char on the test split against 2.000 for the n-gram (order 2, chosen on validation); the vocabulary knows
            """ + " 99.5% of the corpus&#39;s characters. Free-running samples: no scorer for typescript. Line completion: not measured (C# corpora only).</b></p>" +
                "\n" + """
            <h2>Bits per character on the test split (the n-gram order chosen on the validation split)</h2>
            <table><tr><th>model</th><th>nats/char</th><th>bits/char</th><th>validation bits/char (selection only)</th><th>characters</th></tr>
            <tr><td>lstm 1x8</td><td>0.693</td><td>1.000</td><td></td><td>1,000</td></tr>
            <tr><td>gru 1x8 (run-b)</td><td>2.773</td><td>4.000</td><td></td><td>1,000</td></tr>
            <tr><td>2-gram (Kneser-Ney), chosen</td><td>1.386</td><td>2.000</td><td>2.100</td><td>1,000</td></tr>
            </table>
            <h2>Training&#39;s validation loss, checked</h2>
            <table><tr><th>training log (bpc)</th><th>recomputed as training measures it (bpc)</th><th>agrees within 0.01</th><th>same text as one stream (bpc)</th><th>explanation</th></tr>
            <tr><td>1.450</td><td>1.449</td><td>yes</td><td>1.430</td><td>training&#39;s validation loss at step 100: 1.450 bpc; recomputed here the
            """ + " same way (500 characters of the validation split in 2 streams of 16-character windows, each stream from a zero state): 1.449 bpc (agrees within" +
                " 0.01); the same text read as one stream from the start state: 1.430 bpc (the difference is the 2 cold starts). The reported loss is on the test" +
                " split, read as one stream: another text.</td></tr>" +
                "\n" + """
            </table>
            <h2>Free-running samples</h2>
            <table><tr><th>not measured</th></tr>
            <tr><td>no scorer for typescript</td></tr>
            </table>
            <h2>Line completion</h2>
            <table><tr><th>not measured</th></tr>
            <tr><td>line completion is judged by Roslyn&#39;s binding, so it runs on C# corpora only (this one is typescript)</td></tr>
            </table>
            <h2>Models compared (free-running at temperature 1.0; line completion greedy and re-ranked)</h2>
            <table><tr><th>model</th><th>test bits/char</th><th>parse rate</th><th>undefined / 1k chars</th><th>invented names
            """ + " (distinct)</th><th>greedy exact</th><th>greedy parse-OK</th><th>re-ranked exact</th><th>re-ranked parse-OK</th></tr>" +
                "\n" + """
            <tr><td>lstm 1x8</td><td>1.000</td><td>not measured</td><td>not measured</td><td>not measured</td><td>not measured</td><td>not measured</td><td>not measured</td><td>not measured</td></tr>
            <tr><td>gru 1x8 (run-b)</td><td>4.000</td><td>not measured</td><td>not measured</td><td>not measured</td><td>not measured</td><td>not
            """ + " measured</td><td>not measured</td><td>not measured</td></tr>" +
                "\n" + """
            </table>
            <h2>Cells that track syntax (Pearson r of activation with a fact from Roslyn&#39;s syntax tree, best 3 per fact)</h2>
            <table><tr><th>fact</th><th>layer</th><th>cell</th><th>r</th></tr>
            <tr><td>inside braces</td><td>0</td><td>3</td><td>+0.510</td></tr>
            </table>
            <h2>Time per section</h2>
            <table><tr><th>section</th><th>seconds</th></tr>
            <tr><td>model loss (test split)</td><td>1.5</td></tr>
            </table>
            <h2>Plots</h2>
            <p><img src="loss.png" alt="loss.png"></p>
            <h2>Free-running samples</h2>
            <p>no scorer for typescript</p>
            <h2>The model's next-character guesses</h2><p>Under each character: the model's five likeliest guesses for the character after it, shaded
            """ + " by probability (as in “The Unreasonable Effectiveness of Recurrent Neural Networks”).</p><div class=\"guesses\">" +
                "\n" + """
            </div>
            <h2>Cells</h2><p>The text coloured by one cell's activation (tanh of the cell state: blue negative, red positive). Each is the
            """ + " best-ranked cell for a syntactic fact from Roslyn's syntax tree; see the table of cells above.</p>" +
                "\n" + """
            </body></html>

            """).ReplaceLineEndings("\n"), HtmlRenderer.Render(Document).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void The_json_gives_the_console_tables_as_values()
    {
        Assert.Equal("""[{"title":"the contenders on the same test split","columns":["measure","model","2-gram","gru 1x8 (run-b)"],"rows":[["test-split bits/char",1,2,4]]}]""",
            JsonRenderer.Tables(Document, ReportMedia.Console).ToJsonString());
    }

    [Fact]
    public void Report_json_keeps_the_keys_its_readers_know_and_adds_the_contenders()
    {
        var json = System.Text.Json.JsonSerializer.SerializeToNode(Report, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
        Assert.Null(json["freeRunning"]);
        Assert.Null(json["lineCompletion"]);
        Assert.Equal("/runs/run-b/best.ckpt", (string?)json["comparisons"]![0]!["checkpoint"]);
        Assert.Equal(4.0, (double)json["comparisons"]![0]!["testBpc"]!);
        Assert.Equal(["model", "2-gram", "gru 1x8 (run-b)"], json["contenders"]!.AsArray().Select(c => (string?)c!["name"]));
    }
}
