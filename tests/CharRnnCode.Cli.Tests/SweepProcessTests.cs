// charrnn sweep and train --resume-or-start, run as a user runs them: the Kubernetes manifest checked against the
// batch/v1 Job schema and each completion index's folder found by running the pod's own shell command; the Slurm
// script's options and index-to-folder mapping; a local sweep of two tiny points, skipped when run again, and its
// report. (tests/sweep-slurm.sh runs a sweep on a real Slurm.)
using System.Diagnostics;
using System.Text.Json.Nodes;
using Json.Schema;

namespace CharRnnCode.Cli.Tests;

public sealed class SweepProcessTests
{
    private static readonly string[] Folders = ["000_hidden-8", "001_hidden-16", "002_hidden-24"];

    /// <summary>A planned (untrained) sweep of three tiny points, hidden 8, 16 and 24, on a hand-made corpus.</summary>
    private static (string Sweep, string Corpus) PlanThreePoints(TempFolder folder, int steps = 5)
    {
        var corpus = CodeCorpus.Write(folder["corpus"], CodeCorpus.Code(40, seed: 2));
        var grid = folder["grid.json"];
        File.WriteAllText(grid, $$"""
            { "corpus": "{{corpus}}", "preset": "tiny", "grid": { "hidden": [8, 16, 24] },
              "set": { "evalInterval": 5, "evalChars": 500 }, "budget": { "steps": {{steps}} } }
            """);
        var plan = Charrnn.Run("sweep", "plan", grid, "--out", folder["s"]);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        return (folder["s"], corpus);
    }

    private static ProcessResult Shell(string shell, string script, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(shell) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return new ProcessResult(process.ExitCode, stdout.Result, stderr);
    }

    [Fact]
    public void The_kubernetes_manifest_is_a_valid_indexed_job_whose_every_index_trains_its_own_folder()
    {
        using var folder = new TempFolder();
        var (sweep, _) = PlanThreePoints(folder);
        var written = Charrnn.Run("sweep", "run", sweep, "--kubernetes", "--image", "registry.example/charrnn:0.1", "--volume-claim", "sweeps",
            "--parallel", "2", "--charrnn", "echo charrnn");
        Assert.True(written.ExitCode == 0, written.ToString());
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(sweep, "kubernetes", "job.json")))!;

        var schema = JsonSchema.FromFile(Path.Combine(AppContext.BaseDirectory, "Schemas", "job-batch-v1.schema.json"));
        var evaluation = schema.Evaluate(manifest, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(evaluation.IsValid, string.Join("\n", (evaluation.Details ?? []).Where(d => d.Errors is not null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))));
        // The schema is not a rubber stamp: a pod that restarts Always is no Job's pod.
        var broken = manifest.DeepClone();
        broken["spec"]!["template"]!["spec"]!["restartPolicy"] = "Always";
        Assert.False(schema.Evaluate(broken).IsValid);

        var spec = manifest["spec"]!;
        Assert.Equal(("Indexed", 3, 2), (spec["completionMode"]!.GetValue<string>(), spec["completions"]!.GetValue<int>(), spec["parallelism"]!.GetValue<int>()));
        Assert.Equal("sweeps", spec["template"]!["spec"]!["volumes"]![0]!["persistentVolumeClaim"]!["claimName"]!.GetValue<string>());
        var container = spec["template"]!["spec"]!["containers"]![0]!;
        Assert.Equal("/sweeps", container["volumeMounts"]![0]!["mountPath"]!.GetValue<string>());
        var command = container["command"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        Assert.Equal(["sh", "-c"], command[..2]);

        // What each pod runs, run: index i trains folder i of the sweep, as the pod sees the claim.
        for (var index = 0; index < Folders.Length; index++)
        {
            var pod = Shell("sh", command[2], ("JOB_COMPLETION_INDEX", index.ToString()));
            Assert.True(pod.ExitCode == 0, pod.ToString());
            Assert.Equal($"charrnn train --resume-or-start --corpus /sweeps/corpus --preset /sweeps/s/points/{Folders[index]}/config.json --out /sweeps/s/points/{Folders[index]}\n", pod.Stdout);
        }
        var outside = Shell("sh", command[2], ("JOB_COMPLETION_INDEX", "3"));
        Assert.Equal(2, outside.ExitCode);
        Assert.Contains("no point of this sweep has index 3 (the sweep has 3 points)", outside.Stderr);
    }

    [Fact]
    public void The_slurm_script_asks_for_the_options_given_and_maps_each_array_task_to_its_folder()
    {
        using var folder = new TempFolder();
        var (sweep, corpus) = PlanThreePoints(folder);
        var dryRun = Charrnn.Run("sweep", "run", sweep, "--slurm", "--dry-run", "--partition", "gpu", "--gpus", "1", "--time", "01:00:00",
            "--sbatch", "account=lab", "--charrnn", "echo charrnn");
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        var lines = dryRun.Stdout.Split('\n');
        Assert.Equal("#!/bin/bash", lines[0]);
        foreach (var expected in new[] { "#SBATCH --array=0,1,2", "#SBATCH --partition=gpu", "#SBATCH --gres=gpu:1", "#SBATCH --time=01:00:00",
                     "#SBATCH --account=lab", "#SBATCH --requeue", "#SBATCH --open-mode=append", $"#SBATCH --output={sweep}/slurm/%A_%a.out" })
            Assert.Contains(expected, lines);
        Assert.False(Directory.Exists(Path.Combine(sweep, "slurm")), "a dry run writes nothing");

        var task = Shell("bash", dryRun.Stdout, ("SLURM_ARRAY_TASK_ID", "1"), ("SLURM_ARRAY_JOB_ID", "7"));
        Assert.True(task.ExitCode == 0, task.ToString());
        Assert.Contains("task 1 of job 7", task.Stdout);
        Assert.EndsWith($"charrnn train --resume-or-start --corpus {corpus} --preset {sweep}/points/{Folders[1]}/config.json --out {sweep}/points/{Folders[1]} --device cuda\n", task.Stdout);
    }

    [Fact]
    public void A_local_sweep_trains_every_point_skips_them_when_run_again_and_reports_one_row_each()
    {
        using var folder = new TempFolder();
        var (sweep, _) = PlanThreePoints(folder, steps: 10);
        var run = Charrnn.Run("sweep", "run", sweep, "--local", "--parallel", "2", "--threads", "1");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("3 points: 0 finished (skipped), 0 to resume, 3 to start", run.Stderr);
        foreach (var point in Folders)
        {
            Assert.True(File.Exists(Path.Combine(sweep, "points", point, "best.ckpt")), point);
            Assert.Contains("done: reached 10 steps", File.ReadAllText(Path.Combine(sweep, "points", point, "train.log")));
        }

        var again = Charrnn.Run("sweep", "run", sweep, "--local");
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("3 points: 3 finished (skipped), 0 to resume, 0 to start", again.Stderr);
        Assert.Contains("nothing to run", again.Stdout);

        var report = Charrnn.Run("sweep", "report", sweep, "--samples", "0", "--threads", "1");
        Assert.True(report.ExitCode == 0, report.ToString());
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(sweep, "report", "report.json")))!;
        var points = json["points"]!.AsArray();
        Assert.Equal([8, 16, 24], points.Select(p => p!["hidden"]!.GetValue<int>()));
        Assert.All(points, p => Assert.Equal(10, p!["steps"]!.GetValue<long>()));
        // Losses of a model that has learnt something: below a uniform guess over the corpus's ~40 characters (ln 40 = 3.7 nats).
        Assert.All(points, p => Assert.InRange(p!["testNats"]!.GetValue<double>(), 0.1, 3.7));
        Assert.NotNull(json["ngram"]);
        var markdown = File.ReadAllText(Path.Combine(sweep, "report", "report.md"));
        Assert.Contains("| size | LSTM 1 layer |", markdown);
        Assert.Equal(3, markdown.Split('\n').SkipWhile(l => l != "## Every point").Count(l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^\| \d+ \| \d+ \|")));
        Assert.True(new FileInfo(Path.Combine(sweep, "report", "loss-by-parameters.png")).Length > 1000);
    }

    [Fact]
    public void Train_resume_or_start_starts_a_new_folder_and_resumes_one_that_holds_a_run()
    {
        using var folder = new TempFolder();
        var corpus = CodeCorpus.Write(folder["corpus"], CodeCorpus.Code(40, seed: 2));
        string[] arguments = ["train", "--resume-or-start", "--corpus", corpus, "--preset", "tiny", "--set", "maxSteps=6", "--set", "evalInterval=3", "--threads", "1", "--out", folder["run"]];
        var first = Charrnn.Run(arguments);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("done: reached 6 steps", first.Stdout);
        var second = Charrnn.Run(arguments);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("resumed at step 6", second.Stdout + second.Stderr);
        Assert.Contains("done: the run had already finished. step 6", second.Stdout);

        var noFolder = Charrnn.Run("train", "--resume-or-start", "--corpus", corpus, "--preset", "tiny");
        Assert.Equal(2, noFolder.ExitCode);
        Assert.Contains("--resume-or-start needs --out RUN_DIR", noFolder.Stderr);
    }
}
