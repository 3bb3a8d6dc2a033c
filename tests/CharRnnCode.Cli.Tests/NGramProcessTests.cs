// charrnn ngram as a user runs it, on a corpus the built charrnn harvested from a small git repository: every
// order of both smoothings in the JSON it writes and prints, all finite, the best order the lowest loss; bad
// options refused before any work.
using System.Text.Json;
using CharRnnCode.Corpus.Tests;

namespace CharRnnCode.Cli.Tests;

public sealed class NGramProcessTests
{
    [Fact]
    public void Ngram_writes_every_order_of_both_smoothings_and_marks_the_best()
    {
        using var folder = new TempFolder();
        using var git = new GitFixture();
        var repository = git.CreateRepository("code", Enumerable.Range(0, 30).Select(i =>
            GitFixture.Text($"f{i}.c", $"int f{i}(int count)\n{{\n{CodeCorpus.Code(15, seed: i)}    return count;\n}}\n")));
        var corpus = folder["corpus"];
        var harvest = Charrnn.Run("harvest", "--repo", repository, "--lang", "c", "--val", "0.2", "--test", "0.2", "--out", corpus);
        Assert.True(harvest.ExitCode == 0, harvest.ToString());

        var table = folder["tables/ngram.json"];
        var result = Charrnn.Run("ngram", "--corpus", corpus, "--orders", "1-20", "--out", table, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var printed = JsonDocument.Parse(result.Stdout).RootElement;
        var written = JsonDocument.Parse(File.ReadAllText(table)).RootElement;
        Assert.Equal(printed.GetRawText(), written.GetRawText());

        var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(corpus, "manifest.json"))).RootElement;
        Assert.Equal(manifest.GetProperty("corpusId").GetString(), written.GetProperty("corpusId").GetString());
        Assert.Equal("test", written.GetProperty("split").GetString());
        Assert.Equal(File.ReadAllText(Path.Combine(corpus, "train.txt")).Length, written.GetProperty("trainChars").GetInt32());
        Assert.Equal(File.ReadAllText(Path.Combine(corpus, "test.txt")).Length, written.GetProperty("evalChars").GetInt32());

        var rows = written.GetProperty("rows").EnumerateArray()
            .Select(r => (Smoothing: r.GetProperty("smoothing").GetString()!, Order: r.GetProperty("order").GetInt32(),
                Nats: r.GetProperty("nats").GetDouble(), Bpc: r.GetProperty("bpc").GetDouble()))
            .ToList();
        foreach (var smoothing in new[] { "witten-bell", "kneser-ney" })
        {
            var ofSmoothing = rows.Where(r => r.Smoothing == smoothing).ToList();
            Assert.Equal(Enumerable.Range(1, 20), ofSmoothing.Select(r => r.Order));
            Assert.All(ofSmoothing, r => Assert.True(double.IsFinite(r.Nats) && r.Nats > 0, $"{smoothing} {r.Order}: {r.Nats}"));
            Assert.All(ofSmoothing, r => Assert.Equal(r.Nats / Math.Log(2), r.Bpc, 12));
            var best = written.GetProperty("best").GetProperty(smoothing);
            var lowest = ofSmoothing.MinBy(r => r.Nats);
            Assert.Equal(lowest.Order, best.GetProperty("order").GetInt32());
            Assert.Equal(lowest.Nats, best.GetProperty("nats").GetDouble());
        }
        Assert.Equal(40, rows.Count);
    }

    public static TheoryData<string[], string> BadOptions => new()
    {
        { ["--orders", "0-5"], "--orders: '0-5'" },
        { ["--orders", "8-3"], "runs backwards" },
        { ["--smoothing", "good-turing"], "--smoothing: 'good-turing' is not a smoothing" },
        { ["--split", "train"], "--split must be test or val" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Ngram_refuses_bad_options_before_any_work(string[] options, string expected)
    {
        using var folder = new TempFolder();
        var result = Charrnn.RunIn(folder.Path, ["ngram", "--corpus", folder["missing"], "--out", folder["table.json"], .. options]);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
        Assert.Equal("", result.Stdout);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }
}
