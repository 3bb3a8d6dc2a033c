// Reads a run's metrics.jsonl for the readers that watch or summarise runs (sweep run's table, sweep report,
// the seed experiment). Training appends one JSON object a line, so a run killed mid-write, or a line read
// while it is being written, ends in a cut-off line: that last line is skipped and said so, never a crash.
// A bad line anywhere else is damage the reader cannot work around, and is an error that names the line.
using System.Text.Json;
using System.Text.Json.Nodes;
using CharRnnCode.Common;

namespace CharRnnCode.Inference;

/// <param name="Records">every complete line, parsed, in order</param>
/// <param name="SkippedLastLine">a description of the cut-off last line that was skipped, or null</param>
public sealed record MetricsRecords(IReadOnlyList<JsonObject> Records, string? SkippedLastLine);

public static class MetricsFile
{
    /// <summary>The records of <paramref name="path"/>; a last line that is not a whole JSON object is left out and
    /// described in <see cref="MetricsRecords.SkippedLastLine"/>.</summary>
    /// <exception cref="UserError">a line before the last one is not a JSON object.</exception>
    public static MetricsRecords Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var last = Array.FindLastIndex(lines, line => !string.IsNullOrWhiteSpace(line));
        var records = new List<JsonObject>();
        string? skipped = null;
        for (var i = 0; i <= last; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            if (Parse(lines[i]) is { } record) { records.Add(record); continue; }
            if (i == last)
                skipped = $"{path}: its last line (line {i + 1}, {lines[i].Length} characters) is cut off, as a run stopped mid-write leaves it; it was skipped";
            else
                throw new UserError($"{path}: line {i + 1} is not a JSON object of a training run's metrics; the file is damaged. " +
                                    "Delete that line (or the run folder, to train the point again).");
        }
        return new MetricsRecords(records, skipped);
    }

    private static JsonObject? Parse(string line)
    {
        try { return JsonNode.Parse(line) as JsonObject is { } node && node["step"] is JsonValue step && step.TryGetValue<long>(out _) ? node : null; }
        catch (JsonException) { return null; }
    }
}
