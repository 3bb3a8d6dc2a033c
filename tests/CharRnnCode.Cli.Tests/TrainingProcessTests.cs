// Training as a process (issue 17): validation text shorter than one batch, or none; SIGTERM saving like
// Ctrl+C; temporaries of a killed run removed by the next train or resume; the --json summary. Each run is
// the tiny preset on one thread for a few seconds.
using System.Runtime.InteropServices;
using System.Text.Json;

namespace CharRnnCode.Cli.Tests;

public sealed class TrainingProcessTests
{
    private static readonly string[] Tiny = ["--preset", "tiny", "--threads", "1"];

    [Fact]
    public void Validation_text_shorter_than_one_batch_is_validated_on_what_there_is()
    {
        using var folder = new TempFolder();
        var corpus = CodeCorpus.Write(folder["corpus"], CodeCorpus.Code(40, seed: 2));
        var result = Charrnn.Run(["train", "--corpus", corpus, .. Tiny, "--set", "evalChars=10", "--set", "maxSteps=10", "--out", folder["run"]]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"step 10: val loss \d", result.Stderr); // the log, beside the progress bar
        Assert.Contains("best val", result.Stdout);           // the result
        Assert.True(File.Exists(Path.Combine(folder["run"], "best.ckpt")));
        // The loss curve as a picture beside the checkpoints, drawn by the command at each checkpoint.
        var png = File.ReadAllBytes(Path.Combine(folder["run"], "loss.png"));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
    }

    [Fact]
    public void An_empty_validation_split_trains_without_validation_and_says_so()
    {
        using var folder = new TempFolder();
        var corpus = CodeCorpus.Write(folder["corpus"], validation: "");
        var result = Charrnn.Run(["train", "--corpus", corpus, .. Tiny, "--set", "maxSteps=10", "--out", folder["run"]]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("no validation", result.Stdout);
        Assert.DoesNotContain("Infinity", result.Stdout + result.Stderr);
        // Its checkpoint loads: a sample from it works.
        var sample = Charrnn.Run("sample", "--checkpoint", Path.Combine(folder["run"], "best.ckpt"), "--length", "5");
        Assert.True(sample.ExitCode == 0, sample.ToString());
    }

    [Fact]
    public void Sigterm_validates_saves_and_exits_like_ctrl_c()
    {
        using var folder = new TempFolder();
        var run = folder["run"];
        using var training = StartEndlessTraining(folder, evalInterval: 1_000_000);
        // The "train ..." line comes after the signal handlers are in place; a first step is logged at logInterval 10.
        Assert.True(training.WaitUntil(() => File.Exists(Path.Combine(run, "metrics.jsonl")) && new FileInfo(Path.Combine(run, "metrics.jsonl")).Length > 0),
            "training did not start");
        Assert.False(File.Exists(Path.Combine(run, "last.ckpt"))); // nothing saved before the signal
        Assert.Equal(0, Kill(training.Id, Sigterm));
        var result = training.WaitForExit();
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("done: cancelled", result.Stdout);
        Assert.Matches(@"step \d+: val loss", result.Stderr);
        Assert.True(File.Exists(Path.Combine(run, "last.ckpt")));
        Assert.True(File.Exists(Path.Combine(run, "best.ckpt")));
    }

    [Fact]
    public void Temporaries_a_killed_run_left_are_removed_by_the_next_resume_and_a_live_writers_are_kept()
    {
        using var folder = new TempFolder();
        var run = folder["run"];
        using var training = StartEndlessTraining(folder, evalInterval: 5);
        Assert.True(training.WaitUntil(() => File.Exists(Path.Combine(run, "last.ckpt"))), "training saved no checkpoint");
        var killedId = training.Id;
        training.KillHard();
        // What a kill during a save leaves: the temporary files of the checkpoint and of the plot, named by the dead process.
        string Leftover(string name, int pid) => Path.Combine(run, $".{name}.{pid}.{Guid.NewGuid():N}.tmp");
        var stale = new[] { Leftover("last.ckpt", killedId), Leftover("loss.png", killedId) };
        var live = Leftover("notes.txt", Environment.ProcessId); // a running process's: not this run's to delete
        foreach (var path in stale.Append(live)) File.WriteAllText(path, "half written");

        var result = Charrnn.Run(["train", "--resume", run, "--threads", "1", "--set", "maxSteps=1"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"removed \d+ temporary file\(s\)", result.Stderr); // ours, and any the kill itself left
        foreach (var path in stale) Assert.False(File.Exists(path), $"{Path.GetFileName(path)} is still there");
        Assert.True(File.Exists(live));
        Assert.Equal([Path.GetFileName(live)], Directory.EnumerateFiles(run, "*.tmp").Select(Path.GetFileName));
    }

    [Fact]
    public void Json_prints_the_final_summary_alone_on_stdout()
    {
        using var folder = new TempFolder();
        var corpus = CodeCorpus.Write(folder["corpus"], CodeCorpus.Code(40, seed: 2));
        var result = Charrnn.Run(["train", "--corpus", corpus, .. Tiny, "--set", "maxSteps=10", "--out", folder["run"], "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = JsonDocument.Parse(result.Stdout).RootElement;
        Assert.Equal(10, summary.GetProperty("step").GetInt64());
        Assert.Equal(Path.Combine(folder["run"], "best.ckpt"), summary.GetProperty("bestCheckpoint").GetString());
        Assert.True(summary.GetProperty("bestValBitsPerChar").GetDouble() > 0);
        Assert.Contains("train lstm", result.Stderr); // what a person reads went to stderr
    }

    /// <summary>A tiny run into folder/run that would train for hours: the test stops it.</summary>
    private static RunningCharrnn StartEndlessTraining(TempFolder folder, int evalInterval)
    {
        var corpus = CodeCorpus.Write(folder["corpus"], CodeCorpus.Code(40, seed: 2));
        return Charrnn.Start(["train", "--corpus", corpus, .. Tiny, "--set", "maxSteps=1000000", "--set", $"evalInterval={evalInterval}", "--out", folder["run"]]);
    }

    private const int Sigterm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
