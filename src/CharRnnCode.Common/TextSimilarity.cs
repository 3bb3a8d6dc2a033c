// How alike a completion is to the true line, by character edits: the evaluation's and the server
// benchmark's edit similarity. It knows nothing of code (no tokens, no syntax).
namespace CharRnnCode.Common;

/// <summary>How alike two texts are, for comparing a completion with the true line.</summary>
public static class TextSimilarity
{
    /// <summary>1 − Levenshtein distance / the longer length; 1 for two empty strings.</summary>
    public static double EditSimilarity(string a, string b)
    {
        if (a.Length == 0 && b.Length == 0) return 1;
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return 1.0 - previous[b.Length] / (double)Math.Max(a.Length, b.Length);
    }
}
