// The options every verb that runs a trained checkpoint shares (sample, eval): where it runs and on how
// many threads. Training has its own, since there the thread count also fixes reproducibility.
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal class InferenceSettings : CommandSettings
{
    /// <summary>auto, cpu or cuda. Default auto (CPU inference runs in plain C#).</summary>
    [CommandOption("--device <DEVICE>")] public string Device { get; init; } = "auto";

    /// <summary>Intra-op threads for TorchSharp inference (the GPU stepper).</summary>
    [CommandOption("--threads <N>")] public int? Threads { get; init; }
}
