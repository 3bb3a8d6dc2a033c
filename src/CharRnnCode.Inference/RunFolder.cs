// The names of the files `charrnn train --out RUN_DIR` writes into a run folder, in one place for every
// reader (eval, quickstart, the server's messages, tests). It does not create, read or check the files.
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
}
