// A whole report as one model: a title and a sequence of blocks (headings, paragraphs, tables, plots, code and
// pictures only HTML can draw), each meant for some media. The evaluation, the seed experiment and the sweep build one;
// ReportRenderers draw it as console text, Markdown, HTML or JSON. It holds no measurement logic and writes no file.
namespace CharRnnCode.Evaluation;

/// <summary>Where a block is shown.</summary>
[Flags]
public enum ReportMedia
{
    Console = 1,
    Markdown = 2,
    Html = 4,
    /// <summary>The written report, report.md and report.html.</summary>
    Documents = Markdown | Html,
    All = Console | Markdown | Html,
}

/// <summary>One block of a report; <see cref="Media"/> says where it is shown (JSON takes every table, whatever its media).</summary>
public abstract record ReportBlock
{
    public ReportMedia Media { get; init; } = ReportMedia.All;
}

public sealed record HeadingBlock(string Text) : ReportBlock;

/// <param name="Strong">the report's headline: bold where the medium has bold</param>
public sealed record ParagraphBlock(string Text, bool Strong = false) : ReportBlock;

/// <summary>A table under its title as a heading.</summary>
public sealed record TableBlock(ReportTable Table) : ReportBlock;

/// <summary>A plot beside the report: its file name and what it shows.</summary>
public sealed record ReportImage(string File, string Caption);

/// <summary>Plots beside the report, shown one after another.</summary>
public sealed record ImagesBlock(IReadOnlyList<ReportImage> Images) : ReportBlock;

/// <param name="Language">the code fence's language ("csharp", "c")</param>
public sealed record CodeBlock(string Language, string Code) : ReportBlock;

/// <summary>Markup only HTML can show (highlighted samples, guesses shaded by probability, cell activations).</summary>
public sealed record HtmlBlock : ReportBlock
{
    public HtmlBlock(string html)
    {
        Html = html;
        Media = ReportMedia.Html;
    }

    public string Html { get; }
}

public sealed record ReportDocument(string Title, IReadOnlyList<ReportBlock> Blocks)
{
    /// <summary>The blocks shown in <paramref name="media"/>.</summary>
    public IEnumerable<ReportBlock> For(ReportMedia media) => Blocks.Where(block => (block.Media & media) != 0);

    /// <summary>Every table, whatever its media.</summary>
    public IEnumerable<ReportTable> Tables => Blocks.OfType<TableBlock>().Select(block => block.Table);
}
