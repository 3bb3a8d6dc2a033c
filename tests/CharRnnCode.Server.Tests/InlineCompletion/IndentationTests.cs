// A document indented with tabs, served by a model trained only on spaces (the 2x256 test checkpoint's
// corpus has no tab): the model reads each tab as four spaces, and the completion comes back indented
// with tabs. Expected texts are written out; the model's own output is only checked for its indentation.
using CharRnnCode.Completion;
using CharRnnCode.Inference;

namespace CharRnnCode.Server.Tests.InlineCompletion;

[Collection(UserSizedCheckpointCollection.Name)]
public sealed class IndentationTests(UserSizedCheckpoint checkpoint)
{
    [SlowFact]
    public void A_spaces_trained_model_reads_a_tab_as_four_spaces()
    {
        using var model = CharLanguageModel.Load(checkpoint.Path, "cpu", 1);
        Assert.False(model.KnowsTabs);
        var tabs = model.NextLogProbabilities(model.Advance(model.InitialState(), "class A\n{\n\tint count;\n\t"));
        var spaces = model.NextLogProbabilities(model.Advance(model.InitialState(), "class A\n{\n    int count;\n    "));
        Assert.Equal(spaces, tabs);
    }

    [Fact]
    public void Spaces_to_tabs_rewrites_the_indentation_of_the_lines_after_the_first() =>
        Assert.Equal("x = 1;\n\tif (x)\n\t\ty();\n\t  z();", EditorRules.SpacesToTabs("x = 1;\n    if (x)\n        y();\n      z();", 4));

    [SlowFact]
    public async Task A_tab_indented_document_gets_a_tab_indented_completion()
    {
        var snippet = CaretSnippet.Parse("namespace Demo\n{\n\tpublic class Counter\n\t{\n\t\tprivate int count;\n\n\t\tpublic void Add(int value)\n\t\t{{|caret:|}\n\t\t}\n\t}\n}\n");
        await using var server = await ReadyServer.StartAsync(
            new { checkpoint = checkpoint.Path, temperature = 0, rerank = false, constrain = false, maxChars = 80, maxLines = 3, timeBudgetMs = 10_000 });
        var items = (await server.OpenAndCompleteAsync("file:///work/Tabs.cs", snippet.Text, snippet.Position)).GetProperty("items");
        Assert.True(items.GetArrayLength() == 1, "no completion");
        var completion = items[0].GetProperty("insertText").GetString()!;
        var lines = completion.Split('\n');
        Assert.True(lines.Length > 1, $"expected a multi-line completion: {completion}");
        Assert.All(lines.Skip(1).Where(l => l.Trim().Length > 0), line => Assert.StartsWith("\t\t\t", line));
    }
}
