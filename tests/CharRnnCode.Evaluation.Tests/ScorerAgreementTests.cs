// The fast scorer against full binding on completions a real trained model writes (the tiny LSTM of TinyRun,
// trained by the real trainer on C#) at lines of real C#: this repository's own Common and Corpus sources, bound
// together as one repository. At least 200 distinct completions; the two must find the same undefined names on at
// least 95 % of them. `charrnn bench score --checkpoint` prints the same measure for a full-size model.
namespace CharRnnCode.Evaluation.Tests;

public sealed class ScorerAgreementTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void The_fast_scorer_finds_the_same_undefined_names_as_full_binding_on_real_completions()
    {
        var files = RepositorySources("src/CharRnnCode.Common", "src/CharRnnCode.Corpus");
        var positions = LineCompletion.DrawPositions(files, 90, seed: 11);
        using var model = CheckpointModel.Load(TinyRun.Run.BestCheckpoint, "cpu");
        var result = ScorerAgreement.Measure(model, files, positions, new LineCompletionOptions { K = 4, MaxChars = 60, Seed = 5 });

        output.WriteLine($"agreement {result.Agreeing} of {result.Completions} ({result.Share:P1}); {result.WithUnresolvedMembers} with an unresolved member");
        Assert.True(result.Completions >= 200, $"only {result.Completions} distinct completions");
        var shown = string.Join("\n", result.Disagreements.Take(10).Select(d =>
            $"{d.Completion}  fast [{string.Join(", ", d.Fast)}] unresolved [{string.Join(", ", d.Unresolved)}] full [{string.Join(", ", d.Full)}]"));
        Assert.True(result.Share >= 0.95, $"agreement {result.Share:P1} on {result.Completions} completions; first disagreements:\n{shown}");
    }

    private static List<SourceFile> RepositorySources(params string[] folders)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "CharRnnCode.sln"))) root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("the repository root was not found above the test assembly");
        return [.. folders.SelectMany(folder => Directory.EnumerateFiles(Path.Combine(root, folder), "*.cs"))
            .Order(StringComparer.Ordinal)
            .Select(path => new SourceFile("charrnn", Path.GetRelativePath(root, path), File.ReadAllText(path).ReplaceLineEndings("\n")))];
    }
}
