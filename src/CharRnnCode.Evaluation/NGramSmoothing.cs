// How the character n-gram model spreads probability to what a context did not show: the two smoothings it
// offers, their names on the command line, and the discounts of modified Kneser-Ney (Chen & Goodman 1998,
// "An Empirical Study of Smoothing Techniques for Language Modeling", section 3) estimated from counts of counts.
// The recursions themselves are in NGramModel.
namespace CharRnnCode.Evaluation;

public enum NGramSmoothing
{
    /// <summary>Interpolated Witten-Bell: a context gives its lower order as much weight as it has distinct followers.</summary>
    WittenBell,

    /// <summary>Interpolated modified Kneser-Ney: three absolute discounts per order, and lower orders that count
    /// how many distinct characters came before an n-gram instead of how often it came.</summary>
    KneserNey,
}

public static class NGramSmoothings
{
    public static IReadOnlyList<NGramSmoothing> All { get; } = [NGramSmoothing.WittenBell, NGramSmoothing.KneserNey];

    /// <summary>The name on the command line and in JSON: witten-bell, kneser-ney.</summary>
    public static string Name(this NGramSmoothing smoothing) => smoothing switch
    {
        NGramSmoothing.WittenBell => "witten-bell",
        NGramSmoothing.KneserNey => "kneser-ney",
        _ => throw new ArgumentOutOfRangeException(nameof(smoothing)),
    };

    /// <summary>The name in prose: "Witten-Bell", "modified Kneser-Ney".</summary>
    public static string Title(this NGramSmoothing smoothing) => smoothing switch
    {
        NGramSmoothing.WittenBell => "Witten-Bell",
        NGramSmoothing.KneserNey => "modified Kneser-Ney",
        _ => throw new ArgumentOutOfRangeException(nameof(smoothing)),
    };

    public static NGramSmoothing? Parse(string name) => All.Where(s => s.Name() == name).Select(s => (NGramSmoothing?)s).FirstOrDefault();
}

/// <summary>The amounts modified Kneser-Ney subtracts from an n-gram seen once (<paramref name="One"/>), twice
/// (<paramref name="Two"/>) and three or more times (<paramref name="ThreeOrMore"/>), with the counts of counts
/// n1..n4 they came from. <paramref name="FellBack"/>: the estimate was undefined or out of range, and the fixed
/// 0.5, 1, 1.5 stand in (as KenLM's --discount_fallback), which happens only on tiny texts.</summary>
public sealed record KneserNeyDiscounts(double One, double Two, double ThreeOrMore, IReadOnlyList<long> CountsOfCounts, bool FellBack)
{
    public static readonly (double One, double Two, double ThreeOrMore) Fallback = (0.5, 1.0, 1.5);

    /// <summary>Chen &amp; Goodman's estimate: Y = n1/(n1 + 2 n2), D1 = 1 - 2Y n2/n1, D2 = 2 - 3Y n3/n2, D3+ = 3 - 4Y n4/n3.
    /// Every discount must lie in (0, r]: zero would leave the lower order no mass for a context whose followers all
    /// share that count, and more than r would make a probability negative.</summary>
    public static KneserNeyDiscounts Estimate(IReadOnlyList<long> countsOfCounts)
    {
        if (countsOfCounts.Count != 4) throw new ArgumentException("counts of counts n1..n4 expected", nameof(countsOfCounts));
        var (n1, n2, n3, n4) = ((double)countsOfCounts[0], (double)countsOfCounts[1], (double)countsOfCounts[2], (double)countsOfCounts[3]);
        if (n1 > 0 && n2 > 0 && n3 > 0 && n4 > 0)
        {
            var y = n1 / (n1 + 2 * n2);
            var (one, two, threeOrMore) = (1 - 2 * y * n2 / n1, 2 - 3 * y * n3 / n2, 3 - 4 * y * n4 / n3);
            if (one is > 0 and <= 1 && two is > 0 and <= 2 && threeOrMore is > 0 and <= 3)
                return new KneserNeyDiscounts(one, two, threeOrMore, countsOfCounts, FellBack: false);
        }
        return new KneserNeyDiscounts(Fallback.One, Fallback.Two, Fallback.ThreeOrMore, countsOfCounts, FellBack: true);
    }

    /// <summary>The discount of an n-gram seen <paramref name="count"/> times (0 for an unseen one).</summary>
    public double For(int count) => count switch
    {
        <= 0 => 0,
        1 => One,
        2 => Two,
        _ => ThreeOrMore,
    };

    /// <summary>The probability mass the discounts free in a context: what the lower order is multiplied by, times the total.</summary>
    internal double Freed(in FollowerStatistics followers) =>
        One * followers.Once + Two * followers.Twice + ThreeOrMore * followers.ThreeOrMore;
}
