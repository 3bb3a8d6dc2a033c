// charrnn sample: generates text from a checkpoint, streaming characters as they come. Several
// samples are generated as one batch (CharLanguageModel.Generate, the same code the server calls).
using CharRnnCode.Inference;
using CharRnnCode.Scoring;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class SampleCommand : Command<SampleCommand.Settings>
{
    public sealed class Settings : InferenceSettings
    {
        /// <summary>Checkpoint file (e.g. RUN_DIR/best.ckpt).</summary>
        [CommandOption("--checkpoint <PATH>")] public string Checkpoint { get; init; } = "";

        /// <summary>Text to start from (the model reads it first; it is printed, then the sample).</summary>
        [CommandOption("--prime <TEXT>")] public string Prime { get; init; } = "";

        /// <summary>Divides the logits: below 1 is more conservative, above 1 more varied. Default 0.8.</summary>
        [CommandOption("--temperature <T>")] public double Temperature { get; init; } = 0.8;

        /// <summary>Sample among the K most likely characters (0: all).</summary>
        [CommandOption("--top-k <K>")] public int TopK { get; init; }

        /// <summary>
        /// Nucleus sampling: among the most likely characters whose probabilities add up to P (1: all).
        /// </summary>
        [CommandOption("--top-p <P>")] public double TopP { get; init; } = 1.0;

        /// <summary>Always take the most likely character.</summary>
        [CommandOption("--argmax")] public bool Argmax { get; init; }

        /// <summary>Characters per sample. Default 500.</summary>
        [CommandOption("--length <N>")] public int Length { get; init; } = 500;

        /// <summary>Samples, generated together as one batch. Default 1.</summary>
        [CommandOption("--num-samples <N>")] public int NumSamples { get; init; } = 1;

        /// <summary>Seed of the sampler (default: random).</summary>
        [CommandOption("--seed <S>")] public long? Seed { get; init; }

        /// <summary>End a sample when it produces STRING (included).</summary>
        [CommandOption("--stop <STRING>")] public string? Stop { get; init; }

        /// <summary>
        /// free (default): the model alone; constrained: Roslyn steers every character as the server does (names in
        /// scope at the end of --prime, compiled as C#; lexical guards)
        /// </summary>
        [CommandOption("--decode <MODE>")] public string Decode { get; init; } = "free";

        /// <summary>
        /// Print the samples as JSON on stdout (text, log-probability, bits per character), nothing streamed.
        /// </summary>
        [CommandOption("--json")] public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrEmpty(Checkpoint)) return ValidationResult.Error("--checkpoint PATH is required.");
            if (FiniteNumbers.Problem(this) is { } notFinite) return ValidationResult.Error(notFinite);
            if (!(Temperature >= 0)) return ValidationResult.Error("--temperature must not be negative.");
            if (!(TopP > 0 && TopP <= 1)) return ValidationResult.Error("--top-p must be in (0, 1].");
            if (TopK < 0) return ValidationResult.Error("--top-k must not be negative.");
            if (Length < 1 || NumSamples < 1) return ValidationResult.Error("--length and --num-samples must be at least 1.");
            if (Decode is not ("free" or "constrained")) return ValidationResult.Error($"--decode must be free or constrained (got '{Decode}').");
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        using var model = CharLanguageModel.Load(settings.Checkpoint, settings.Device, settings.Threads);
        var stderr = Console.Error;
        stderr.WriteLine($"{model.Description} ({model.StepperName}); vocabulary {model.Vocabulary.Size}");
        var state = model.Advance(model.InitialState(), settings.Prime);
        var stop = settings.Stop;
        // One sample streams character by character; several are generated together and printed in turn,
        // the first streamed live. With --json nothing streams: the document is printed once, whole.
        var output = settings.Json ? TextWriter.Null : Console.Out;
        if (settings.NumSamples > 1) output.WriteLine("--- sample 1");
        output.Write(settings.Prime);
        // Constrained: the prime compiled as C# (with the .NET reference assemblies), the caret at its end.
        var constraint = settings.Decode == "constrained"
            ? new DecodingConstraint(new CompletionScorer().Prepare("<sample>.cs", settings.Prime, settings.Prime.Length, cancellationToken))
            : null;
        var options = new GenerationOptions(settings.NumSamples, settings.Length, settings.Temperature, settings.TopP, settings.TopK,
            settings.Argmax, settings.Seed, stop is null ? null : text => text.EndsWith(stop, StringComparison.Ordinal),
            (index, character) => { if (index == 0) { output.Write(character); output.Flush(); } },
            Allowed: constraint is null ? null : constraint.Allowed);
        var candidates = model.Generate(state, options, cancellationToken);
        static double BitsPerChar(Candidate c) => -c.LogProbability / Math.Log(2) / Math.Max(1, c.Text.Length);
        if (settings.Json)
        {
            JsonOutput.Write(new
            {
                Model = model.Description,
                settings.Prime,
                Samples = candidates.Select(c => new { c.Text, c.LogProbability, BitsPerChar = BitsPerChar(c), c.Stopped }),
            });
            return 0;
        }
        output.WriteLine();
        for (var i = 1; i < candidates.Count; i++)
        {
            output.WriteLine($"--- sample {i + 1}");
            output.WriteLine(settings.Prime + candidates[i].Text);
        }
        for (var i = 0; i < candidates.Count; i++)
            stderr.WriteLine($"sample {i + 1}: {candidates[i].Text.Length} chars, log p {candidates[i].LogProbability:0.00} ({BitsPerChar(candidates[i]):0.000} " +
                $"bits/char){(candidates[i].Stopped ? ", stopped" : "")}");
        return 0;
    }
}
