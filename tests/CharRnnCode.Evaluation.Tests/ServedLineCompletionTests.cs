// The line-completion row "constrained by Roslyn, re-ranked" for a checkpoint is the server's completion
// pipeline: on the shared tiny model, with a budget no machine runs out of, Roslyn steers the candidates
// (it holds the repository's files), the same seed gives the same completion, and the file's whole text is
// back in Roslyn's workspace after each position.
using CharRnnCode.Completion;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Evaluation.Tests;

public sealed class ServedLineCompletionTests
{
    private static readonly SourceFile[] Files =
    [
        new("demo", "src/Shapes.cs", "namespace Demo;\n\npublic static class Shapes\n{\n    public static double Area(double width, double height)\n    {\n        var area = width * height;\n      " +
            "  return area;\n    }\n}\n"),
        new("demo", "src/Report.cs", "namespace Demo;\n\npublic class Report\n{\n    public double Twice(double width)\n    {\n        var area = Shapes.Area(width, 2);\n        return area;\n    " +
            "}\n}\n"),
    ];

    [Fact]
    public void The_server_pipeline_completes_an_emptied_line_with_Roslyn_steering()
    {
        using var model = CheckpointModel.Load(SharedTinyModel.Files.BestCheckpoint, "cpu", 1);
        using var served = new ServedLineCompletion(model.Model, Files, new CompletionOptions { TimeBudgetMs = 10_000, ConstrainWaitMs = 10_000 });
        var file = Files[1];
        var caret = file.Text.IndexOf("var area = Shapes", StringComparison.Ordinal);
        var withoutLine = file.Text[..caret] + file.Text[file.Text.IndexOf('\n', caret)..];

        var first = served.Complete(file, withoutLine, caret, seed: 3, CancellationToken.None);
        var trace = served.LastTrace!;
        Assert.Null(trace.Declined);
        Assert.True(trace.Constrained, "Roslyn's constraint did not steer generation");
        Assert.False(trace.BudgetExpired);
        Assert.Equal(first, served.Complete(file, withoutLine, caret, seed: 3, CancellationToken.None));
    }
}
