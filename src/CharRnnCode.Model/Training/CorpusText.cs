// The text a run trains on: a corpus folder's train.txt and val.txt, and its identity from manifest.json.
// It reads the folder contract directly (three split files and a manifest) and does not enumerate files.
using System.Text.Json;
using CharRnnCode.Common;

namespace CharRnnCode.Model.Training;

public sealed record CorpusText(string Directory, string Train, string Validation, string? CorpusId)
{
    public static CorpusText Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
            throw new UserError($"corpus folder {full} does not exist. Create one with `charrnn harvest`, or point --corpus at a folder holding train.txt and val.txt.");
        var trainPath = Path.Combine(full, "train.txt");
        if (!File.Exists(trainPath))
            throw new UserError($"corpus folder {full} has no train.txt. A corpus folder holds train.txt, val.txt and test.txt (written by `charrnn harvest`).");
        var train = File.ReadAllText(trainPath);
        if (train.Length < 2)
            throw new UserError($"{trainPath} is empty; a model needs text to train on.");
        var valPath = Path.Combine(full, "val.txt");
        var validation = File.Exists(valPath) ? File.ReadAllText(valPath) : "";
        return new CorpusText(full, train, validation, ReadCorpusId(Path.Combine(full, "manifest.json")));
    }

    private static string? ReadCorpusId(string manifestPath)
    {
        if (!File.Exists(manifestPath)) return null;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifestPath));
            return document.RootElement.TryGetProperty("corpusId", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        }
        catch (JsonException error)
        {
            throw new UserError($"{manifestPath} is not valid JSON ({error.Message}); re-run `charrnn harvest` for this corpus.");
        }
    }
}
