// Which lines `charrnn-server bench first-request` asks at: statement lines inside members, indented at least 8
// columns, whether the file indents with spaces or with tabs (a tab counting 4).
using CharRnnCode.Server.Bench;

namespace CharRnnCode.Server.Tests.Bench;

public sealed class FirstRequestPositionsTests
{
    [Theory]
    [InlineData("\t")]
    [InlineData("    ")]
    public void Statement_lines_inside_a_method_are_chosen_with_tabs_as_with_spaces(string indent)
    {
        var text = string.Join('\n',
            "namespace N",
            "{",
            $"{indent}class C",
            $"{indent}{{",
            $"{indent}{indent}void M()",
            $"{indent}{indent}{{",
            $"{indent}{indent}{indent}var total = 0;",
            $"{indent}{indent}{indent}total += Compute(1);",
            $"{indent}{indent}}}",
            $"{indent}}}",
            "}",
            "");

        var positions = FirstRequestBenchmark.Positions([("A.cs", text)], count: 10, seed: 1);

        Assert.Equal([6, 7], positions.Select(p => p.Line).Order());
    }
}
