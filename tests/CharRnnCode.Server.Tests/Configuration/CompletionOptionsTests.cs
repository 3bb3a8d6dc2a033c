// The server's settings as the completion library's options: the defaults agree (so `new CompletionOptions()`
// outside the server completes as the server does out of the box), and a client's setting reaches the pipeline.
using System.Text.Json;
using CharRnnCode.Completion;
using CharRnnCode.Server.Features.Configuration;

namespace CharRnnCode.Server.Tests.Configuration;

public sealed class CompletionOptionsTests
{
    [Fact]
    public void The_servers_defaults_are_the_librarys_defaults() =>
        Assert.Equal(new CompletionOptions(), new ServerSettings().ToCompletionOptions());

    [Fact]
    public void Client_settings_reach_the_options()
    {
        var problems = new List<string>();
        var settings = new ServerSettings().With(JsonSerializer.SerializeToElement(new
        {
            candidates = 4, temperature = 0.5, topP = 0.9, seed = 7, maxChars = 60, maxLines = 2, timeBudgetMs = 300,
            constrain = false, constrainWaitMs = 20, rerank = false, typeThrough = false, invokedItems = 5,
        }), problems);
        Assert.Empty(problems);
        Assert.Equal(new CompletionOptions
        {
            Candidates = 4, Temperature = 0.5, TopP = 0.9, Seed = 7, MaxChars = 60, MaxLines = 2, TimeBudgetMs = 300,
            Constrain = false, ConstrainWaitMs = 20, Rerank = false, TypeThrough = false, InvokedItems = 5,
        }, settings.ToCompletionOptions());
    }
}
