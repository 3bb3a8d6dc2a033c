// One way to name a test: a sentence of words joined by underscores, saying what holds
// (Counts_kept_up_to_date_edit_by_edit_equal_counts_rebuilt_from_scratch), not Method_Condition_Result or one
// PascalCase run. This parses every C# file under tests/ and checks every method marked [Fact], [Theory],
// [SlowFact] or [SlowTheory]: its name has an underscore, does not open with several capitalised words run
// together, and most of its other words are in lower case. Names inside the sentence (Roslyn, TorchSharp) are fine. It names each offender with its file.
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CharRnnCode.Architecture.Tests;

public sealed partial class TestNamingTests
{
    private static readonly HashSet<string> TestAttributes = ["Fact", "Theory", "SlowFact", "SlowTheory"];

    [Fact]
    public void Every_test_is_named_as_a_sentence()
    {
        var root = Repository.Root();
        var offenders = new List<string>();
        foreach (var path in Directory.GetFiles(Path.Combine(root, "tests"), "*.cs", SearchOption.AllDirectories)
                     .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj")).Order(StringComparer.Ordinal))
        {
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path));
            foreach (var method in tree.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>())
            {
                var isTest = method.AttributeLists.SelectMany(list => list.Attributes).Any(attribute => TestAttributes.Contains(attribute.Name.ToString()));
                if (isTest && !IsSentence(method.Identifier.ValueText))
                    offenders.Add($"{Path.GetRelativePath(root, path)}: {method.Identifier.ValueText}");
            }
        }
        Assert.True(offenders.Count == 0, "tests not named as a sentence (words joined by underscores):\n" + string.Join("\n", offenders));
    }

    [Theory]
    [InlineData("Counts_kept_up_to_date_equal_counts_rebuilt_from_scratch", true)]
    [InlineData("The_plain_step_agrees_with_TorchSharps_fused_cells", true)]
    [InlineData("Settings_FromConfigurationChanges_AreApplied", false)]
    [InlineData("EncodingAnOldSnapshot_AfterAnEdit_StoresNothing", false)]
    [InlineData("WellKnownLicensesAreNamed", false)]
    public void The_rule_tells_a_sentence_from_the_other_schemes(string name, bool sentence) => Assert.Equal(sentence, IsSentence(name));

    /// <summary>Words joined by underscores, the first not several run together, and most of the rest in lower case: a
    /// sentence may hold names (TorchSharps, IntelliSense), Method_Condition_Result is made of them.</summary>
    private static bool IsSentence(string name)
    {
        var words = name.Split('_');
        if (words.Length < 2 || words.Any(word => word.Length == 0) || RunTogether().IsMatch(words[0])) return false;
        var rest = words.Skip(1).ToList();
        return rest.Count(word => !char.IsUpper(word[0])) * 2 >= rest.Count;
    }

    /// <summary>Two or more capitalised words run together: "AfterAnEdit".</summary>
    [GeneratedRegex("^[A-Z][a-z0-9]+[A-Z][a-z]")]
    private static partial Regex RunTogether();
}
