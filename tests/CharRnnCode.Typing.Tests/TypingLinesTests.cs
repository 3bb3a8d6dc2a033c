// Which lines the replay types: inside member bodies only, never a comment, a directive or brackets alone; each
// line's caret and text written out by hand.
namespace CharRnnCode.Typing.Tests;

public sealed class TypingLinesTests
{
    private const string Source =
        "using System;\n" +                       // 0: outside any member
        "class C\n" +                             // 1
        "{\n" +                                   // 2
        "    int _count = 0;\n" +                 // 3: a field
        "    int Count\n" +                       // 4
        "    {\n" +                               // 5
        "        get { return _count; }\n" +      // 6: the accessor's line starts outside its body
        "    }\n" +                               // 7
        "    void M(int x)\n" +                   // 8
        "    {\n" +                               // 9: the body's own brace
        "        // a comment\n" +                // 10
        "        var y = x + 1;   \n" +           // 11: trailing blanks are not typed
        "#if !DEBUG\n" +                          // 12
        "        Console.WriteLine(y);\n" +       // 13
        "#endif\n" +                              // 14
        "        Func<int> f = () =>\n" +         // 15
        "        {\n" +                           // 16
        "            return y;\n" +               // 17: in a lambda's body
        "        };\n" +                          // 18: brackets alone
        "    }\n" +                               // 19
        "}\n";

    [Fact]
    public void Lines_inside_member_bodies_are_eligible_and_nothing_else()
    {
        var eligible = TypingLines.Eligible(0, new TypingFile("/w/C.cs", Source));
        Assert.Equal(
            [(11, "var y = x + 1;"), (13, "Console.WriteLine(y);"), (15, "Func<int> f = () =>"), (17, "return y;")],
            eligible.Select(l => (l.LineNumber, l.Text)).ToArray());
        var line = eligible[0];
        Assert.Equal(Source.IndexOf("var y", StringComparison.Ordinal), line.Start);
        Assert.Equal(Source.Replace("        var y = x + 1;   \n", "           \n", StringComparison.Ordinal), line.Emptied(Source));
    }

    [Fact]
    public void The_same_files_and_seed_choose_the_same_lines_and_at_most_three_per_file()
    {
        var files = Enumerable.Range(0, 4).Select(i => new TypingFile($"/w/C{i}.cs", Source)).ToList();
        var first = TypingLines.Choose(files, 100, seed: 7);
        var again = TypingLines.Choose(files, 100, seed: 7);
        Assert.Equal(first, again);
        Assert.Equal(12, first.Count);
        Assert.All(first.GroupBy(l => l.Path), group => Assert.Equal(3, group.Count()));
        Assert.Equal(5, TypingLines.Choose(files, 5, seed: 7).Count);
    }
}
