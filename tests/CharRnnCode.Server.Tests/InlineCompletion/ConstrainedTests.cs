// Constrained decoding through the real server with a real 2x256 model (trained on generated code that
// never says `Length`): Roslyn's names steer the characters. Properties, not recomputed expectations:
// after `s.Len` on a string the only member is Length, so the completion must begin "gth" and end the
// name there; with constrain off the same model is free to write anything.
using System.Text.Json;

namespace CharRnnCode.Server.Tests.InlineCompletion;

[Collection(UserSizedCheckpointCollection.Name)]
public sealed class ConstrainedTests(UserSizedCheckpoint checkpoint)
{
    private const string Uri = "file:///work/Strings.cs";

    private static async Task<string> CompleteAsync(string marked, object settings)
    {
        var (text, trace) = await OneCompletion.RequestAsync(marked, settings, Uri);
        Assert.True(trace.Constrained, "Roslyn's context was not ready: the constraint did not run");
        return text;
    }

    private const string StringLength = """
        class C
        {
            int M()
            {
                var s = "abc";
                var n = s.Len{|caret:|}
            }
        }
        """;

    [SlowFact]
    public async Task A_member_of_a_string_is_completed_to_length()
    {
        var completion = await CompleteAsync(StringLength, new { checkpoint = checkpoint.Path, temperature = 0, rerank = false, timeBudgetMs = 2000, constrainWaitMs = 10_000 });
        Assert.StartsWith("gth", completion, StringComparison.Ordinal);
        Assert.False(completion.Length > 3 && (char.IsLetterOrDigit(completion[3]) || completion[3] == '_'),
            $"the name went on past Length: {JsonSerializer.Serialize(completion)}");
    }

    [SlowFact]
    public async Task A_local_declared_three_lines_up_is_reachable()
    {
        // `reportCounter` is the only name in scope that starts with "reportC".
        const string marked = """
            class C
            {
                void M()
                {
                    int reportCounter = 0;
                    int other = 1;
                    other++;
                    reportC{|caret:|}
                }
            }
            """;
        var completion = await CompleteAsync(marked, new { checkpoint = checkpoint.Path, temperature = 0, rerank = false, timeBudgetMs = 2000, constrainWaitMs = 10_000 });
        Assert.StartsWith("ounter", completion, StringComparison.Ordinal);
    }
}
