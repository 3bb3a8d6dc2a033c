// The options every verb that runs a trained checkpoint shares (sample, eval): where it runs and on how
// many threads. Training has its own, since there the thread count also fixes reproducibility.
using System.ComponentModel;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal class InferenceSettings : CommandSettings
{
    [CommandOption("--device <DEVICE>")]
    [Description("auto, cpu or cuda. Default auto (CPU inference runs in plain C#).")]
    public string Device { get; init; } = "auto";

    [CommandOption("--threads <N>")]
    [Description("Intra-op threads for TorchSharp inference (the GPU stepper).")]
    public int? Threads { get; init; }
}
