// Inline completions served by the real server with a real (tiny, trained in this run) checkpoint.
// Expected answers are whole JSON documents; the completion text in them is what the model itself
// generates greedily from the same prefix (temperature 0), shaped by the editor rules.
using System.Text.Json;
using CharRnnCode.Model.Inference;
using CharRnnCode.Server.Features.InlineCompletion;
using CharRnnCode.Server.Protocol;
using CharRnnCode.Server.Tests.Infrastructure;
using StreamJsonRpc;
using LspRange = CharRnnCode.Server.Protocol.Range;

namespace CharRnnCode.Server.Tests.InlineCompletion;

[Collection(TinyCheckpointCollection.Name)]
public sealed class CompletionTests(TinyCheckpoint checkpoint)
{
    private const string Uri = "file:///work/Demo.cs";

    private async Task<(ServerHarness Harness, LspTestClient Client)> StartAsync(object? settings = null)
    {
        var harness = ServerHarness.Start();
        var client = new LspTestClient(harness.ClientStream);
        await client.InitializeAsync(settings ?? new { checkpoint = checkpoint.Path, temperature = 0, rerank = false, maxChars = 40, timeBudgetMs = 10_000, encodeAhead = false, constrain = false });
        // Messages are handled in order: once this answers, `initialized` has started the load.
        await client.RequestAsync(Methods.Status, null);
        Assert.Equal(Modeling.ModelState.Ready, (await harness.Server.Context.Loading).State);
        return (harness, client);
    }

    /// <summary>The model's own greedy continuation of <paramref name="prefix"/>, up to the end of the line.</summary>
    private string Greedy(string prefix, int maxChars = 40, int maxLines = 1)
    {
        using var model = checkpoint.Load();
        var state = model.Advance(model.InitialState(), prefix);
        var candidate = model.Generate(state, new GenerationOptions(1, maxChars, 1.0, Argmax: true,
            Stop: text => text.Count(c => c == '\n') >= maxLines))[0];
        return candidate.Text;
    }

    private static string ItemsJson(params (string Text, Position Start, Position End)[] items) =>
        JsonSerializer.Serialize(new InlineCompletionList(items.Select(i => new InlineCompletionItem(i.Text, new LspRange(i.Start, i.End))).ToList()), LspJson.Options);

    [Fact]
    public async Task Invoked_ServesTheModelsContinuation_WithAnExplicitRange()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    void M()\n    {\n        Console.Wri{|caret:|}\n    }\n}\n");
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        await client.OpenAsync(Uri, snippet.Text);
        var result = await client.InlineCompletionAsync(Uri, snippet.Position);

        var plan = EditorRules.Plan(Microsoft.CodeAnalysis.Text.SourceText.From(snippet.Text), snippet.Offset, automatic: false, maxLines: 4);
        var expected = EditorRules.Shape(Greedy(snippet.Text[..snippet.Offset]), plan, "        Console.Wri");
        JsonAssert.Equal(expected is null ? """{ "items": [] }""" : ItemsJson((expected, snippet.Position, snippet.Position)), result);
    }

    [Fact]
    public async Task ClosingSuffix_IsReplacedByTheItemSoNothingIsDoubled()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    void M()\n    {\n        Console.WriteLine({|caret:|});\n    }\n}\n");
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        await client.OpenAsync(Uri, snippet.Text);
        var result = await client.InlineCompletionAsync(Uri, snippet.Position);

        var greedy = Greedy(snippet.Text[..snippet.Offset]).Split('\n')[0].TrimEnd();
        var lineEnd = snippet.Position with { Character = snippet.Position.Character + 2 };
        JsonAssert.Equal(greedy.Trim().Length == 0
            ? """{ "items": [] }"""
            : ItemsJson((EditorRules.MergeSuffix(greedy, ");"), snippet.Position, lineEnd)), result);
    }

    [Fact]
    public async Task Automatic_InTheMiddleOfALongLine_IsDeclined()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    int x = {|caret:|}Compute(first, second, third);\n}\n");
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        await client.OpenAsync(Uri, snippet.Text);
        var result = await client.InlineCompletionAsync(Uri, snippet.Position, InlineCompletionTriggerKind.Automatic);
        JsonAssert.Equal("""{ "items": [] }""", result);
        Assert.Equal("the caret is in the middle of a long line", harness.Server.Context.Engine.LastTrace!.Declined);
    }

    [Fact]
    public async Task SelectedCompletionInfo_IsContinuedAndReplaced()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    void M()\n    {\n        Console.Wri{|caret:|}\n    }\n}\n");
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        await client.OpenAsync(Uri, snippet.Text);
        var wordStart = snippet.Position with { Character = snippet.Position.Character - 3 };
        var selected = new SelectedCompletionInfo(new LspRange(wordStart, snippet.Position), "WriteLine");
        var result = await client.InlineCompletionAsync(Uri, snippet.Position, InlineCompletionTriggerKind.Automatic, selected);

        var prefix = snippet.Text[..(snippet.Offset - 3)] + "WriteLine";
        var shaped = EditorRules.Shape(Greedy(prefix), new CompletionPlan(null, 1, "", "}"), "        Console.WriteLine");
        JsonAssert.Equal(shaped is null ? """{ "items": [] }""" : ItemsJson(("WriteLine" + shaped, wordStart, snippet.Position)), result);
    }

    [Fact]
    public async Task AtTheStartOfABlock_CompletionsMaySpanSeveralLines()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    void M()\n    {\n        {|caret:|}\n    }\n}\n");
        var (harness, client) = await StartAsync(new { checkpoint = checkpoint.Path, temperature = 0, rerank = false, maxChars = 60, maxLines = 3, timeBudgetMs = 10_000, constrain = false });
        await using var _ = harness;
        using var __ = client;
        await client.OpenAsync(Uri, snippet.Text);
        var result = await client.InlineCompletionAsync(Uri, snippet.Position);

        var plan = new CompletionPlan(null, 3, "", "}");
        var expected = EditorRules.Shape(Greedy(snippet.Text[..snippet.Offset], 60, 3), plan, "        ");
        JsonAssert.Equal(expected is null ? """{ "items": [] }""" : ItemsJson((expected, snippet.Position, snippet.Position)), result);
    }

    private const string RerankedSnippet = "using System;\nclass A\n{\n    int total;\n    void M(int value)\n    {\n        total = {|caret:|}\n    }\n}\n";

    /// <summary>One request at the snippet's caret with 8 sampled candidates re-ranked by Roslyn: the server's trace and answer.</summary>
    private async Task<(CompletionTrace Trace, JsonElement Result)> RerankedRequestAsync(CaretSnippet snippet, int seed)
    {
        var (harness, client) = await StartAsync(new { checkpoint = checkpoint.Path, temperature = 1.0, candidates = 8, seed, rerank = true, maxChars = 30, timeBudgetMs = 10_000, constrain = false });
        await using var _ = harness;
        using var __ = client;
        await harness.Server.Context.Reranker.WhenWarm;
        await client.OpenAsync(Uri, snippet.Text);
        var result = await client.InlineCompletionAsync(Uri, snippet.Position);
        return (harness.Server.Context.Engine.LastTrace!, result);
    }

    [Fact]
    public async Task Reranking_OrdersCandidatesByLogProbabilityMinusRoslynPenalties()
    {
        var snippet = CaretSnippet.Parse(RerankedSnippet);
        var (trace, result) = await RerankedRequestAsync(snippet, seed: 7);
        Assert.True(trace.Reranked);
        var scorer = new CharRnnCode.Scoring.CompletionScorer();
        var context = scorer.Prepare("/work/Demo.cs", snippet.Text, snippet.Offset);
        foreach (var candidate in trace.Ranked)
        {
            var score = scorer.Score(context, candidate.Text);
            Assert.Equal(Math.Max(0, score.SyntaxErrorsIntroduced), candidate.SyntaxErrorsIntroduced);
            Assert.Equal(score.UndefinedIdentifiersIntroduced, candidate.UndefinedIdentifiers);
            Assert.Equal(candidate.LogProbabilityPerChar - CompletionEngine.SyntaxErrorPenalty * candidate.SyntaxErrorsIntroduced
                         - CompletionEngine.UndefinedIdentifierPenalty * candidate.UndefinedIdentifiers.Count, candidate.Score, 9);
        }
        Assert.Equal(trace.Ranked.OrderByDescending(c => c.Score).Select(c => c.Text), trace.Ranked.Select(c => c.Text));
        JsonAssert.Equal(ItemsJson(trace.Ranked.Take(3).Select(c => (c.Text, snippet.Position, snippet.Position)).ToArray()), result);
    }

    [Fact]
    public async Task Reranking_PicksWhatTheEvaluationsRerankedRowPicks_ForTheSameCandidates()
    {
        var snippet = CaretSnippet.Parse(RerankedSnippet);
        var (trace, _) = await RerankedRequestAsync(snippet, seed: 11);
        Assert.True(trace.Reranked);
        Assert.True(trace.Ranked.Count > 1, "the model wrote fewer than two distinct candidates");
        // The server's candidates, worst first, as the evaluation receives samples: text and total log-probability.
        var samples = trace.Ranked.Reverse()
            .Select(c => new Evaluation.Continuation(c.Text, c.LogProbabilityPerChar * Math.Max(1, c.Text.Length))).ToList();
        var scorer = new CharRnnCode.Scoring.CompletionScorer();
        var context = scorer.Prepare("/work/Demo.cs", snippet.Text, snippet.Offset);
        Assert.Equal(trace.Ranked[0].Text, Evaluation.LineCompletion.Reranked(scorer, context, samples).Text);
    }

    [Fact]
    public async Task TheNewestRequestWins_AndClientCancellationIsHonoured()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    int x = {|caret:|}\n}\n");
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        await client.OpenAsync(Uri, snippet.Text);

        // Hold the model thread so that both requests are queued behind it.
        var release = new TaskCompletionSource();
        var blocker = harness.Server.Context.Model.RunAsync(_ => { release.Task.Wait(); return ""; }, CancellationToken.None);
        var first = client.InlineCompletionAsync(Uri, snippet.Position);
        using var cancel = new CancellationTokenSource();
        var cancelled = client.InlineCompletionAsync(Uri, snippet.Position, cancellationToken: cancel.Token);
        var newest = client.InlineCompletionAsync(Uri, snippet.Position);
        await Task.Delay(200); // all three reach the server before the model thread is released
        cancel.Cancel();
        await Task.Delay(200);
        release.SetResult();
        await blocker;

        // StreamJsonRpc's client surfaces the RequestCancelled (-32800) error as a cancellation.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var result = await newest;
        Assert.Equal(JsonValueKind.Array, result.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task TypingACharacter_AdvancesTheCachedStateByOneStep_AndAnEarlierEditResumesFromTheNearestState()
    {
        var text = TinyCheckpoint.CSharpCorpus(seed: 3, classes: 1);   // about 300 characters
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        await client.OpenAsync(Uri, text);
        var end = CaretSnippet.PositionOf(text, text.Length);
        await client.InlineCompletionAsync(Uri, end);
        var cache = () => harness.Server.Context.PrefixStates.Statistics;
        Assert.Equal((0L, 1L, (long)text.Length), (cache().Hits, cache().Misses, cache().CharactersEncoded));

        // One typed character: one step from the caret's state.
        await client.ChangeAsync(Uri, new TextDocumentContentChangeEvent("x", new LspRange(end, end)));
        text += "x";
        await client.InlineCompletionAsync(Uri, CaretSnippet.PositionOf(text, text.Length));
        Assert.Equal((1L, 1L, (long)text.Length), (cache().Hits, cache().Misses, cache().CharactersEncoded));

        // An edit at offset 100: the states after it are dropped; encoding resumes from the one at 64.
        var at100 = CaretSnippet.PositionOf(text, 100);
        await client.ChangeAsync(Uri, new TextDocumentContentChangeEvent("/* edit */", new LspRange(at100, at100)));
        text = text.Insert(100, "/* edit */");
        var before = cache().CharactersEncoded;
        await client.InlineCompletionAsync(Uri, CaretSnippet.PositionOf(text, text.Length));
        Assert.Equal((2L, 1L, (long)(text.Length - 64)), (cache().Hits, cache().Misses, cache().CharactersEncoded - before));
    }

    [Fact]
    public async Task ALongFile_CostsAtMostTheContextWindowToEncode()
    {
        var text = TinyCheckpoint.CSharpCorpus(seed: 4, classes: 400); // about 120 KB
        var (harness, client) = await StartAsync();
        await using var _ = harness;
        using var __ = client;
        await client.OpenAsync(Uri, text);
        await client.InlineCompletionAsync(Uri, CaretSnippet.PositionOf(text, text.Length));
        Assert.InRange(harness.Server.Context.PrefixStates.Statistics.CharactersEncoded, 1, Modeling.PrefixStateCache.ContextWindow);
    }
}
