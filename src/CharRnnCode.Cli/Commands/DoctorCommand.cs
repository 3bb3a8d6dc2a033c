// charrnn doctor: the facts a user (or a bug report) needs when something does not work.
// It only reads and prints; it changes nothing except the native-library cache TorchSharp's loader may fill.
using System.Reflection;
using CharRnnCode.Model.Runtime;
using CharRnnCode.Scoring;
using Microsoft.CodeAnalysis.CSharp;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class DoctorCommand : Command<DoctorCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>Intra-op threads to report with (default: one per CPU).</summary>
        [CommandOption("--threads <N>")] public int? Threads { get; init; }

        /// <summary>Print the checks as one JSON object on stdout (check name to value, and healthy).</summary>
        [CommandOption("--json")] public bool Json { get; init; }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var rows = new List<(string Name, string Value)>();
        void Row(string name, string value) => rows.Add((name, value));

        Row("charrnn", VersionInfo.Text);
        Row(".NET runtime", $"{Environment.Version} ({System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier})");
        Row("OS", System.Runtime.InteropServices.RuntimeInformation.OSDescription);
        Row("CPUs", Environment.ProcessorCount.ToString());

        var healthy = true;
        try
        {
            TorchRuntime.Initialize(settings.Threads);
            var torch = TorchRuntime.Describe();
            Row("Torch backend", torch.Backend);
            Row("TorchSharp", torch.TorchSharpVersion);
            Row("libtorch", torch.LibTorchVersion);
            Row("CUDA available", torch.CudaAvailable ? "yes" : "no (CPU only; --device cuda will fail with an explanation)");
            Row("threads (intra-op / inter-op)", $"{torch.IntraOpThreads} / {torch.InteropThreads}");
            Row("OMP_WAIT_POLICY", torch.OmpWaitPolicy);
            Row("OMP_NUM_THREADS", torch.OmpNumThreads);
            Row("TorchSharp native fix", $"{torch.NativeFix}: {torch.NativeFixDetail}");
            using var probe = TorchSharp.torch.ones(2, 2).matmul(TorchSharp.torch.ones(2, 2));
            Row("Torch smoke test", probe.sum().item<float>() == 8f ? "ok (2x2 matmul)" : "WRONG RESULT");
        }
        catch (Exception error)
        {
            healthy = false;
            Row("Torch", $"FAILED: {error.Message} ({TorchNativeLoader.Detail})");
        }

        Row("libgit2", LibGit2Sharp.GlobalSettings.Version.ToString());
        Row("Roslyn", typeof(CSharpCompilation).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown");
        try
        {
            var references = ReferenceAssemblies.Set;
            Row(".NET reference assemblies", $"{references.Paths.Length} from {references.Source}: {references.Folder}");
        }
        catch (Exception error)
        {
            healthy = false;
            Row(".NET reference assemblies", $"NOT FOUND: {error.Message}");
        }
        Row("cache folder", Common.CachePaths.Root);

        if (settings.Json)
        {
            JsonOutput.Write(new { Checks = rows.ToDictionary(r => r.Name, r => r.Value), Healthy = healthy });
            return healthy ? 0 : 1;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("check").AddColumn("value");
        foreach (var (name, value) in rows) table.AddRow(Markup.Escape(name), Markup.Escape(value));
        AnsiConsole.Write(table);
        return healthy ? 0 : 1;
    }
}
