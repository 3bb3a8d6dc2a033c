// Inline completions served by the real server with a real (tiny, trained in this run) checkpoint. The
// model's text is not pinned (it is whatever this run's training made): each test states what must hold
// of it, written by hand from the corpus the checkpoint learned (TinyModelCorpus) and the
// editor rules: the line it continues, the closers it merges, a second line, the ranking's penalties.
// Where a completion is expected, an empty answer fails.
using System.Diagnostics;
using System.Text.Json;
using CharRnnCode.Completion;
using CharRnnCode.Completion.Documents;
using LspRange = CharRnnCode.Server.Protocol.Range;

namespace CharRnnCode.Server.Tests.InlineCompletion;

[Collection(TinyCheckpointCollection.Name)]
public sealed class CompletionTests(TinyCheckpoint checkpoint)
{
    private const string Uri = "file:///work/Demo.cs";

    /// <summary>A server on the tiny checkpoint, greedy, with neither re-ranking nor the constraint: the model's own text.</summary>
    private Task<ReadyServer> StartAsync() =>
        ReadyServer.StartAsync(new { checkpoint = checkpoint.Path, temperature = 0, rerank = false, maxChars = 40, timeBudgetMs = 10_000, encodeAhead = false, constrain = false });

    /// <summary>One invoked request at the caret of <paramref name="marked"/> on a fresh server (as <see cref="StartAsync"/>): the snippet and the answer.</summary>
    private async Task<(CaretSnippet Snippet, JsonElement Result)> CompleteAtCaretAsync(string marked)
    {
        var snippet = CaretSnippet.Parse(marked);
        await using var server = await StartAsync();
        return (snippet, await server.OpenAndCompleteAsync(Uri, snippet.Text, snippet.Position));
    }

    /// <summary>The answer's items as (text, range); an answer with no item fails the test.</summary>
    private static List<(string Text, LspRange Range)> Items(JsonElement result)
    {
        var items = result.GetProperty("items").EnumerateArray()
            .Select(item => (item.GetProperty("insertText").GetString()!, item.GetProperty("range").Deserialize<LspRange>(LspJson.Options)!))
            .ToList();
        Assert.True(items.Count > 0, $"no completion where one is expected: {result.GetRawText()}");
        return items;
    }

    /// <summary>Whether every ( in <paramref name="line"/> is closed by a later ).</summary>
    private static bool ParenthesesBalance(string line) =>
        line.Count(c => c == '(') == line.Count(c => c == ')');

    [Fact]
    public async Task Invoked_serves_the_models_continuation_with_an_explicit_range()
    {
        var (snippet, result) = await CompleteAtCaretAsync("class A\n{\n    void M()\n    {\n        Console.Wri{|caret:|}\n    }\n}\n");

        // The corpus writes Console. only as Console.WriteLine(...); a single line: the caret is not at a block's start or end.
        var (text, range) = Assert.Single(Items(result));
        Assert.StartsWith("teLine(", text);
        Assert.DoesNotContain('\n', text);
        Assert.Equal(new LspRange(snippet.Position, snippet.Position), range);
    }

    [Fact]
    public async Task Closing_suffix_is_replaced_by_the_item_so_nothing_is_doubled()
    {
        var (snippet, result) = await CompleteAtCaretAsync("class A\n{\n    void M()\n    {\n        Console.WriteLine({|caret:|});\n    }\n}\n");

        // The item replaces the caret's ");" and writes it once: the line it leaves closes its parenthesis and ends there.
        var (text, range) = Assert.Single(Items(result));
        Assert.Equal(new LspRange(snippet.Position, snippet.Position with { Character = snippet.Position.Character + 2 }), range);
        var line = "        Console.WriteLine(" + text;
        Assert.EndsWith(");", text);
        Assert.True(text.Length > 2, $"the item only repeats the suffix: {text}");
        Assert.True(ParenthesesBalance(line), $"parentheses do not balance: {line}");
        Assert.DoesNotContain(");)", line);
        Assert.DoesNotContain(";;", line);
    }

    [Fact]
    public async Task Automatic_in_the_middle_of_a_long_line_is_declined()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    int x = {|caret:|}Compute(first, second, third);\n}\n");
        await using var server = await StartAsync();
        var result = await server.OpenAndCompleteAsync(Uri, snippet.Text, snippet.Position, InlineCompletionTriggerKind.Automatic);
        JsonAssert.Equal("""{ "items": [] }""", result);
        Assert.Equal("the caret is in the middle of a long line", server.LastTrace.Declined);
    }

    [Fact]
    public async Task Selected_completion_info_is_continued_and_replaced()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    void M()\n    {\n        Console.Wri{|caret:|}\n    }\n}\n");
        await using var server = await StartAsync();
        await server.Client.OpenAsync(Uri, snippet.Text);
        var wordStart = snippet.Position with { Character = snippet.Position.Character - 3 };
        var selected = new SelectedCompletionInfo(new LspRange(wordStart, snippet.Position), "WriteLine");
        var result = await server.Client.InlineCompletionAsync(Uri, snippet.Position, InlineCompletionTriggerKind.Automatic, selected);

        // The item starts with the selected word (it replaces the typed "Wri") and continues it as the corpus does: a call.
        var (text, range) = Assert.Single(Items(result));
        Assert.StartsWith("WriteLine(", text);
        Assert.Equal(new LspRange(wordStart, snippet.Position), range);
    }

    [Fact]
    public async Task At_the_start_of_a_block_completions_may_span_several_lines()
    {
        // The corpus's Add method, emptied: its body is two statements, then the brace already in the document.
        var snippet = CaretSnippet.Parse("""
            namespace Demo
            {
                public class Counter0
                {
                    private int count;

                    public void Add(int value)
                    {
                        {|caret:|}
                    }
                }
            }

            """.Replace("\r\n", "\n"));
        await using var server = await ReadyServer.StartAsync(
            new { checkpoint = checkpoint.Path, temperature = 0, rerank = false, maxChars = 80, maxLines = 3, timeBudgetMs = 10_000, constrain = false });
        var result = await server.OpenAndCompleteAsync(Uri, snippet.Text, snippet.Position);

        var (text, range) = Assert.Single(Items(result));
        Assert.Equal(new LspRange(snippet.Position, snippet.Position), range);
        var lines = text.Split('\n');
        Assert.InRange(lines.Length, 2, 3);
        Assert.All(lines, line => Assert.False(string.IsNullOrWhiteSpace(line), $"a blank line in {JsonSerializer.Serialize(text)}"));
        // Cut before the line that would close the method: its closing brace is already in the document.
        Assert.True(text.Count(c => c == '}') <= text.Count(c => c == '{'), $"the item closes the enclosing block: {JsonSerializer.Serialize(text)}");
    }

    private const string RerankedSnippet = "using System;\nclass A\n{\n    int total;\n    void M(int value)\n    {\n        total = {|caret:|}\n    }\n}\n";

    /// <summary>One request at the snippet's caret with 8 sampled candidates re-ranked by Roslyn: the server's trace and answer.</summary>
    private async Task<(CompletionTrace Trace, JsonElement Result)> RerankedRequestAsync(CaretSnippet snippet, int seed)
    {
        await using var server = await ReadyServer.StartAsync(
            new { checkpoint = checkpoint.Path, temperature = 1.0, candidates = 8, seed, rerank = true, maxChars = 30, timeBudgetMs = 10_000, constrain = false }, warmReranker: true);
        var result = await server.OpenAndCompleteAsync(Uri, snippet.Text, snippet.Position);
        return (server.LastTrace, result);
    }

    [Fact]
    public async Task Reranking_orders_candidates_by_log_probability_minus_roslyn_penalties()
    {
        var snippet = CaretSnippet.Parse(RerankedSnippet);
        var (trace, result) = await RerankedRequestAsync(snippet, seed: 7);
        Assert.True(trace.Reranked);
        Assert.True(trace.Ranked.Count > 1, "the model wrote fewer than two distinct candidates");
        // The documented penalties: 1 nat per character for each syntax error introduced, 0.5 for each undefined name.
        Assert.All(trace.Ranked, candidate => Assert.Equal(
            candidate.LogProbabilityPerChar - 1.0 * candidate.SyntaxErrorsIntroduced - 0.5 * candidate.UndefinedIdentifiers.Count, candidate.Score, 9));
        Assert.All(trace.Ranked, candidate => Assert.InRange(candidate.SyntaxErrorsIntroduced, 0, candidate.Text.Length));
        // An undefined name is one the candidate writes and the document does not declare.
        string[] declared = ["A", "M", "total", "value", "System", "Console"];
        Assert.All(trace.Ranked, candidate => Assert.All(candidate.UndefinedIdentifiers, name =>
        {
            Assert.Contains(name, candidate.Text);
            Assert.DoesNotContain(name, declared);
        }));
        for (var i = 1; i < trace.Ranked.Count; i++)
            Assert.True(trace.Ranked[i - 1].Score >= trace.Ranked[i].Score, $"candidate {i} outranks candidate {i - 1}");
        // Invoked: the best three, best first, each at the caret.
        var items = Items(result);
        Assert.Equal(trace.Ranked.Take(3).Select(c => c.Text), items.Select(item => item.Text));
        Assert.All(items, item => Assert.Equal(new LspRange(snippet.Position, snippet.Position), item.Range));
    }

    [Fact]
    public async Task Reranking_of_the_same_hand_written_candidates_picks_the_same_winner_in_the_server_and_the_evaluation()
    {
        // On an empty line of M(int value), in a document without errors: the likeliest candidate breaks the syntax,
        // the next invents a name, the least likely is the only clean one. Per character: -1.6/16 = -0.1,
        // -2.8/14 = -0.2, -7.0/14 = -0.5.
        var snippet = CaretSnippet.Parse("using System;\nclass A\n{\n    int total;\n    void M(int value)\n    {\n        {|caret:|}\n    }\n}\n");
        (string Text, double LogProbability)[] candidates = [("total = value +;", -1.6), ("total = valeu;", -2.8), ("total = value;", -7.0)];
        // Scores by hand: -0.1 - 1.0 x 1 error = -1.1; -0.2 - 0.5 x 1 undefined = -0.7; -0.5 with nothing broken.
        (string Text, int Errors, string[] Undefined, double Score)[] expected =
            [("total = value;", 0, [], -0.5), ("total = valeu;", 0, ["valeu"], -0.7), ("total = value +;", 1, [], -1.1)];

        // The server: its Roslyn thread's scores, ranked as the completion pipeline ranks them.
        using var reranker = new RoslynReranker(ServerLog.None);
        await reranker.WhenWarm;
        var document = new OpenDocument(Uri, "csharp", 1, Microsoft.CodeAnalysis.Text.SourceText.From(snippet.Text));
        var context = reranker.Prepare(document, document.Text!, snippet.Offset, [document], CancellationToken.None);
        var served = Scoring.CandidateRanking.Rank([.. candidates.Select(c =>
            new Scoring.RankingInput(c.Text, c.LogProbability / c.Text.Length, reranker.Score(context, c.Text, replaceLength: 0)))]);
        Assert.Equal(expected.Select(e => (e.Text, e.Errors, string.Join(",", e.Undefined))),
            served.Select(r => (r.Text, r.SyntaxErrorsIntroduced, string.Join(",", r.UndefinedIdentifiers))));
        Assert.All(served.Zip(expected), pair => Assert.Equal(pair.Second.Score, pair.First.Score, 9));

        // The evaluation's re-ranked row on the same candidates, and its likelihood row for contrast.
        var scorer = new Scoring.CompletionScorer();
        var prepared = scorer.Prepare("/work/Demo.cs", snippet.Text, snippet.Offset);
        var samples = candidates.Select(c => new Evaluation.Continuation(c.Text, c.LogProbability)).ToList();
        var reranked = Evaluation.LineCompletion.Reranked(scorer, prepared, samples);
        Assert.Equal(("total = value;", -0.5), (reranked.Text, Math.Round(reranked.Score, 9)));
        Assert.Equal("total = value +;", Evaluation.LineCompletion.ByLikelihood(samples).Text);
    }

    [Fact]
    public async Task The_newest_request_wins_and_client_cancellation_is_honoured()
    {
        var snippet = CaretSnippet.Parse("class A\n{\n    int x = {|caret:|}\n}\n");
        await using var server = await StartAsync();
        var client = server.Client;
        await client.OpenAsync(Uri, snippet.Text);

        // Hold the model thread so that both requests are queued behind it.
        var release = new TaskCompletionSource();
        var blocker = server.Context.Model.RunAsync(_ => { release.Task.Wait(); return ""; }, CancellationToken.None);
        var first = client.InlineCompletionAsync(Uri, snippet.Position);
        using var cancel = new CancellationTokenSource();
        var cancelled = client.InlineCompletionAsync(Uri, snippet.Position, cancellationToken: cancel.Token);
        var newest = client.InlineCompletionAsync(Uri, snippet.Position);
        // All three reach the pipeline before the model thread is released (waited for, not timed: a loaded machine is slow).
        var pipeline = server.Context.CompletionPipeline;
        for (var waited = Stopwatch.StartNew(); pipeline.Arrived < 3; await Task.Delay(10))
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(1), $"only {pipeline.Arrived} of 3 requests reached the server");
        cancel.Cancel();
        release.SetResult();
        await blocker;

        // StreamJsonRpc's client surfaces the RequestCancelled (-32800) error as a cancellation.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var result = await newest;
        Assert.Equal(JsonValueKind.Array, result.GetProperty("items").ValueKind);
    }

    [Fact]
    public async Task Typing_a_character_advances_the_cached_state_by_one_step_and_an_earlier_edit_resumes_from_the_nearest_state()
    {
        var text = TinyModelCorpus.CSharp(seed: 3, classes: 1);   // about 300 characters
        await using var server = await StartAsync();
        var client = server.Client;
        await client.OpenAsync(Uri, text);
        var end = CaretSnippet.PositionOf(text, text.Length);
        await client.InlineCompletionAsync(Uri, end);
        var cache = () => server.Context.PrefixStates.Statistics;
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
    public async Task A_long_file_costs_at_most_the_context_window_to_encode()
    {
        var text = TinyModelCorpus.CSharp(seed: 4, classes: 400); // about 120 KB
        await using var server = await StartAsync();
        await server.OpenAndCompleteAsync(Uri, text, CaretSnippet.PositionOf(text, text.Length));
        Assert.InRange(server.Context.PrefixStates.Statistics.CharactersEncoded, 1, CharRnnCode.Completion.Modeling.PrefixStateCache.ContextWindow);
    }
}
