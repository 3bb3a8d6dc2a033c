// Which lines the simulated user types: lines whose first token lies inside a member body (a method, constructor,
// accessor, operator, local function or lambda block), drawn with a seed, at most PerFile from one file. A line
// that starts inside a comment or a preprocessor directive, or holds no letter or digit (`{`, `});`), is never
// chosen: an editor closes those brackets itself. It reads the files it is given; it finds no files itself.
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace CharRnnCode.Typing;

/// <summary>A C# file of the workspace: its path (as the editor names it) and its text.</summary>
public sealed record TypingFile(string Path, string Text);

/// <param name="Start">offset of the line's first non-blank character: the caret when the line starts</param>
/// <param name="Text">what the user types: the line from its first non-blank character, trailing blanks left out</param>
public sealed record TypingLine(int FileIndex, string Path, int LineNumber, int Start, string Text)
{
    /// <summary>The file as the user finds it: this line emptied down to its indentation.</summary>
    public string Emptied(string fileText) => fileText.Remove(Start, Text.Length);
}

public static class TypingLines
{
    /// <summary>At most this many lines from one file, so that a few long files do not decide the figures.</summary>
    public const int PerFile = 3;
    /// <summary>Longer lines are generated code or data more often than typed code.</summary>
    public const int MaxLineChars = 150;

    /// <summary>Up to <paramref name="count"/> lines, the same ones for the same files and seed.</summary>
    public static List<TypingLine> Choose(IReadOnlyList<TypingFile> files, int count, int seed)
    {
        var random = new Random(seed);
        var chosen = new List<TypingLine>();
        for (var index = 0; index < files.Count; index++)
        {
            var eligible = Eligible(index, files[index]);
            chosen.AddRange(eligible.OrderBy(_ => random.Next()).Take(PerFile));
        }
        return [.. chosen.OrderBy(_ => random.Next()).Take(count)];
    }

    /// <summary>Every line of one file the user could be asked to type.</summary>
    public static List<TypingLine> Eligible(int fileIndex, TypingFile file)
    {
        var tree = CSharpSyntaxTree.ParseText(file.Text);
        var root = tree.GetRoot();
        var text = tree.GetText();
        var result = new List<TypingLine>();
        foreach (var line in text.Lines)
        {
            var content = text.ToString(line.Span);
            var first = 0;
            while (first < content.Length && char.IsWhiteSpace(content[first])) first++;
            var typed = content[first..].TrimEnd();
            if (typed.Length == 0 || typed.Length > MaxLineChars || !typed.Any(char.IsLetterOrDigit)) continue;
            var start = line.Start + first;
            var token = root.FindToken(start);
            if (token.SpanStart != start || !InsideMemberBody(token)) continue;
            result.Add(new TypingLine(fileIndex, file.Path, line.LineNumber, start, typed));
        }
        return result;
    }

    private static bool InsideMemberBody(SyntaxToken token)
    {
        foreach (var block in token.Parent!.AncestorsAndSelf().OfType<BlockSyntax>())
        {
            if (token == block.OpenBraceToken || token == block.CloseBraceToken) continue;
            if (block.Parent is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)
                return true;
        }
        return false;
    }
}
