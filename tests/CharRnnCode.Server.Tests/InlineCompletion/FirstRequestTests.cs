// The first request in a document, with a model of the size users train (2x256) and the server's
// default settings: the cold prefix must not eat the time budget, a budget that runs out still yields
// a whole token, and a completion cut by the budget ends at a token boundary. Properties, not
// recomputed expectations: the answer is non-empty; a short budget's completion is a prefix of the
// unhurried one that does not stop inside an identifier.
using System.Text.Json;
using CharRnnCode.Completion;

namespace CharRnnCode.Server.Tests.InlineCompletion;

[Collection(UserSizedCheckpointCollection.Name)]
public sealed class FirstRequestTests(UserSizedCheckpoint checkpoint)
{
    private const string Uri = "file:///work/Counters.cs";

    /// <summary>A generated C# file with the first Console.WriteLine line at least 800 characters in emptied to its indentation; the caret there.</summary>
    private static (string Text, Position Caret, int Offset) DocumentWithALineEmptiedAt800()
    {
        var text = TinyModelCorpus.CSharp(seed: 5, classes: 6);
        var lineStart = text.IndexOf("Console.WriteLine(", 800, StringComparison.Ordinal);
        lineStart = text.LastIndexOf('\n', lineStart) + 1;
        var lineEnd = text.IndexOf('\n', lineStart);
        const string indent = "            ";
        Assert.Equal(indent, text[lineStart..(lineStart + indent.Length)]);
        text = text[..(lineStart + indent.Length)] + text[lineEnd..];
        var offset = lineStart + indent.Length;
        Assert.InRange(offset, 800, 1200);
        return (text, CaretSnippet.PositionOf(text, offset), offset);
    }

    [SlowTheory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_request_right_after_did_open_at_a_line_800_characters_in_answers_with_a_completion(bool encodeAhead)
    {
        var (text, caret, offset) = DocumentWithALineEmptiedAt800();
        // The server's defaults (time budget, candidates, temperature, Roslyn), a fixed seed for a reproducible run.
        await using var server = await ReadyServer.StartAsync(new { checkpoint = checkpoint.Path, seed = 1, encodeAhead });
        var result = await server.OpenAndCompleteAsync(Uri, text, caret, InlineCompletionTriggerKind.Automatic);

        var items = result.GetProperty("items");
        Assert.Equal(1, items.GetArrayLength());
        var completion = items[0].GetProperty("insertText").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(completion), $"an empty completion: {JsonSerializer.Serialize(completion)}");
        if (!encodeAhead) Assert.InRange(server.LastTrace.EncodedChars, offset - PrefixStateCacheWindow, offset);
    }

    private const int PrefixStateCacheWindow = CharRnnCode.Completion.Modeling.PrefixStateCache.ContextWindow;

    [SlowFact]
    public async Task A_budget_that_runs_out_still_serves_a_whole_token_cut_at_a_token_boundary()
    {
        // At the end of a method's opening brace line, 800 characters in: a multi-line completion, longer than 5 ms of generation.
        var text = TinyModelCorpus.CSharp(seed: 5, classes: 6);
        var method = text.IndexOf("public void Add(int value)\n        {", 800, StringComparison.Ordinal);
        var offset = text.IndexOf('{', method) + 1;
        var caret = CaretSnippet.PositionOf(text, offset);
        // Greedy, so the hurried and the unhurried request follow the same path; the hurried one has no
        // budget at all (0 ms: the first whole token), which makes the cut independent of the machine's speed.
        var (unhurried, _) = await CompleteAsync(text, caret, new { checkpoint = checkpoint.Path, temperature = 0, timeBudgetMs = 10_000, maxChars = 80 });
        var (hurried, trace) = await CompleteAsync(text, caret, new { checkpoint = checkpoint.Path, temperature = 0, timeBudgetMs = 0, maxChars = 80 });

        Assert.True(unhurried.Length > 20, $"the model's own continuation is too short to cut: {JsonSerializer.Serialize(unhurried)}");
        Assert.True(trace.BudgetExpired);
        Assert.False(string.IsNullOrWhiteSpace(hurried), $"no budget gave an empty completion; with 10 s: {JsonSerializer.Serialize(unhurried)}");
        Assert.True(hurried.Length < unhurried.Length, $"hurried {JsonSerializer.Serialize(hurried)}, unhurried {JsonSerializer.Serialize(unhurried)}");
        Assert.StartsWith(hurried, unhurried, StringComparison.Ordinal);
        Assert.False(IsWord(hurried[^1]) && IsWord(unhurried[hurried.Length]),
            $"cut inside an identifier: {JsonSerializer.Serialize(hurried)} of {JsonSerializer.Serialize(unhurried)}");
    }

    private static bool IsWord(char c) => char.IsLetterOrDigit(c) || c == '_';

    private async Task<(string Completion, CompletionTrace Trace)> CompleteAsync(string text, Position caret, object settings)
    {
        await using var server = await ReadyServer.StartAsync(settings);
        var result = await server.OpenAndCompleteAsync(Uri, text, caret);
        return (ReadyServer.FirstText(result), server.LastTrace);
    }

    [SlowFact]
    public async Task After_did_open_the_document_is_encoded_ahead_so_a_request_at_its_end_encodes_less_than_one_interval()
    {
        var text = TinyModelCorpus.CSharp(seed: 6, classes: 10);   // about 3,000 characters
        await using var server = await ReadyServer.StartAsync(new { checkpoint = checkpoint.Path, seed = 1 });
        await server.Client.OpenAsync(Uri, text);
        var grid = Enumerable.Range(1, text.Length / CharRnnCode.Completion.Modeling.PrefixStateCache.Interval).Select(i => i * CharRnnCode.Completion.Modeling.PrefixStateCache.Interval).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!grid.All(server.Context.PrefixStates.SavedOffsets(Uri).Contains) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Subset(server.Context.PrefixStates.SavedOffsets(Uri).ToHashSet(), grid.ToHashSet());
        Assert.True(server.Context.PrefixStates.Statistics.CharactersEncodedAhead >= grid[^1]);

        await server.Client.InlineCompletionAsync(Uri, CaretSnippet.PositionOf(text, text.Length));
        Assert.InRange(server.LastTrace.EncodedChars, 0, CharRnnCode.Completion.Modeling.PrefixStateCache.Interval - 1);
    }
}
