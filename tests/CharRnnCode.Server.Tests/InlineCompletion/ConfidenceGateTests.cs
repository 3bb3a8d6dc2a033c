// Showing only what is likely: the confidence and the stop rule on hand-written candidates (each text and how many
// of the K generated candidates became it, the shown text and the confidence worked out by hand), and through the
// real server with the real default model: a position where the model is unsure answers nothing to an automatic
// request and its best candidate to a manual one.
using CharRnnCode.Completion;
using CharRnnCode.Inference.Checkpoints;

namespace CharRnnCode.Server.Tests.InlineCompletion;

public sealed class ConfidenceGateTests
{
    private static RankedCandidate Candidate(string text, int count) => new(text, -0.1, 0, [], -0.1) { Count = count };

    [Fact]
    public void Candidates_that_agree_on_the_first_token_are_shown_as_far_as_enough_of_them_agree()
    {
        // 8 candidates: all begin with "Count" (confidence 1); 5 go on " > 0)", 3 with " < 1)".
        IReadOnlyList<RankedCandidate> ranked = [Candidate("Count > 0)", 5), Candidate("Count < 1)", 3)];
        Assert.Equal(new ShownDecision("Count > 0)", 1.0, null), ShownText.Decide(ranked, minConfidence: 0.75, stopAgreement: 0.5));
        // 5 of 8 (0.625) is below a stop share of 0.75: the text ends after the last word all of them share.
        Assert.Equal(new ShownDecision("Count", 1.0, null), ShownText.Decide(ranked, minConfidence: 0.75, stopAgreement: 0.75));
        // No stop rule: the whole best candidate.
        Assert.Equal(new ShownDecision("Count > 0)", 1.0, null), ShownText.Decide(ranked, minConfidence: 0.75, stopAgreement: 0));
    }

    [Fact]
    public void Candidates_that_disagree_from_the_first_token_are_held_back()
    {
        // 3 of 8 begin with "Count", 3 with "Length", 2 with "Items": the best's first token has 3/8 = 0.375.
        IReadOnlyList<RankedCandidate> ranked = [Candidate("Count > 0) {", 3), Candidate("Length == 0)", 3), Candidate("Items", 2)];
        Assert.Equal(new ShownDecision("", 0.375, "low confidence (0.38 < 0.75)"), ShownText.Decide(ranked, minConfidence: 0.75, stopAgreement: 0.5));
        Assert.Equal(new ShownDecision("Count", 0.375, null), ShownText.Decide(ranked, minConfidence: 0.25, stopAgreement: 0.5));
    }

    [Fact]
    public void A_lone_closing_bracket_is_never_shown_however_sure()
    {
        IReadOnlyList<RankedCandidate> ranked = [Candidate("});", 8)];
        Assert.Equal(new ShownDecision("", 1.0, "nothing a user would not type anyway"), ShownText.Decide(ranked, minConfidence: 0, stopAgreement: 0));
    }

    [SlowFact]
    public async Task Through_the_server_an_unsure_position_answers_nothing_automatically_and_its_best_when_asked()
    {
        // A blank first line of a method body, sampled hot: the eight candidates begin differently.
        var snippet = CaretSnippet.Parse("class Inventory\n{\n    void Restock(int count)\n    {\n        {|caret:|}\n    }\n}\n");
        var checkpoint = Path.Combine(AppContext.BaseDirectory, DefaultModel.FileName);
        await using var server = await ReadyServer.StartAsync(new { checkpoint, seed = 3, temperature = 2.0, candidates = 8, minConfidence = 1.0, timeBudgetMs = 2000, maxLines = 1 });
        var client = server.Client;
        const string uri = "file:///work/Inventory.cs";
        var automatic = await server.OpenAndCompleteAsync(uri, snippet.Text, snippet.Position, InlineCompletionTriggerKind.Automatic);
        JsonAssert.Equal("""{ "items": [] }""", automatic);
        var status = await client.RequestAsync(Methods.Status, null);
        var last = status.GetProperty("lastCompletion");
        Assert.True(last.GetProperty("heldBack").GetBoolean());
        Assert.StartsWith("low confidence (", last.GetProperty("declined").GetString());
        Assert.True(last.GetProperty("confidence").GetDouble() < 1.0);

        var manual = (await client.InlineCompletionAsync(uri, snippet.Position, InlineCompletionTriggerKind.Invoked)).GetProperty("items");
        Assert.True(manual.GetArrayLength() > 0, "a manual request answered nothing");
        Assert.NotEqual("", manual[0].GetProperty("insertText").GetString());
        Assert.InRange(manual[0].GetProperty("data").GetProperty("confidence").GetDouble(), 0, 0.99);
    }
}
