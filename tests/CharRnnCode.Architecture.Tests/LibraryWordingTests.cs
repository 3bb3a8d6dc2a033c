// Libraries say what is wrong in their own terms; only the front ends know their options. This parses every C# source
// file of the libraries (src/ except the command line) and fails on a string literal that names a command-line option
// (--word), with the file, line and literal of each; options of other programs a library writes on purpose (a Slurm
// script's directives) are listed per file. Comments may mention options; only literals (and the literal
// parts of interpolated strings) are read. It does not read the front ends: the command line (src/CharRnnCode.Cli)
// and the server (server/, whose bench command is its own command line) word errors as their options.
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CharRnnCode.Architecture.Tests;

public sealed partial class LibraryWordingTests
{
    /// <summary>Library files that still name options, each with the reason; empty when every library speaks for itself.</summary>
    private static readonly Dictionary<string, string> Pending = new()
    {
    };

    /// <summary>Options of other programs that a library writes on purpose, per file: they are those programs' words, not charrnn's.</summary>
    private static readonly Dictionary<string, string[]> ForeignOptions = new()
    {
        // The batch script's #SBATCH directives and sbatch's own argument.
        ["src/CharRnnCode.Model/Sweeps/SlurmArray.cs"] =
            ["--job-name", "--array", "--output", "--open-mode", "--requeue", "--ntasks", "--partition", "--gres", "--cpus-per-task", "--time", "--parsable"],
    };

    [Fact]
    public void Library_string_literals_name_no_command_line_option()
    {
        var root = Repository.Root();
        var violations = new List<string>();
        foreach (var path in LibrarySources(root))
        {
            var relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            if (Pending.ContainsKey(relative)) continue;
            var tree = CSharpSyntaxTree.ParseText(File.ReadAllText(path), path: relative);
            var foreign = ForeignOptions.GetValueOrDefault(relative) ?? [];
            foreach (var (token, text) in LiteralTexts(tree.GetRoot()))
                foreach (var option in Option().Matches(text).Select(m => m.Value).Where(o => !foreign.Contains(o)))
                    violations.Add($"{relative}:{token.GetLocation().GetLineSpan().StartLinePosition.Line + 1}: {option} in {Clip(token.Text)}");
        }
        Assert.True(violations.Count == 0,
            "library string literals that name command-line options (throw an InvalidInputError naming the input as {name}; the front end words it):\n" +
            string.Join("\n", violations));
    }

    [Fact]
    public void The_check_sees_literals_and_interpolations_but_not_comments()
    {
        const string source = """
            // --comment is fine
            class C
            {
                string a = "pass --out DIR";
                string b = $"use {x} --force";
                string c = @"--verbatim";
                string d = "--";
                int e = i-- - --j;
            }
            """;
        var found = LiteralTexts(CSharpSyntaxTree.ParseText(source).GetRoot())
            .Select(l => Option().Match(l.Text)).Where(m => m.Success).Select(m => m.Value).ToList();
        Assert.Equal(["--out", "--force", "--verbatim"], found);
    }

    /// <summary>Every string literal's text: plain, verbatim and raw literals, and the literal parts of interpolated strings.</summary>
    private static IEnumerable<(SyntaxToken Token, string Text)> LiteralTexts(SyntaxNode root)
    {
        foreach (var token in root.DescendantTokens())
            if (token.IsKind(SyntaxKind.StringLiteralToken) || token.IsKind(SyntaxKind.InterpolatedStringTextToken)
                || token.IsKind(SyntaxKind.SingleLineRawStringLiteralToken) || token.IsKind(SyntaxKind.MultiLineRawStringLiteralToken)
                || token.IsKind(SyntaxKind.Utf8StringLiteralToken))
                yield return (token, token.ValueText);
    }

    /// <summary>The .cs files of every library project: src/ less the command line, less build output.</summary>
    private static IEnumerable<string> LibrarySources(string root) =>
        Directory.GetFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(path => !Path.GetRelativePath(root, path).Replace('\\', '/').StartsWith("src/CharRnnCode.Cli/", StringComparison.Ordinal))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);

    private static string Clip(string text) => text.Length > 120 ? text[..120] + "…" : text;

    /// <summary>An option as a command line spells it: two dashes and a word, not inside a longer word.</summary>
    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z0-9]*(-[a-z0-9]+)*")]
    private static partial Regex Option();
}
