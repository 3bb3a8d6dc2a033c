// The run's metrics as JSON lines (metrics.jsonl beside the checkpoints): one object per logged
// training step and per validation. On resume, lines past the checkpoint's step are dropped, so the
// log matches the run that continues. Appends are line-sized; a killed run loses at most one line.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CharRnnCode.Model.Training;

public sealed class MetricsLog
{
    public string Path { get; }

    public MetricsLog(string path, long keepThroughStep)
    {
        Path = path;
        if (!File.Exists(path)) return;
        var kept = File.ReadAllLines(path).Where(line =>
        {
            try { return JsonNode.Parse(line)?["step"]?.GetValue<long>() <= keepThroughStep; }
            catch (JsonException) { return false; }
        }).ToList();
        Common.AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join('\n', kept) + "\n");
    }

    public void Train(long step, int epoch, double loss, double learningRate, double charsPerSecond, double elapsedSeconds) =>
        Append(new { kind = "train", step, epoch, loss, bpc = loss / Math.Log(2), lr = learningRate, charsPerSecond = Math.Round(charsPerSecond), elapsedSeconds = Math.Round(elapsedSeconds, 2) });

    public void Validation(long step, int epoch, double loss, double elapsedSeconds, IReadOnlyDictionary<string, double>? extra = null)
    {
        var line = JsonSerializer.SerializeToNode(new { kind = "val", step, epoch, loss, bpc = loss / Math.Log(2), elapsedSeconds = Math.Round(elapsedSeconds, 2) })!.AsObject();
        foreach (var (name, value) in extra ?? new Dictionary<string, double>()) line[name] = double.IsFinite(value) ? value : null;
        Append(line);
    }

    private void Append(object record) => File.AppendAllText(Path, JsonSerializer.Serialize(record) + "\n");

    /// <summary>(step, bits per character) of each kind of line, in file order.</summary>
    public static (List<(long Step, double Bpc)> Train, List<(long Step, double Bpc)> Validation) Read(string path)
    {
        var train = new List<(long, double)>();
        var validation = new List<(long, double)>();
        if (!File.Exists(path)) return (train, validation);
        foreach (var line in File.ReadLines(path))
        {
            JsonNode? node;
            try { node = JsonNode.Parse(line); } catch (JsonException) { continue; }
            if (node is null) continue;
            var point = (node["step"]!.GetValue<long>(), node["bpc"]!.GetValue<double>());
            (node["kind"]?.GetValue<string>() == "val" ? validation : train).Add(point);
        }
        return (train, validation);
    }
}
