// The report model's renderers on one small hand-made report: each test writes out the whole output the renderer
// must give (console text, Markdown, HTML with its template, JSON), so any change of layout, escaping or number
// format shows here as a literal difference.
using CharRnnCode.Common;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Evaluation.Tests;

public sealed class ReportRendererTests
{
    private static readonly ReportDocument Demo = new("Evaluation of demo",
    [
        new ParagraphBlock("2.000 bits/char & more", Strong: true),
        new TableBlock(new ReportTable("Loss <per char>", ["model", "bits/char", "parse rate", "invented"],
        [
            ["lstm", Cells.Number(1.23456, NumberFormat.Thousandths), Cells.ShareInterval(new Estimate(0.42, 0.355, 0.485)),
                new PartsCell([Cells.Share(0.12), Cells.Share(0.06)])],
            ["3-gram", Cells.Number(-0.0001, NumberFormat.SignedThousandths), Cells.NotMeasured, new CodeCell("a|b", "exact", CodeMark.Exact)],
        ])),
        new ImagesBlock([new ReportImage("loss.png", "loss.png")]) { Media = ReportMedia.Documents },
        new CodeBlock("csharp", "int x;\n") { Media = ReportMedia.Documents },
        new HtmlBlock("<div>only html</div>"),
        new ParagraphBlock("console only") { Media = ReportMedia.Console },
    ]);

    /// <summary>The rules between the template's &lt;style&gt; and &lt;/style&gt; lines, read from ReportTemplate.html in the source tree: static
    /// text that every HTML report copies as it is. The tests write out everything the renderer puts around them.</summary>
    internal static readonly string TemplateStyleRules = ReadTemplateStyleRules();

    private static string ReadTemplateStyleRules()
    {
        var template = File.ReadAllText(Path.Combine(DotnetTools.RepositoryRoot(), "src", "CharRnnCode.Evaluation", "Reports", "ReportTemplate.html"))
            .ReplaceLineEndings("\n");
        var start = template.IndexOf("<style>\n", StringComparison.Ordinal) + "<style>\n".Length;
        return template[start..template.IndexOf("</style>", start, StringComparison.Ordinal)];
    }

    [Fact]
    public void The_console_shows_paragraphs_and_aligned_tables_only()
    {
        Assert.Equal("""
            2.000 bits/char & more

            Loss <per char>
            model   bits/char  parse rate          invented
            ------  ---------  ------------------  ------------
            lstm    1.235      42.0% [35.5, 48.5]  12.0% / 6.0%
            3-gram  +0.000     not measured        a|b

            console only

            """.ReplaceLineEndings("\n"), ConsoleRenderer.Render(Demo));
    }

    [Fact]
    public void Markdown_has_the_title_tables_under_their_headings_plots_and_code()
    {
        Assert.Equal("""
            # Evaluation of demo

            2.000 bits/char & more

            ## Loss <per char>

            | model | bits/char | parse rate | invented |
            | --- | --- | --- | --- |
            | lstm | 1.235 | 42.0% [35.5, 48.5] | 12.0% / 6.0% |
            | 3-gram | +0.000 | not measured | `a\|b` |

            ![loss.png](loss.png)

            ```csharp
            int x;
            ```


            """.ReplaceLineEndings("\n"), MarkdownRenderer.Render(Demo));
    }

    [Fact]
    public void Html_fills_the_template_and_escapes_every_text()
    {
        Assert.Equal("""
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>Evaluation of demo</title><style>
            """.ReplaceLineEndings("\n") + "\n" + TemplateStyleRules + """
            </style></head><body>
            <h1>Evaluation of demo</h1>
            <p><b>2.000 bits/char &amp; more</b></p>
            <h2>Loss &lt;per char&gt;</h2>
            <table><tr><th>model</th><th>bits/char</th><th>parse rate</th><th>invented</th></tr>
            <tr><td>lstm</td><td>1.235</td><td>42.0% [35.5, 48.5]</td><td>12.0% / 6.0%</td></tr>
            <tr><td>3-gram</td><td>+0.000</td><td>not measured</td><td class="code exact" title="exact">a|b</td></tr>
            </table>
            <p><img src="loss.png" alt="loss.png"></p>
            <pre class="code">int x;</pre>
            <div>only html</div>
            </body></html>

            """.ReplaceLineEndings("\n"), HtmlRenderer.Render(Demo).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Json_gives_every_table_with_numbers_intervals_and_parts_as_values()
    {
        Assert.Equal("""[{"title":"Loss \u003Cper char\u003E","columns":["model","bits/char","parse rate","invented"],"rows":[""" +
            """["lstm",1.23456,{"value":0.42,"low":0.355,"high":0.485},[0.12,0.06]],["3-gram",-0.0001,"not measured","a|b"]]}]""",
            JsonRenderer.Tables(Demo, ReportMedia.All).ToJsonString());
    }

    [Theory]
    [InlineData(0.0004, "+0.000")]
    [InlineData(-0.0004, "+0.000")]
    [InlineData(-0.012, "-0.012")]
    [InlineData(0.012, "+0.012")]
    public void A_signed_number_that_rounds_to_zero_reads_plus_zero(double value, string text) =>
        Assert.Equal(text, NumberFormat.SignedThousandths.Write(value));
}
