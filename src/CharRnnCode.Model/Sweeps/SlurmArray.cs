// A sweep as one Slurm job array: one array task per point that still needs training, each running the train command
// (for charrnn, `charrnn train --resume-or-start`) on its folder, so a task that is killed and requeued (preemption,
// `scontrol requeue`, a node failure) resumes from its last checkpoint. It writes the batch script and submits it
// with sbatch; it does not watch the jobs (squeue and sacct do) nor schedule anything itself.
using System.Diagnostics;
using System.Text;
using CharRnnCode.Common;
namespace CharRnnCode.Model.Sweeps;

/// <summary>What the array asks of Slurm.</summary>
/// <param name="Partition">the partition (queue), or null for the cluster's default</param>
/// <param name="GpusPerTask">GPUs per task (as --gres=gpu:N); 0 asks for none</param>
/// <param name="CpusPerTask">CPUs per task, also the trainer's thread count; null leaves both to the defaults</param>
/// <param name="TimeLimit">Slurm's time limit of a task (e.g. 02:00:00), or null for the partition's</param>
/// <param name="ExtraLines">further #SBATCH options, with or without their leading dashes (account=lab or --account=lab)</param>
public sealed record SlurmOptions(string? Partition, int GpusPerTask, int? CpusPerTask, string? TimeLimit, IReadOnlyList<string> ExtraLines);

public static class SlurmArray
{
    public const string Folder = "slurm";
    public const string ScriptName = "array.sbatch";

    /// <summary>The batch script of the array over <paramref name="points"/> (their indexes are the array's task ids); <paramref name="train"/>
    /// trains a point with what the options ask for (the GPU, the CPUs as threads).</summary>
    public static string Script(SweepPlan plan, IReadOnlyList<SweepPoint> points, SlurmOptions options, TaskCommand train)
    {
        var logs = Path.Combine(plan.Directory, Folder);
        var script = new StringBuilder("#!/bin/bash\n");
        script.Append("#SBATCH --job-name=").Append(SweepTasks.Quote("charrnn-" + Path.GetFileName(plan.Directory))).Append('\n');
        script.Append("#SBATCH --array=").AppendJoin(',', points.Select(p => p.Index)).Append('\n');
        // %A_%a: one log per task, appended to when a requeued task runs again, so its first run stays readable.
        script.Append("#SBATCH --output=").Append(SweepTasks.Quote(Path.Combine(logs, "%A_%a.out"))).Append('\n');
        script.Append("#SBATCH --open-mode=append\n#SBATCH --requeue\n#SBATCH --ntasks=1\n");
        if (options.Partition is not null) script.Append("#SBATCH --partition=").Append(options.Partition).Append('\n');
        if (options.GpusPerTask > 0) script.Append("#SBATCH --gres=gpu:").Append(options.GpusPerTask).Append('\n');
        if (options.CpusPerTask is int cpus) script.Append("#SBATCH --cpus-per-task=").Append(cpus).Append('\n');
        if (options.TimeLimit is not null) script.Append("#SBATCH --time=").Append(options.TimeLimit).Append('\n');
        // Given without dashes on the command line (a value starting with -- would read as an option there).
        foreach (var line in options.ExtraLines) script.Append("#SBATCH ").Append(line.Trim().StartsWith('-') ? "" : "--").Append(line.Trim()).Append('\n');
        script.Append("set -eu\n");
        script.Append("echo \"$(date -u +%FT%TZ) task $SLURM_ARRAY_TASK_ID of job $SLURM_ARRAY_JOB_ID on $(hostname), restart ${SLURM_RESTART_COUNT:-0}\"\n");
        script.Append(SweepTasks.DispatchScript(plan, points, "SLURM_ARRAY_TASK_ID", new TaskEnvironment(train, plan.Directory, plan.Corpus)));
        return script.ToString();
    }

    /// <summary>Writes SWEEP/slurm/array.sbatch and submits it; returns the job id sbatch printed.</summary>
    public static (string ScriptPath, string JobId) Submit(SweepPlan plan, string script)
    {
        var path = Path.Combine(plan.Directory, Folder, ScriptName);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, script);
        var start = new ProcessStartInfo("sbatch") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--parsable", path }) start.ArgumentList.Add(argument);
        Process process;
        try { process = Process.Start(start)!; }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidInputError("dryRun", $"sbatch was not found: run this on a Slurm login node, or write the script with {{dryRun}} (it is also at {path}) and submit it there.");
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidInputError("sbatch", $"sbatch refused {path} (exit {process.ExitCode}): {stderr.Trim()}. Fix the option it names ({{partition}}, {{gpus}}, {{time}}, {{sbatch}}) " +
                    $"and run again.")
                { ExitCode = 1 };
            // --parsable prints "jobid" or "jobid;cluster".
            return (path, stdout.Result.Trim().Split(';')[0]);
        }
    }
}
