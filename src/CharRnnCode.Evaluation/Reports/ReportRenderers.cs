// Draws a ReportDocument (or one ReportTable) as console text, Markdown, HTML (ReportTemplate.html, with its CSS, an
// embedded resource of this assembly) or JSON. Every report of the project goes through these; they decide
// layout and escaping only, never what a report holds, and they write no file.
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace CharRnnCode.Evaluation;

/// <summary>Plain text for a terminal: headings and paragraphs as lines, tables as aligned columns with a blank line around them.</summary>
public static class ConsoleRenderer
{
    public static string Render(ReportDocument document)
    {
        var text = new StringBuilder();
        foreach (var block in document.For(ReportMedia.Console))
            switch (block)
            {
                case HeadingBlock heading: text.Append(heading.Text).Append('\n'); break;
                case ParagraphBlock paragraph: text.Append(paragraph.Text).Append('\n'); break;
                case TableBlock table:
                    // A table stands apart from the lines before it, as it does from those after it.
                    if (text.Length > 0 && !text.ToString().EndsWith("\n\n", StringComparison.Ordinal)) text.Append('\n');
                    text.Append(Table(table.Table));
                    break;
                case CodeBlock code: text.Append(code.Code.TrimEnd()).Append('\n'); break;
            }
        return text.ToString();
    }

    /// <summary>The title, then the columns padded to their widest cell, two spaces apart, under a rule.</summary>
    public static string Table(ReportTable table)
    {
        var rows = table.Rows.Select(row => row.Select(cell => cell.Text.ReplaceLineEndings(" ")).ToList()).ToList();
        var widths = table.Columns.Select((column, i) => rows.Select(row => row[i].Length).Append(column.Length).Max()).ToList();
        var text = new StringBuilder().Append(table.Title).Append('\n');
        void Line(IEnumerable<string> cells) => text.Append(string.Join("  ", cells.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        Line(table.Columns);
        Line(widths.Select(width => new string('-', width)));
        foreach (var row in rows) Line(row);
        return text.Append('\n').ToString();
    }
}

/// <summary>Markdown: "# title", "## heading", pipe tables under their title, plots as images, code in fences.</summary>
public static class MarkdownRenderer
{
    public static string Render(ReportDocument document)
    {
        var md = new StringBuilder().Append("# ").Append(document.Title).Append("\n\n");
        foreach (var block in document.For(ReportMedia.Markdown))
            switch (block)
            {
                case HeadingBlock heading: md.Append("## ").Append(heading.Text).Append("\n\n"); break;
                case ParagraphBlock paragraph: md.Append(paragraph.Text).Append("\n\n"); break;
                case TableBlock table: md.Append(Table(table.Table)); break;
                case ImagesBlock images:
                    foreach (var plot in images.Images) md.Append("![").Append(plot.Caption).Append("](").Append(plot.File).Append(")\n");
                    md.Append('\n');
                    break;
                case CodeBlock code: md.Append("```").Append(code.Language).Append('\n').Append(code.Code.TrimEnd()).Append("\n```\n\n"); break;
            }
        return md.ToString();
    }

    /// <summary>"## title", then the pipe table; a "|" in a cell is escaped, code goes in backticks.</summary>
    public static string Table(ReportTable table)
    {
        var md = new StringBuilder().Append("## ").Append(table.Title).Append("\n\n");
        md.Append("| ").Append(string.Join(" | ", table.Columns)).Append(" |\n");
        md.Append('|').Append(string.Concat(table.Columns.Select(_ => " --- |"))).Append('\n');
        foreach (var row in table.Rows) md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).Append(" |\n");
        return md.Append('\n').ToString();
    }

    private static string Cell(ReportCell cell) => cell switch
    {
        CodeCell { Code.Length: 0 } => "(empty)",
        CodeCell code => "`" + code.Code.Replace("|", "\\|").Replace("`", "'") + "`",
        _ => cell.Text.Replace("|", "\\|"),
    };
}

/// <summary>HTML: the document's blocks inside ReportTemplate.html, whose style sheet draws them.</summary>
public static class HtmlRenderer
{
    private static readonly Lazy<string> Template = new(() =>
    {
        using var stream = typeof(HtmlRenderer).Assembly.GetManifestResourceStream("CharRnnCode.Evaluation.ReportTemplate.html")
            ?? throw new InvalidOperationException("the report template is not embedded in the evaluation assembly");
        return new StreamReader(stream).ReadToEnd();
    });

    public static string Render(ReportDocument document)
    {
        var body = new StringBuilder();
        foreach (var block in document.For(ReportMedia.Html))
            switch (block)
            {
                case HeadingBlock heading: body.Append("<h2>").Append(Encode(heading.Text)).Append("</h2>\n"); break;
                case ParagraphBlock { Strong: true } paragraph: body.Append("<p><b>").Append(Encode(paragraph.Text)).Append("</b></p>\n"); break;
                case ParagraphBlock paragraph: body.Append("<p>").Append(Encode(paragraph.Text)).Append("</p>\n"); break;
                case TableBlock table: body.Append(Table(table.Table)); break;
                case ImagesBlock images:
                    foreach (var plot in images.Images)
                        body.Append("<p><img src=\"").Append(Encode(plot.File)).Append("\" alt=\"").Append(Encode(plot.Caption)).Append("\"></p>\n");
                    break;
                case CodeBlock code: body.Append("<pre class=\"code\">").Append(Encode(code.Code.TrimEnd())).Append("</pre>\n"); break;
                case HtmlBlock html: body.Append(html.Html).Append('\n'); break;
            }
        return Template.Value.Replace("{{title}}", Encode(document.Title)).Replace("{{body}}", body.ToString());
    }

    /// <summary>"&lt;h2&gt;title&lt;/h2&gt;", then the table, a row a line.</summary>
    public static string Table(ReportTable table)
    {
        var html = new StringBuilder().Append("<h2>").Append(Encode(table.Title)).Append("</h2>\n<table><tr>");
        foreach (var column in table.Columns) html.Append("<th>").Append(Encode(column)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append(Cell(cell));
            html.Append("</tr>\n");
        }
        return html.Append("</table>\n").ToString();
    }

    private static string Cell(ReportCell cell) => cell switch
    {
        CodeCell code => $"<td class=\"code{code.Mark switch { CodeMark.Exact => " exact", CodeMark.Flawed => " flawed", _ => "" }}\"" +
                         (code.Note is { } note ? $" title=\"{Encode(note)}\"" : "") + $">{Encode(code.Code)}</td>",
        _ => $"<td>{Encode(cell.Text)}</td>",
    };

    public static string Encode(string text) => WebUtility.HtmlEncode(text);
}

/// <summary>JSON: a table is {title, columns, rows}, each row an array of its cells' JSON values.</summary>
public static class JsonRenderer
{
    public static JsonObject Table(ReportTable table) => new()
    {
        ["title"] = table.Title,
        ["columns"] = new JsonArray([.. table.Columns.Select(column => JsonValue.Create(column))]),
        ["rows"] = new JsonArray([.. table.Rows.Select(row => new JsonArray([.. row.Select(cell => cell.Json)]))]),
    };

    /// <summary>Every table of the document shown in <paramref name="media"/>.</summary>
    public static JsonArray Tables(ReportDocument document, ReportMedia media) =>
        new([.. document.For(media).OfType<TableBlock>().Select(block => Table(block.Table))]);
}
