// The sweep report through the shared report model: a hand-made sweep of two points and an n-gram table, its whole
// report.md and its whole console table written out literally.
namespace CharRnnCode.Evaluation.Tests;

public sealed class SweepReportRenderingTests
{
    private static readonly SweepReportContext Context = new("/sweeps/demo", "/corpora/c", null, 5000, "Roslyn (C#)", 8, 0.8, 1);

    private static readonly IReadOnlyList<SweepPointResult> Points =
    [
        new(0, "p0", [("hidden", "8")], "lstm", 1, 8, 1234, 10, 1.5, 1.5, 0.5),
        new(1, "p1", [("hidden", "16")], "lstm", 1, 16, 4321, 10, 2.0, 1.2, null),
    ];

    private static readonly NGramOrderTable NGram = new("c", "test", 100, 5000,
        [new("kneser-ney", 1, 2.0, 2.885), new("kneser-ney", 2, 1.4, 2.02)],
        new Dictionary<string, NGramBestOrder> { ["kneser-ney"] = new(2, 1.4) });

    [Fact]
    public void The_markdown_has_the_papers_layout_the_baseline_and_every_point()
    {
        Assert.Equal("""
            # Sweep demo: test loss by cell, depth and size

            Corpus /corpora/c; every point and the n-gram measured on the same 5,000 characters of its test split, in nats per character. 2 finished point(s), 1 not finished (left out).

            ## Test loss, in the layout of Karpathy et al. (2015), Table 1

            | size | LSTM 1 layer |
            | --- | --- |
            | 8 | 1.500 |
            | 16 | 1.200 |

            N-gram baseline (interpolated modified Kneser-Ney, best order 2 of 1-2, trained on the train split): **1.400** nats/char (2.020 bits/char).

            ## Every point

            | # | hidden | parameters | steps | minutes | test nats/char | bits/char | parse rate |
            | --- | --- | --- | --- | --- | --- | --- | --- |
            | 0 | 8 | 1,234 | 10 | 1.5 | 1.500 | 2.164 | 50% |
            | 1 | 16 | 4,321 | 10 | 2.0 | 1.200 | 1.731 | not measured |

            Parse rate: 8 samples of each point at temperature 0.8, Roslyn (C#).

            ![test loss against parameter count](loss-by-parameters.png)


            """.ReplaceLineEndings("\n"), MarkdownRenderer.Render(SweepReport.Document(Context, Points, NGram)));
    }

    [Fact]
    public void The_console_table_has_a_row_per_point_and_the_ngram()
    {
        Assert.Equal("""
            finished points on the same test split
            #  model              parameters  steps  test bpc  parse rate
            -  -----------------  ----------  -----  --------  ----------
            0  lstm 1x8           1,234       10     2.164     50%
            1  lstm 1x16          4,321       10     1.731     -
               Kneser-Ney 2-gram                     2.020


            """.ReplaceLineEndings("\n"), ConsoleRenderer.Table(SweepReport.ConsoleTable(Points, NGram)));
    }
}
