// What one task of a sweep runs, in one place for every executor: the command that trains the point's folder (given
// by the front end that runs the sweep: for charrnn, `charrnn train --resume-or-start` on the folder), and the shell
// fragment that turns a scheduler's task index (Slurm's array task id, Kubernetes' completion index) into that folder.
// Executors differ only in how they start the tasks; none of them trains in-process. It does not decide which points
// still need to run (SweepPlan.StateOf does), and it knows no command line's options: the TaskCommand brings them.
using System.Text;

namespace CharRnnCode.Model.Sweeps;

/// <summary>The whole command (program and arguments, as separate words) that trains the point in
/// <paramref name="pointDirectory"/> on <paramref name="corpus"/>, as paths where the task runs.</summary>
public delegate IReadOnlyList<string> TaskCommand(string pointDirectory, string corpus);

/// <summary>Where the sweep's files are as the tasks see them, and the command that trains a point there.</summary>
/// <param name="Train">the command that trains a point where the task runs</param>
/// <param name="SweepDirectory">the sweep folder's path where the task runs (the same path here, another inside a container)</param>
/// <param name="Corpus">the corpus folder's path where the task runs</param>
public sealed record TaskEnvironment(TaskCommand Train, string SweepDirectory, string Corpus);

public static class SweepTasks
{
    /// <summary>A POSIX shell script body: the point folder chosen by the task index in <paramref name="indexVariable"/>, then
    /// `exec` of the train command on it. An index that names no point stops with an error.</summary>
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
        var train = environment.Train(pointVariable, environment.Corpus)
            .Select(argument => argument.StartsWith(pointVariable, StringComparison.Ordinal) ? "\"" + argument + "\"" : Quote(argument));
        script.Append("exec ").AppendJoin(' ', train).Append('\n');
        return script.ToString();
    }

    /// <summary>One shell word: single-quoted unless it is plainly safe.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or '+' or ',' or '%')
            ? word
            : "'" + word.Replace("'", "'\\''") + "'";
}
