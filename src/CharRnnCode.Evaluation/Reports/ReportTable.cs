// The report's table model: a table is a title, column names and rows of typed cells (text, numbers with their
// format and unit, intervals, code, cells made of parts). Every report (evaluation, seed experiment, sweep) builds
// its tables from these and every renderer (console, Markdown, HTML, JSON) draws them; a cell knows its invariant
// text and its JSON value. It measures nothing and knows no report.
using System.Globalization;
using System.Text.Json.Nodes;
using CharRnnCode.Common;

namespace CharRnnCode.Evaluation;

/// <summary>How a number reads: a .NET custom <paramref name="Pattern"/> (invariant culture), shown as a percentage
/// (the value times 100, then "%"), with its sign, and followed by a unit.</summary>
public sealed record NumberFormat(string Pattern, bool Percent = false, bool Signed = false, string Unit = "")
{
    /// <summary>"42.0%".</summary>
    public static readonly NumberFormat Share = new("0.0", Percent: true);
    /// <summary>"42%".</summary>
    public static readonly NumberFormat WholeShare = new("0", Percent: true);
    /// <summary>"0.531".</summary>
    public static readonly NumberFormat Thousandths = new("0.000");
    /// <summary>"0.53".</summary>
    public static readonly NumberFormat Hundredths = new("0.00");
    /// <summary>"0.5".</summary>
    public static readonly NumberFormat Tenths = new("0.0");
    /// <summary>"12,345".</summary>
    public static readonly NumberFormat Count = new("N0");
    /// <summary>"0.5", "0.25": a temperature.</summary>
    public static readonly NumberFormat Temperature = new("0.0#");
    /// <summary>"+0.012" or "-0.012"; one that rounds to nothing is "+0.000".</summary>
    public static readonly NumberFormat SignedThousandths = new("0.000", Signed: true);
    /// <summary>"+0.53".</summary>
    public static readonly NumberFormat SignedHundredths = new("0.00", Signed: true);

    /// <summary>The number as this format writes it (without the unit when <paramref name="withUnit"/> is false).</summary>
    public string Write(double value, bool withUnit = true)
    {
        var text = (Percent ? 100 * value : value).ToString(Pattern, CultureInfo.InvariantCulture);
        // .NET keeps the minus of a negative that rounds to zero; a signed zero reads "+0.000".
        if (Signed) text = text.StartsWith('-') && !RoundsToZero(text) ? text : "+" + text.TrimStart('-');
        else if (text.StartsWith('-') && RoundsToZero(text)) text = text[1..];
        return withUnit ? text + (Percent ? "%" : "") + Unit : text;
    }

    private static bool RoundsToZero(string text) => text.All(c => c is '-' or '0' or '.' or ',');
}

/// <summary>One cell of a report table.</summary>
public abstract record ReportCell
{
    /// <summary>What the cell reads as in plain text (console, Markdown, HTML).</summary>
    public abstract string Text { get; }

    /// <summary>What the cell is in JSON: a string, a number, an interval object or an array.</summary>
    public abstract JsonNode? Json { get; }

    public static implicit operator ReportCell(string text) => new TextCell(text);
}

public sealed record TextCell(string Value) : ReportCell
{
    public override string Text => Value;
    public override JsonNode? Json => JsonValue.Create(Value);
}

public sealed record NumberCell(double Value, NumberFormat Format) : ReportCell
{
    public override string Text => Format.Write(Value);
    public override JsonNode? Json => double.IsFinite(Value) ? JsonValue.Create(Value) : JsonValue.Create(Format.Write(Value));
}

/// <summary>An estimate with its interval: "42.0% [35.5, 48.5]", "0.530 [0.410, 0.660]".</summary>
public sealed record IntervalCell(Estimate Estimate, NumberFormat Format) : ReportCell
{
    public override string Text => $"{Format.Write(Estimate.Value)} [{Format.Write(Estimate.Low, withUnit: false)}, {Format.Write(Estimate.High, withUnit: false)}]";
    public override JsonNode? Json => new JsonObject { ["value"] = Estimate.Value, ["low"] = Estimate.Low, ["high"] = Estimate.High };
}

/// <summary>How a code cell is marked beside its text: an exact match, a flawed one, or nothing.</summary>
public enum CodeMark { None, Exact, Flawed }

/// <summary>A piece of code (a completed line); empty code reads "(empty)" where the medium cannot show emptiness.</summary>
/// <param name="Note">a remark on the code (HTML shows it on hover)</param>
public sealed record CodeCell(string Code, string? Note = null, CodeMark Mark = CodeMark.None) : ReportCell
{
    public override string Text => Code;
    public override JsonNode? Json => JsonValue.Create(Code);
}

/// <summary>Several values read together, "12.0% / 6.0%".</summary>
public sealed record PartsCell(IReadOnlyList<ReportCell> Parts, string Separator = " / ") : ReportCell
{
    public override string Text => string.Join(Separator, Parts.Select(part => part.Text));
    public override JsonNode? Json => new JsonArray([.. Parts.Select(part => part.Json)]);
}

/// <summary>A table: its title (the heading it stands under), its column names and its rows, each as long as the columns.</summary>
public sealed record ReportTable(string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<ReportCell>> Rows)
{
    /// <summary>A table of one "not measured" column holding why.</summary>
    public static ReportTable NotMeasured(string title, string why) => new(title, ["not measured"], [[why]]);
}

/// <summary>Cells for the measures that recur in every report.</summary>
public static class Cells
{
    public static NumberCell Number(double value, NumberFormat format) => new(value, format);
    public static NumberCell Share(double share) => new(share, NumberFormat.Share);
    public static NumberCell Count(long count) => new(count, NumberFormat.Count);
    public static IntervalCell ShareInterval(Estimate estimate) => new(estimate, NumberFormat.Share);
    public static IntervalCell Interval(Estimate estimate, NumberFormat format) => new(estimate, format);
    public static ReportCell NotMeasured => "not measured";
    /// <summary>The number, or "not measured" when there is none.</summary>
    public static ReportCell Optional(double? value, NumberFormat format) => value is double v ? new NumberCell(v, format) : NotMeasured;
}
