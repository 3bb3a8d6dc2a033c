// The replay's accounting with a scripted ghost-text source (what it shows at each caret is written here), so that
// keystrokes, suggestions, acceptances and suggestions of no use can be counted by hand. The real server's ghost
// text is exercised by the server's typing benchmark test.
namespace CharRnnCode.Typing.Tests;

public sealed class TypingReplayTests
{
    /// <summary>Shows, at each number of characters written, the ghost text given for it.</summary>
    private sealed class ScriptedGhostText(int lineStart, IReadOnlyDictionary<int, string> shown) : IGhostTextSource
    {
        public List<string> Texts { get; } = [];
        public Task SetTextAsync(string path, string text) { Texts.Add(text); return Task.CompletedTask; }
        public Task<string> RequestAsync(string path, int caret) => Task.FromResult(shown.TryGetValue(caret - lineStart, out var g) ? g : "");
    }

    private const string File = "class C\n{\n    void M()\n    {\n        return value;\n    }\n}\n";

    private static TypingLine Line => TypingLines.Eligible(0, new TypingFile("/w/C.cs", File)).Single();

    [Fact]
    public async Task A_right_suggestion_is_taken_with_Tab_and_counted_once()
    {
        // At the line's start "return" is shown; typed through ("r"), it continues; "value;" is shown after the blank.
        var source = new ScriptedGhostText(Line.Start, new Dictionary<int, string> { [0] = "ret", [6] = " value;", [7] = "value;" });
        var outcome = await new TypingReplay(source, null).TypeAsync(Line, File, TypingUser.GhostText);
        // "ret" (Tab), "u", "r", "n" typed, " value;" (Tab): 5 keystrokes for 13 characters.
        Assert.Equal(13, outcome.Characters);
        Assert.Equal(5, outcome.Keys);
        Assert.Equal(["[AcceptGhost:ret]", "u", "r", "n", "[AcceptGhost: value;]"], outcome.Actions);
        Assert.Equal(2, outcome.Shown);
        Assert.Equal(2, outcome.Accepted);
        Assert.Equal(0, outcome.NoUse);
        Assert.Equal(10, outcome.AcceptedChars);
        Assert.True(outcome.FirstTokenRight is false); // "ret" is not the token "return"
        Assert.Equal(3, outcome.LineStartKept);
        // The file went back to its text on disk once the line was written.
        Assert.Equal(File, source.Texts[^1]);
        Assert.Equal(File.Replace("return value;", "", StringComparison.Ordinal), source.Texts[0]);
    }

    [Fact]
    public async Task A_wrong_suggestion_is_of_no_use_and_typing_through_a_right_one_keeps_it_one_suggestion()
    {
        // At 0 a wrong "throw"; at 1 "eturn value;" is right and stays right as the user types it through.
        var shown = new Dictionary<int, string> { [0] = "throw" };
        for (var i = 1; i <= 12; i++) shown[i] = "return value;"[i..];
        var source = new ScriptedGhostText(Line.Start, shown);
        var outcome = await new TypingReplay(source, null).TypeAsync(Line, File, TypingUser.GhostText);
        Assert.Equal(2, outcome.Keys); // "r", then Tab
        Assert.Equal(2, outcome.Shown);
        Assert.Equal(1, outcome.Accepted);
        Assert.Equal(1, outcome.NoUse);
        Assert.False(outcome.FirstTokenRight);
        Assert.Equal(0, outcome.LineStartKept);
    }

    [Fact]
    public async Task No_ghost_text_means_every_character_is_typed_and_nothing_is_shown()
    {
        var outcome = await new TypingReplay(new ScriptedGhostText(Line.Start, new Dictionary<int, string>()), null).TypeAsync(Line, File, TypingUser.GhostText);
        Assert.Equal(13, outcome.Keys);
        Assert.Equal(0, outcome.Shown);
        Assert.Equal(13, outcome.LatenciesMs.Count);
        var figures = TypingFigures.Of([outcome], seed: 1);
        Assert.Equal(0, figures.KeystrokesSaved);
        Assert.Equal(0, figures.AcceptRate);
        Assert.Equal(0, figures.FirstTokenAccuracy);
    }
}
