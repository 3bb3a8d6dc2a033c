// The name set's prefix answers against a brute-force check over every prefix of every name.
namespace CharRnnCode.Scoring.Tests;

public sealed class NameSetTests
{
    [Fact]
    public void Continuations_match_a_brute_force_scan()
    {
        string[] names = ["Length", "LastIndexOf", "Last", "L", "count", "counter", "Count", "_x", "x1"];
        var set = new NameSet(names);
        var prefixes = names.SelectMany(n => Enumerable.Range(0, n.Length + 1).Select(i => n[..i])).Append("Lz").Append("q").Distinct();
        foreach (var prefix in prefixes)
        {
            var expected = names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.Length > prefix.Length)
                .Select(n => n[prefix.Length]).ToHashSet();
            var complete = names.Contains(prefix);
            var actual = set.Next(prefix);
            if (expected.Count == 0 && !complete) { Assert.Null(actual); continue; }
            Assert.NotNull(actual);
            Assert.Equal(expected.Order(), actual!.Characters.Order());
            Assert.Equal(complete, actual.Complete);
        }
    }
}
