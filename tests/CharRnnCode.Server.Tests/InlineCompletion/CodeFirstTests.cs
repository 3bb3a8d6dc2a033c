// A blank line in a method body gets code, not a comment, through the real server with the real default
// model (2x256 trained on Json.NET and NUnit). Under a comment block the model's most likely continuation is
// more comment: with constraining off its greedy completion starts "//" (the control that makes the test
// mean something); with it on, the completion is a statement. Properties, not the model's exact text.
using System.Text.Json;
using CharRnnCode.Inference.Checkpoints;

namespace CharRnnCode.Server.Tests.InlineCompletion;

public sealed class CodeFirstTests
{
    private const string Uri = "file:///work/Values.cs";

    private const string UnderACommentBlock = """
        namespace N
        {
            public class A
            {
                public object M(int x)
                {
                    // The value is checked first: a negative one
                    // is read as its absolute value, and zero is
                    {|caret:|}
                    return x;
                }
            }
        }
        """;

    private const string UnderOneCommentLine = """
        namespace N
        {
            public class A
            {
                public object M(int x)
                {
                    // The value is checked first.
                    {|caret:|}
                }
            }
        }
        """;

    private static async Task<string> CompleteAsync(string marked, object settings) => (await OneCompletion.RequestAsync(marked, settings, Uri)).Text;

    private static string DefaultModelPath => Path.Combine(AppContext.BaseDirectory, DefaultModel.FileName);

    private static void AssertStatement(string completion) =>
        Assert.True(completion.Length > 0 && (char.IsLetter(completion[0]) || completion[0] is '_' or '{' or '}' or '('),
            $"not a statement: {JsonSerializer.Serialize(completion)}");

    [SlowTheory]
    [InlineData(UnderACommentBlock)]
    [InlineData(UnderOneCommentLine)]
    public async Task Greedy_writes_a_comment_when_free_and_a_statement_when_constrained(string marked)
    {
        var free = await CompleteAsync(marked, new { checkpoint = DefaultModelPath, temperature = 0, rerank = false, constrain = false, timeBudgetMs = 2000, maxLines = 1 });
        Assert.StartsWith("//", free, StringComparison.Ordinal);
        var constrained = await CompleteAsync(marked,
            new { checkpoint = DefaultModelPath, temperature = 0, rerank = false, constrain = true, constrainWaitMs = 10_000, timeBudgetMs = 2000, maxLines = 1 });
        AssertStatement(constrained);
    }

    [SlowFact]
    public async Task The_servers_defaults_answer_a_statement_under_a_comment_block()
    {
        var completion = await CompleteAsync(UnderACommentBlock, new { checkpoint = DefaultModelPath, seed = 1, constrainWaitMs = 10_000, timeBudgetMs = 2000 });
        AssertStatement(completion);
    }
}
