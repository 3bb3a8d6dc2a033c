// What one task of a sweep runs, in one place for every executor: `charrnn train --resume-or-start` on the point's
// folder, and the shell fragment that turns a scheduler's task index (Slurm's array task id, Kubernetes' completion
// index) into that folder. Executors differ only in how they start the tasks; none of them trains in-process.
// It does not decide which points still need to run (SweepPlan.StateOf does).
using System.Text;
using CharRnnCode.Model.Sweeps;
using CharRnnCode.Inference;

namespace CharRnnCode.Cli.Sweeps;

/// <summary>Where the sweep's files are as the tasks see them, and how they call charrnn there.</summary>
/// <param name="Charrnn">the command that runs charrnn where the task runs, as separate words (e.g. ["charrnn"] or ["dotnet", "/opt/charrnn/charrnn.dll"])</param>
/// <param name="SweepDirectory">the sweep folder's path where the task runs (the same path here, another inside a container)</param>
/// <param name="Corpus">the corpus folder's path where the task runs</param>
/// <param name="TrainOptions">further options of every task's train, e.g. --threads 4 or --device cuda</param>
internal sealed record TaskEnvironment(IReadOnlyList<string> Charrnn, string SweepDirectory, string Corpus, IReadOnlyList<string> TrainOptions);

internal static class SweepTasks
{
    /// <summary>This very charrnn, as a command line: the apphost, or `dotnet charrnn.dll` when started through dotnet.</summary>
    public static IReadOnlyList<string> ThisCharrnn()
    {
        var process = Environment.ProcessPath ?? "charrnn";
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        return Path.GetFileNameWithoutExtension(process) == "dotnet" && !string.IsNullOrEmpty(entry) ? [process, entry] : [process];
    }

    /// <summary>The arguments (after the charrnn command) that train <paramref name="pointDirectory"/>.</summary>
    public static IReadOnlyList<string> TrainArguments(string pointDirectory, string corpus, IReadOnlyList<string> trainOptions) =>
        ["train", "--resume-or-start", "--corpus", corpus, "--preset", Path.Combine(pointDirectory, RunFolder.Config), "--out", pointDirectory, .. trainOptions];

    /// <summary>A POSIX shell script body: the point folder chosen by the task index in <paramref name="indexVariable"/>, then
    /// `exec charrnn train --resume-or-start` on it. An index that names no point stops with an error.</summary>
    public static string DispatchScript(SweepPlan plan, IEnumerable<SweepPoint> points, string indexVariable, TaskEnvironment environment)
    {
        var script = new StringBuilder();
        script.Append("case \"$").Append(indexVariable).Append("\" in\n");
        foreach (var point in points)
            script.Append("  ").Append(point.Index).Append(") POINT=")
                .Append(Quote(Path.Combine(environment.SweepDirectory, SweepPlan.PointsFolder, point.Folder))).Append(" ;;\n");
        script.Append("  *) echo \"error: no point of this sweep has index $").Append(indexVariable)
            .Append(" (the sweep has ").Append(plan.Points.Count).Append(" points)\" >&2; exit 2 ;;\nesac\n");
        // The point's folder is the shell variable, so its words are double-quoted for the shell to expand; the rest is literal.
        const string pointVariable = "$POINT";
        var train = TrainArguments(pointVariable, environment.Corpus, environment.TrainOptions)
            .Select(argument => argument.StartsWith(pointVariable, StringComparison.Ordinal) ? "\"" + argument + "\"" : Quote(argument));
        script.Append("exec ").AppendJoin(' ', environment.Charrnn.Select(Quote)).Append(' ').AppendJoin(' ', train).Append('\n');
        return script.ToString();
    }

    /// <summary>One shell word: single-quoted unless it is plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or '+' or ',' or '%')
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
