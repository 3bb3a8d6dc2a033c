// charrnn bench train: training and sampling speed of standard LSTM shapes, as a ratio to this
// machine's float32 matrix-multiply rate measured in the same run. libgomp reads OMP_WAIT_POLICY only
// when it loads, so the other policy is measured by re-launching this command as a child process.
using System.Diagnostics;
using System.Text.Json;
using CharRnnCode.Model.Runtime;
using CharRnnCode.Model.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class BenchTrainCommand : Command<BenchTrainCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>LSTM shapes LAYERSxHIDDEN, comma-separated. Default 1x128,2x256,2x512,3x512.</summary>
        [CommandOption("--models <SHAPES>")] public string Models { get; init; } = "1x128,2x256,2x512,3x512";

        /// <summary>Timed training steps per model (the median is reported). Default 5.</summary>
        [CommandOption("--steps <N>")] public int Steps { get; init; } = 5;

        /// <summary>Characters per sampling measurement. Default 200.</summary>
        [CommandOption("--sample-chars <N>")] public int SampleChars { get; init; } = 200;

        /// <summary>Training batch size. Default 50.</summary>
        [CommandOption("--batch <B>")] public int Batch { get; init; } = 50;

        /// <summary>Training sequence length. Default 50.</summary>
        [CommandOption("--seq <T>")] public int Seq { get; init; } = 50;

        /// <summary>Intra-op thread counts to measure, comma-separated. Default: 1 and one per CPU.</summary>
        [CommandOption("--threads <LIST>")] public string? Threads { get; init; }

        /// <summary>
        /// both (this process's OMP_WAIT_POLICY and the other, in a child process) or current. Default both.
        /// </summary>
        [CommandOption("--policies <WHICH>")] public string Policies { get; init; } = "both";

        /// <summary>Also write the results as JSON.</summary>
        [CommandOption("--json <PATH>")] public string? Json { get; init; }

        [CommandOption("--child", IsHidden = true)] public bool Child { get; init; }

        public override ValidationResult Validate() =>
            Steps < 1 || SampleChars < 1 || Batch < 1 || Seq < 1 ? ValidationResult.Error("--steps, --sample-chars, --batch and --seq must be at least 1.")
            : Policies is not ("both" or "current") ? ValidationResult.Error("--policies must be both or current.")
            : ValidationResult.Success();
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var options = new BenchmarkOptions
        {
            Shapes = ParseShapes(settings.Models), TrainSteps = settings.Steps, SampleChars = settings.SampleChars,
            BatchSize = settings.Batch, SeqLength = settings.Seq,
        };
        var threadCounts = (settings.Threads ?? string.Join(',', new[] { 1, Environment.ProcessorCount }.Distinct())).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => int.TryParse(t, out var n) && n > 0 ? n : throw new Common.UserError($"--threads: '{t}' is not a positive whole number.")).ToList();
        Action<string> log = settings.Child ? _ => { } : line => AnsiConsole.MarkupLineInterpolated($"[grey]{line}[/]");

        if (!settings.Child)
            AnsiConsole.MarkupInterpolated($"[bold]bench train[/]: LSTM, batch {options.BatchSize}, seq {options.SeqLength}, embedding {options.Embedding}, vocabulary {options.VocabularySize}, ");
        AnsiConsole.MarkupLineInterpolated($"{options.TrainSteps} timed steps, medians. {Environment.ProcessorCount} CPUs; other processes on this machine affect the numbers.");
        var reports = threadCounts.Select(t => TrainingBenchmark.Run(options, t, log)).ToList();
        if (settings.Child)
        {
            Console.Out.WriteLine(JsonSerializer.Serialize(reports));
            return 0;
        }
        if (settings.Policies == "both") reports.AddRange(RunOtherPolicy(context, settings));

        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in new[] { "OMP_WAIT_POLICY", "threads", "model", "train chars/s", "GFLOP/s", "matmul GFLOP/s", "ratio",
            "sample b1 plain", "b8 plain", "b1 torch", "b8 torch", "peak MiB" })
            table.AddColumn(new TableColumn(column).RightAligned());
        foreach (var report in reports)
            foreach (var m in report.Models)
                table.AddRow(report.OmpWaitPolicy, report.Threads.ToString(), m.Shape, $"{m.TrainCharsPerSecond:N0}", $"{m.TrainGflops:0.0}", $"{m.MatmulGflops:0.0}",
                    $"{m.RatioToMatmul:0.00}", Batch1(m.SampleBatch1Plain, m.SampleOfMatmulPlain1), Batch8(m.SampleBatch8Plain, m.SampleBatch8OverBatch1Plain, m.SampleOfMatmulPlain8),
                    Batch1(m.SampleBatch1Torch, m.SampleOfMatmulTorch1), Batch8(m.SampleBatch8Torch, m.SampleBatch8OverBatch1Torch, m.SampleOfMatmulTorch8), $"{m.PeakMemoryMiB:N0}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("ratio: achieved training GFLOP/s (6 x multiply-accumulates per character) over the float32 1024x1024 matmul rate measured just before and after it in the same " +
            "process.");
        AnsiConsole.MarkupLine("sample columns: chars/s (b8 over b1, where 8 would be a batch of 8 for the price of one step; achieved GFLOP/s of the sampling step, 2 x its multiply-adds per " +
            "character, over the same matmul rate).");
        if (settings.Json is not null) Common.AtomicFile.WriteAllText(settings.Json, JsonSerializer.Serialize(reports, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    private static string Batch1(double charsPerSecond, double ofMatmul) => $"{charsPerSecond:N0} ({ofMatmul:0.00})";

    private static string Batch8(double charsPerSecond, double overBatch1, double ofMatmul) => $"{charsPerSecond:N0} ({overBatch1:0.0}x, {ofMatmul:0.00})";

    // The other policy needs a fresh process: PASSIVE if this one spins by default, libgomp's default otherwise.
    private static IEnumerable<BenchmarkReport> RunOtherPolicy(CommandContext context, Settings settings)
    {
        var current = Environment.GetEnvironmentVariable("OMP_WAIT_POLICY");
        var start = new ProcessStartInfo { RedirectStandardOutput = true, UseShellExecute = false };
        var executable = Environment.ProcessPath!;
        if (Path.GetFileNameWithoutExtension(executable) == "dotnet") start.ArgumentList.Add(typeof(BenchTrainCommand).Assembly.Location);
        start.FileName = executable;
        foreach (var argument in new[] { "bench", "train" }.Concat(context.Arguments.Skip(2)).Where(a => a != "--child"))
            start.ArgumentList.Add(argument);
        start.ArgumentList.Add("--child");
        start.Environment.Remove("OMP_WAIT_POLICY");
        if (string.Equals(current, "PASSIVE", StringComparison.OrdinalIgnoreCase)) start.Environment[TorchRuntime.KeepLibgompDefaultVariable] = "1";
        else start.Environment["OMP_WAIT_POLICY"] = "PASSIVE";
        AnsiConsole.MarkupLineInterpolated($"[grey]measuring OMP_WAIT_POLICY={(start.Environment.ContainsKey("OMP_WAIT_POLICY") ? "PASSIVE" : "unset")} in a child process[/]");
        using var child = Process.Start(start)!;
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"the child benchmark exited with code {child.ExitCode}");
        var last = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        return JsonSerializer.Deserialize<List<BenchmarkReport>>(last)!;
    }

    private static List<(int, int)> ParseShapes(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(shape =>
        {
            var parts = shape.Split('x');
            return parts.Length == 2 && int.TryParse(parts[0], out var layers) && int.TryParse(parts[1], out var hidden) && layers > 0 && hidden > 0
                ? (layers, hidden)
                : throw new Common.UserError($"--models: '{shape}' is not LAYERSxHIDDEN (e.g. 2x256).");
        }).ToList();
}
