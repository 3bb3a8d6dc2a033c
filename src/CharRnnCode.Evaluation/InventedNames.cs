// The seed's finding, measured against the corpus: which names in a sample never occur in the training split.
// Names are the language's identifier tokens minus keywords (the scorer's own lexer, so words in strings and
// comments are not names). A sample counts each distinct name once (the distinct share) and every use (the
// occurrence share). A name that ends exactly where the sample ends is left out: the sample may have cut it.
// It does not judge whether a name is declared in the sample; a name the sample declares and uses is still
// one the model made up.
using CharRnnCode.Scoring;

namespace CharRnnCode.Evaluation;

/// <param name="Distinct">distinct names in the sample</param>
/// <param name="DistinctInvented">of them, the ones the training split never uses</param>
/// <param name="Occurrences">name tokens in the sample</param>
/// <param name="OccurrencesInvented">of them, uses of invented names</param>
/// <param name="Invented">the invented names, distinct, in order of first use</param>
public sealed record NameInvention(int Distinct, int DistinctInvented, int Occurrences, int OccurrencesInvented, IReadOnlyList<string> Invented);

/// <summary>The names of a training split, read once.</summary>
public sealed class KnownNames
{
    private readonly HashSet<string> _names;

    private KnownNames(HashSet<string> names) => _names = names;

    public int Count => _names.Count;

    public bool Contains(string name) => _names.Contains(name);

    /// <summary>The names of <paramref name="texts"/> (read one at a time, e.g. the training split's files), by <paramref name="scorer"/>'s lexer.</summary>
    public static KnownNames From(IEnumerable<string> texts, ICodeScorer scorer, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var done = 0;
        foreach (var text in texts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var name in scorer.Identifiers(text)) names.Add(name.Text);
            progress?.Report(++done);
        }
        return new KnownNames(names);
    }

    /// <summary>How many of <paramref name="identifiers"/> (the names of <paramref name="text"/>) the training split never uses.</summary>
    public NameInvention Measure(string text, IReadOnlyList<CodeToken> identifiers)
    {
        var whole = identifiers.Where(name => name.End < text.Length).ToList();
        var invented = whole.Where(name => !_names.Contains(name.Text)).Select(name => name.Text).ToList();
        var distinct = whole.Select(name => name.Text).Distinct(StringComparer.Ordinal).Count();
        var inventedDistinct = invented.Distinct(StringComparer.Ordinal).ToList();
        return new NameInvention(distinct, inventedDistinct.Count, whole.Count, invented.Count, inventedDistinct);
    }
}
