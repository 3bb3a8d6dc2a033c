// The names of the files `charrnn train --out RUN_DIR` writes into a run folder, in one place for every
// reader (eval, quickstart, the server's messages, tests), and how a folder is recognised as a run folder
// (so that an `--out` replaces or writes into a run, never a folder of someone else's files).
using System.Text.Json;
using System.Text.Json.Nodes;
using CharRnnCode.Common;

namespace CharRnnCode.Inference;

public static class RunFolder
{
    /// <summary>The checkpoint with the best validation loss so far.</summary>
    public const string BestCheckpoint = "best.ckpt";
    /// <summary>The newest checkpoint, with the optimizer state that `--resume` continues from.</summary>
    public const string LastCheckpoint = "last.ckpt";
    /// <summary>One JSON object per logged step or validation.</summary>
    public const string Metrics = "metrics.jsonl";
    /// <summary>The run's configuration as it was trained.</summary>
    public const string Config = "config.json";
    /// <summary>The loss curve as a picture.</summary>
    public const string LossPlot = "loss.png";

    /// <summary>Whether <paramref name="directory"/> holds a run: a checkpoint of ours, or a config.json that reads as a
    /// run configuration (a run stopped before its first checkpoint, or a planned sweep point). A folder that merely
    /// holds a file named config.json (of another program) is not one.</summary>
    public static bool IsRunFolder(string directory)
    {
        if (File.Exists(Path.Combine(directory, LastCheckpoint)) || File.Exists(Path.Combine(directory, BestCheckpoint))) return true;
        var config = Path.Combine(directory, Config);
        if (!File.Exists(config)) return false;
        try
        {
            return JsonNode.Parse(File.ReadAllText(config)) is JsonObject { Count: 2 } root
                   && root["model"] is JsonObject && root["train"] is JsonObject
                   && RunConfig.FromJson(root, config, []) is not null;
        }
        catch (Exception e) when (e is JsonException or UserError or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }
}
