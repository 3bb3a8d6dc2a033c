// charrnn adapt, run as the language server runs it: a copy of the tiny model steps on a folder's C# files and
// is written as an inference-only checkpoint that every reader loads, with weights that moved and a lower loss on
// that folder's text; skipped files and folders are not read; bad input is refused with a message and nothing written.
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Cli.Tests;

public sealed class AdaptProcessTests
{
    private static TinyModelFiles Tiny => SharedTinyModel.Files;

    private static string Workspace(TempFolder folder)
    {
        var root = folder["workspace"];
        foreach (var (className, text) in TinyModelCorpus.Classes(seed: 7, 12))
        {
            Directory.CreateDirectory(Path.Combine(root, "src"));
            File.WriteAllText(Path.Combine(root, "src", className + ".cs"), text.Replace("total", "zebraQuota", StringComparison.Ordinal));
        }
        Directory.CreateDirectory(Path.Combine(root, "obj"));
        File.WriteAllText(Path.Combine(root, "obj", "Generated.cs"), "class Generated { }\n");
        return root;
    }

    [Fact]
    public void Adapted_weights_are_written_as_an_export_that_loads_and_predicts_the_workspace_better()
    {
        using var folder = new TempFolder();
        var workspace = Workspace(folder);
        var adapted = folder["adapted.ckpt"];
        var result = Charrnn.Run("adapt", "--checkpoint", Tiny.BestCheckpoint, "--workspace", workspace, "--out", adapted, "--max-seconds", "20", "--threads", "1");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("adapted ", result.Stdout);
        Assert.Contains("12 files", result.Stdout); // obj/ is skipped as the server skips it

        var source = Checkpoint.Load(Tiny.BestCheckpoint);
        var copy = Checkpoint.Load(adapted);
        Assert.False(copy.HasTrainingState);
        Assert.Equal(source.Info.Vocabulary, copy.Info.Vocabulary);
        Assert.Contains(source.Parameters(), parameter => !parameter.Entry.Data.SequenceEqual(copy.Entries[Checkpoint.ParameterPrefix + parameter.Name].Data));

        // The renamed variable is the workspace's own habit: the adapted weights give its text a higher likelihood.
        var text = File.ReadAllText(Directory.GetFiles(Path.Combine(workspace, "src"))[0]);
        using var before = CharLanguageModel.Load(Tiny.BestCheckpoint, "cpu", 1);
        using var after = CharLanguageModel.Load(adapted, "cpu", 1);
        Assert.True(after.CharacterLogProbabilities(text).Sum() > before.CharacterLogProbabilities(text).Sum());
    }

    [Fact]
    public void Bad_input_is_refused_with_what_to_do_and_nothing_is_written()
    {
        using var folder = new TempFolder();
        var adapted = folder["adapted.ckpt"];
        var missing = Charrnn.Run("adapt", "--checkpoint", Tiny.BestCheckpoint, "--workspace", folder["nowhere"], "--out", adapted);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("no such folder", missing.Stderr);
        Directory.CreateDirectory(folder["empty"]);
        var empty = Charrnn.Run("adapt", "--checkpoint", Tiny.BestCheckpoint, "--workspace", folder["empty"], "--out", adapted);
        Assert.NotEqual(0, empty.ExitCode);
        Assert.Contains("no C# text", empty.Stderr);
        var budget = Charrnn.Run("adapt", "--checkpoint", Tiny.BestCheckpoint, "--workspace", folder["empty"], "--out", adapted, "--max-seconds", "0");
        Assert.NotEqual(0, budget.ExitCode);
        Assert.Contains("--max-seconds", budget.Stderr);
        Assert.False(File.Exists(adapted));
    }
}
