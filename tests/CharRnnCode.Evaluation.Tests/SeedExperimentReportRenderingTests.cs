// The seed experiment's report through the shared report model: two hand-made recurrent models, n-grams of two
// smoothings and a small evaluation report.json, and the whole report.md written out literally.
using System.Text.Json.Nodes;

namespace CharRnnCode.Evaluation.Tests;

public sealed class SeedExperimentReportRenderingTests
{
    [Fact]
    public void The_markdown_has_the_loss_table_the_margin_the_plots_the_samples_and_every_order()
    {
        IReadOnlyList<ExperimentModel> models =
        [
            new("lstm", "LSTM 1x8", 2, 1.9, 120, 1.5, 1.6, []),
            new("rnn", "RNN 1x8", 2, 2, 130, 1.7, 1.8, []),
        ];
        IReadOnlyList<ExperimentNGramRow> ngrams = [new("witten-bell", 1, 2.5), new("witten-bell", 20, 2.0), new("kneser-ney", 1, 2.4), new("kneser-ney", 20, 1.8)];
        var evaluation = JsonNode.Parse("""
            {
              "model": "LSTM 1x8",
              "nGramBestOrder": 20,
              "freeRunning": {
                "temperatures": [ { "temperature": 0.5, "samples": 2, "parseRate": 0.5, "parseRateInterval": { "low": 0, "high": 1 }, "syntaxErrorsPer1000": 12.5,
                                    "inventedDistinctShare": 0.25, "inventedOccurrenceShare": 0.2 } ],
                "samples": [ { "temperature": 0.5, "text": "int x;\n" } ]
              },
              "nGramFreeRunning": {
                "temperatures": [ { "temperature": 0.5, "samples": 2, "parseRate": 0, "parseRateInterval": { "low": 0, "high": 0 }, "syntaxErrorsPer1000": 40 } ]
              }
            }
            """);

        Assert.Equal("""
            # The seed experiment at CPU scale: Linux C, recurrent cells against n-grams

            Linux, 1 MB of C.

            ## Test-split loss (nats per character)

            | model | training | test loss (nats/char) | bits/char | paper (Karpathy et al. 2015, 6.2 M chars of Linux) |
            | --- | --- | --- | --- | --- |
            | LSTM 1x8 | 2 of 2 min, 120 steps | 1.600 | 2.308 | 0.84 (best LSTM, 3x512, GPU) |
            | RNN 1x8 | 2 of 2 min, 130 steps | 1.800 | 2.597 |  |
            | kneser-ney n-gram, best order 20 | counts | 1.800 | 2.597 |  |
            | witten-bell n-gram, best order 20 | counts | 2.000 | 2.885 |  |
            | witten-bell 20-gram | counts | 2.000 | 2.885 | 0.889 (20-gram) |
            | kneser-ney 20-gram | counts | 1.800 | 2.597 | 0.889 (20-gram) |

            LSTM against the best baseline (kneser-ney, order 20): **+11.1 % below** (target 5 %, the paper's margin 5.5 %): target met.

            ![validation loss against training time](loss-curves.png)

            ![test loss against n-gram order](ngram-orders.png)

            ## What the models write: parse rate and invented names by temperature

            | model | temperature | samples | parse rate [95 % interval] | syntax errors / 1k chars | invented names: distinct, occurrences |
            | --- | --- | --- | --- | --- | --- |
            | LSTM 1x8 | 0.5 | 2 | 50% [0, 100] | 12.5 | 25%, 20% |
            | n-gram order 20 | 0.5 | 2 | 0% [0, 0] | 40.0 |  |

            The first sample of the LSTM 1x8 at temperature 0.5 (not chosen):

            ```c
            int x;
            ```

            ## Every n-gram order (test split, nats per character)

            | order | witten-bell | kneser-ney |
            | --- | --- | --- |
            | 1 | 2.500 | 2.400 |
            | 20 | 2.000 | 1.800 |


            """.ReplaceLineEndings("\n"), MarkdownRenderer.Render(SeedExperimentReport.Document("Linux, 1 MB of C.", models, ngrams, evaluation)));
    }
}
