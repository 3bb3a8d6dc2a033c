// `charrnn experiment seed-linux` end to end on a small C repository with the tiny preset: every stage runs,
// the report holds every cell and every n-gram order, and --resume skips what is done instead of redoing it.
using System.Text;
using System.Text.Json.Nodes;
using CharRnnCode.Corpus.Tests;

namespace CharRnnCode.Cli.Tests;

public sealed class SeedExperimentTests
{
    [Fact]
    public void Runs_every_stage_writes_one_report_and_resumes_without_redoing_work()
    {
        using var folder = new TempFolder();
        using var git = new GitFixture();
        var repository = git.CreateRepository("kernel", Enumerable.Range(0, 24).Select(i => GitFixture.Text($"drivers/d{i}.c", CFile(i))));
        var manifest = folder["linux-small.json"];
        File.WriteAllText(manifest, $$"""{ "lang": ["c"], "val": 0.2, "test": 0.2, "repositories": [ { "repo": "{{repository}}", "id": "kernel" } ] }""");
        string[] arguments = ["experiment", "seed-linux", "--manifest", manifest, "--out", folder["exp"], "--preset", "tiny",
            "--minutes", "0.05", "--cells", "lstm,rnn", "--samples", "1", "--threads", "1"];

        var first = Charrnn.Run(arguments);
        Assert.True(first.ExitCode == 0, first.ToString());
        var experiment = JsonNode.Parse(File.ReadAllText(Path.Combine(folder["exp"], "experiment.json")))!;
        var models = experiment["models"]!.AsArray();
        Assert.Equal(["lstm", "rnn"], models.Select(m => m!["cell"]!.GetValue<string>()));
        Assert.All(models, m => Assert.InRange(m!["testNats"]!.GetValue<double>(), 0.01, 10));
        var ngrams = experiment["ngrams"]!.AsArray();
        Assert.Equal(40, ngrams.Count); // orders 1..20 of both smoothings
        var report = File.ReadAllText(Path.Combine(folder["exp"], "report.md"));
        Assert.Contains("LSTM 1x", report);
        Assert.Contains("RNN 1x", report);
        Assert.Contains("0.84", report); // the paper's column
        Assert.True(new FileInfo(Path.Combine(folder["exp"], "loss-curves.png")).Length > 1000);
        Assert.True(new FileInfo(Path.Combine(folder["exp"], "ngram-orders.png")).Length > 1000);

        var again = Charrnn.Run(arguments);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("--resume", again.Stderr);

        var resumed = Charrnn.Run([.. arguments, "--resume"]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        // harvest, two trainings, n-grams, evaluation: all done before
        Assert.Equal(5, resumed.Stdout.Split("skipped:").Length - 1);
    }

    /// <summary>Kernel-flavoured C, different for every file.</summary>
    private static string CFile(int seed)
    {
        var random = new Random(seed);
        var text = new StringBuilder("#include <linux/kernel.h>\n\n");
        for (var f = 0; f < 6; f++)
        {
            text.Append($"static int dev{seed}_op{f}(struct device *dev, unsigned long flags)\n{{\n");
            for (var l = 0; l < 5; l++) text.Append($"\tif (flags & {random.Next(16)})\n\t\treturn -EINVAL;\n");
            text.Append("\treturn 0;\n}\n\n");
        }
        return text.ToString();
    }
}
