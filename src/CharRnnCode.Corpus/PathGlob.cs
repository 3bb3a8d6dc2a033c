// Glob patterns over repository paths, with gitignore's rule for patterns without a slash: `*.cs`
// matches a file of that name in any folder, `src/*.cs` only directly under src/. `**` spans folders,
// `*` and `?` stay within one, `{a,b}` is an alternation. Matching is case-sensitive, like git.
// It does not support negation (`!`) or character classes beyond what .NET regex gives `[...]`.
using System.Text;
using System.Text.RegularExpressions;

namespace CharRnnCode.Corpus;

public sealed class PathGlob
{
    private readonly Regex _regex;
    public string Pattern { get; }

    public PathGlob(string pattern)
    {
        Pattern = pattern;
        var trimmed = pattern.Trim().TrimStart('/');
        if (trimmed.Length == 0) throw new Common.UserError("an empty glob pattern matches nothing; remove it.");
        var anchored = pattern.TrimStart().StartsWith('/') || trimmed.TrimEnd('/').Contains('/');
        var body = Translate(trimmed.EndsWith('/') ? trimmed + "**" : trimmed);
        _regex = new Regex((anchored ? "^" : "^(?:.*/)?") + body + "$", RegexOptions.CultureInvariant | RegexOptions.Compiled);
    }

    public bool IsMatch(string path) => _regex.IsMatch(path);

    private static string Translate(string glob)
    {
        var builder = new StringBuilder();
        var braceDepth = 0;
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    i++;
                    if (i + 1 < glob.Length && glob[i + 1] == '/') { i++; builder.Append("(?:.*/)?"); }
                    else builder.Append(".*");
                    break;
                case '*': builder.Append("[^/]*"); break;
                case '?': builder.Append("[^/]"); break;
                case '{': braceDepth++; builder.Append("(?:"); break;
                case '}' when braceDepth > 0: braceDepth--; builder.Append(')'); break;
                case ',' when braceDepth > 0: builder.Append('|'); break;
                case '[':
                    var close = glob.IndexOf(']', i + 1);
                    if (close > i + 1) { builder.Append(glob, i, close - i + 1); i = close; }
                    else builder.Append(@"\[");
                    break;
                default: builder.Append(Regex.Escape(c.ToString())); break;
            }
        }
        return builder.ToString();
    }
}

/// <summary>Any of several globs.</summary>
public sealed class PathGlobSet(IEnumerable<string> patterns)
{
    private readonly PathGlob[] _globs = patterns.Select(p => new PathGlob(p)).ToArray();

    public bool IsEmpty => _globs.Length == 0;

    public bool IsMatch(string path)
    {
        foreach (var glob in _globs)
            if (glob.IsMatch(path)) return true;
        return false;
    }
}
