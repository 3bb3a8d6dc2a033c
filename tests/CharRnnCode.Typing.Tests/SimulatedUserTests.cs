// The simulated user's decisions on hand-written situations: the rest of the line, the ghost text, the list's
// selection, and the keystrokes a person would spend (written out here, not computed by the code under test).
namespace CharRnnCode.Typing.Tests;

public sealed class SimulatedUserTests
{
    [Fact]
    public void Tab_takes_ghost_text_the_rest_of_the_line_starts_with()
    {
        var step = SimulatedUser.Next("Count > 0)", "Count > 0)", null);
        Assert.Equal(new Keystrokes(TypingAction.AcceptGhost, "Count > 0)", 1), step);
    }

    [Fact]
    public void Matching_leading_words_are_taken_one_Ctrl_Right_each()
    {
        // "Count" and " >" match; " 1" does not: two keystrokes for seven characters.
        var step = SimulatedUser.Next("Count > 0)", "Count > 1)", null);
        Assert.Equal(new Keystrokes(TypingAction.AcceptGhostWords, "Count >", 2), step);
    }

    [Fact]
    public void A_wrong_first_word_is_not_taken_and_the_next_character_is_typed()
    {
        var step = SimulatedUser.Next("Length;", "Count;", null);
        Assert.Equal(new Keystrokes(TypingAction.Type, "L", 1), step);
    }

    [Fact]
    public void Taking_words_that_save_nothing_is_left_to_typing()
    {
        // "." then "x" match but are one character each: Ctrl+Right twice costs what typing them costs.
        var step = SimulatedUser.Next(".x = 1;", ".x + 2;", null);
        Assert.Equal(TypingAction.Type, step.Action);
    }

    [Fact]
    public void The_list_item_is_committed_when_it_completes_the_identifier_exactly()
    {
        var step = SimulatedUser.Next("ength;", "", new ListSelection("Length", "L"));
        Assert.Equal(new Keystrokes(TypingAction.CommitListItem, "ength", 1), step);
    }

    [Fact]
    public void A_list_item_that_is_another_identifier_is_not_committed()
    {
        var step = SimulatedUser.Next("en;", "", new ListSelection("Length", "L"));
        Assert.Equal(new Keystrokes(TypingAction.Type, "e", 1), step);
    }

    [Fact]
    public void Where_both_save_the_one_that_saves_more_wins()
    {
        // The list completes "Length" (5 characters for 1 key); the ghost text writes "Length);" (8 for 1).
        var step = SimulatedUser.Next("ength);", "ength);", new ListSelection("Length", "L"));
        Assert.Equal(TypingAction.AcceptGhost, step.Action);
        // Now the ghost text's matching word "en" saves one keystroke, the list four.
        step = SimulatedUser.Next("ength);", "en + 1", new ListSelection("Length", "L"));
        Assert.Equal(TypingAction.CommitListItem, step.Action);
    }

    [Fact]
    public void Ctrl_Right_takes_blanks_with_the_word_or_run_of_symbols_after_them()
    {
        Assert.Equal(["foo", ".", "Bar", "(", "x", ",", " y", ");"], SimulatedUser.Words("foo.Bar(x, y);"));
        Assert.Equal(["a", " =", " b", "  "], SimulatedUser.Words("a = b  "));
    }

    [Fact]
    public void Only_a_first_word_the_user_writes_makes_a_suggestion_of_use()
    {
        Assert.True(SimulatedUser.FirstWordMatches("Count > 0)", "Count < 2"));
        Assert.False(SimulatedUser.FirstWordMatches("Count > 0)", "Cont"));
        Assert.False(SimulatedUser.FirstWordMatches("Count > 0)", ""));
    }
}
