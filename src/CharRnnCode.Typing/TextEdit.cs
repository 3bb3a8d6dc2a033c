// The one edit that turns an editor's text into its next text, as an editor sends it over LSP (one ranged change):
// what stays before and after it is kept. It knows no positions; callers turn offsets into lines and columns.
namespace CharRnnCode.Typing;

/// <summary>The one edit that turns one text into another: what stays before and after it is kept.</summary>
public static class TextEdit
{
    public static (int Start, int End, string Inserted) Between(string before, string after)
    {
        var limit = Math.Min(before.Length, after.Length);
        var prefix = 0;
        while (prefix < limit && before[prefix] == after[prefix]) prefix++;
        var suffix = 0;
        while (suffix < limit - prefix && before[before.Length - 1 - suffix] == after[after.Length - 1 - suffix]) suffix++;
        return (prefix, before.Length - suffix, after[prefix..(after.Length - suffix)]);
    }
}
