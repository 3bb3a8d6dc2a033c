// The two smoothings of the n-gram model against a computation by hand on "abracadabra" at orders 1, 2 and 3,
// modified Kneser-Ney's discounts against Chen & Goodman's formula on counts of counts counted by hand, and
// distributions that sum to one over the alphabet plus the unseen symbol at every order, for both.
namespace CharRnnCode.Evaluation.Tests;

public sealed class NGramSmoothingTests
{
    // a b r a c a d a b r a: alphabet {a, b, c, d, r} plus one symbol for unseen characters, so every recursion
    // starts from the uniform 1/6.
    private const string Abracadabra = "abracadabra";

    // Kneser-Ney counts, by hand ("^" is the start of the text, which counts as a character that can precede):
    //   raw unigrams:   a 5, b 2, r 2, c 1, d 1 (11)            counts of counts n1..n4 = 2, 2, 0, 0
    //   continuation:   a 4 (^, r, c, d), b 1, r 1, c 1, d 1 (8) counts of counts 4, 0, 0, 1
    //   raw bigrams:    ab 2, br 2, ra 2, ac 1, ca 1, ad 1, da 1  counts of counts 4, 3, 0, 0
    //   continuation:   ab 2 (^, d), br 1, ra 1, ac 1, ca 1, ad 1, da 1   6, 1, 0, 0
    //   raw trigrams:   abr 2, bra 2, rac 1, aca 1, cad 1, ada 1, dab 1   5, 2, 0, 0
    // No order has all of n1..n4, so every discount is the fallback: D1 = 1/2, D2 = 1, D3+ = 3/2.
    //
    // Order 1 (raw unigrams): freed mass = 1/2 * 2 (c, d) + 1 * 2 (b, r) + 3/2 * 1 (a) = 9/2, over 11.
    //   p(a) = (5 - 3/2 + 9/2 * 1/6) / 11 = (7/2 + 3/4) / 11 = 17/44
    //   p(b) = (2 - 1 + 3/4) / 11 = 7/44;  p(c) = (1 - 1/2 + 3/4) / 11 = 5/44;  p(unseen) = (3/4) / 11 = 3/44
    // The order-2 model's lower order (continuation unigrams): freed = 1/2 * 4 + 3/2 * 1 = 7/2, over 8.
    //   pc(a) = (4 - 3/2 + 7/2 * 1/6) / 8 = (5/2 + 7/12) / 8 = 37/96;  pc(b) = pc(r) = ... = (1 - 1/2 + 7/12) / 8 = 13/96
    // Order 2 (raw bigrams over pc):
    //   after "a" (ab 2, ac 1, ad 1; the final a has no follower): total 4, freed = 1/2 * 2 + 1 * 1 = 2
    //     p(b|a) = (2 - 1 + 2 * 13/96) / 4 = 61/192;  p(a|a) = (2 * 37/96) / 4 = 37/192;  p(c|a) = (1 - 1/2 + 2 * 13/96) / 4 = 37/192
    //   after "r" (ra 2): total 2, freed = 1
    //     p(a|r) = (2 - 1 + 37/96) / 2 = 133/192;  p(b|r) = (13/96) / 2 = 13/192
    //   after "z" (never seen): the lower order alone, on continuation counts: p(a|z) = pc(a) = 37/96 (not 17/44)
    // Order 3 (raw trigrams over continuation bigrams over pc):
    //   continuation after "a" (ab 2, ac 1, ad 1): total 4, freed 2: pc(b|a) = 61/192, pc(c|a) = 37/192, pc(r|a) = (2 * 13/96) / 4 = 13/192
    //   continuation after "b" (br 1): total 1, freed 1/2: pc(r|b) = (1 - 1/2 + 1/2 * 13/96) / 1 = 109/192
    //   after "ra" (rac 1; the final ra has no follower): total 1, freed 1/2
    //     p(c|ra) = (1 - 1/2 + 1/2 * 37/192) / 1 = 229/384;  p(b|ra) = 1/2 * 61/192 = 61/384
    //   after "ab" (abr 2): total 2, freed 1: p(r|ab) = (2 - 1 + 109/192) / 2 = 301/384
    //   after "zb" (never seen): continuation after "b": p(r|zb) = 109/192;  after "za": pc(r|a) = 13/192
    public static TheoryData<int, string, char, double> KneserNeyByHand => new()
    {
        { 1, "", 'a', 17.0 / 44 }, { 1, "", 'b', 7.0 / 44 }, { 1, "", 'c', 5.0 / 44 }, { 1, "", 'z', 3.0 / 44 },
        { 2, "a", 'b', 61.0 / 192 }, { 2, "a", 'a', 37.0 / 192 }, { 2, "a", 'c', 37.0 / 192 },
        { 2, "r", 'a', 133.0 / 192 }, { 2, "r", 'b', 13.0 / 192 }, { 2, "z", 'a', 37.0 / 96 },
        { 3, "ra", 'c', 229.0 / 384 }, { 3, "ra", 'b', 61.0 / 384 }, { 3, "ab", 'r', 301.0 / 384 },
        { 3, "zb", 'r', 109.0 / 192 }, { 3, "za", 'r', 13.0 / 192 },
    };

    // Witten-Bell, by hand: p = (count + distinct * lower) / (total + distinct), from the uniform 1/6.
    //   order 1: a 5, b 2, r 2, c 1, d 1 (11, 5 distinct): p(a) = (5 + 5/6) / 16 = 35/96, p(b) = (2 + 5/6) / 16 = 17/96,
    //            p(c) = 11/96, p(unseen) = (5/6) / 16 = 5/96
    //   order 2: after "a" (b 2, c 1, d 1: 4, 3 distinct): p(b|a) = (2 + 3 * 17/96) / 7 = 81/224, p(a|a) = (3 * 35/96) / 7 = 5/32,
    //            p(c|a) = (1 + 3 * 11/96) / 7 = 43/224; after "r" (a 2: 2, 1 distinct): p(a|r) = (2 + 35/96) / 3 = 227/288,
    //            p(b|r) = (17/96) / 3 = 17/288; after "z" (never seen): p(a|z) = p(a) = 35/96
    //   order 3: after "b" (r 2): p(r|b) = (2 + 17/96) / 3 = 209/288; after "ab" (r 2): p(r|ab) = (2 + 209/288) / 3 = 785/864;
    //            after "ra" (c 1): p(c|ra) = (1 + 43/224) / 2 = 267/448, p(b|ra) = (81/224) / 2 = 81/448;
    //            after "zb": p(r|b) = 209/288; after "za": p(r|a) = (3 * 17/96) / 7 = 17/224
    public static TheoryData<int, string, char, double> WittenBellByHand => new()
    {
        { 1, "", 'a', 35.0 / 96 }, { 1, "", 'b', 17.0 / 96 }, { 1, "", 'c', 11.0 / 96 }, { 1, "", 'z', 5.0 / 96 },
        { 2, "a", 'b', 81.0 / 224 }, { 2, "a", 'a', 5.0 / 32 }, { 2, "a", 'c', 43.0 / 224 },
        { 2, "r", 'a', 227.0 / 288 }, { 2, "r", 'b', 17.0 / 288 }, { 2, "z", 'a', 35.0 / 96 },
        { 3, "ra", 'c', 267.0 / 448 }, { 3, "ra", 'b', 81.0 / 448 }, { 3, "ab", 'r', 785.0 / 864 },
        { 3, "zb", 'r', 209.0 / 288 }, { 3, "za", 'r', 17.0 / 224 },
    };

    [Theory]
    [MemberData(nameof(KneserNeyByHand))]
    public void Kneser_Ney_probabilities_match_a_hand_computation(int order, string context, char next, double expected) =>
        AssertProbability(NGramSmoothing.KneserNey, order, context, next, expected);

    [Theory]
    [MemberData(nameof(WittenBellByHand))]
    public void Witten_Bell_probabilities_match_a_hand_computation(int order, string context, char next, double expected) =>
        AssertProbability(NGramSmoothing.WittenBell, order, context, next, expected);

    private static void AssertProbability(NGramSmoothing smoothing, int order, string context, char next, double expected)
    {
        // Built for order 20 and cut to `order`, and built for `order` itself: the same counts, the same answer.
        var cut = NGramModel.Train(Abracadabra, NGramModel.MaxOrder, smoothing: smoothing).WithOrder(order);
        var own = NGramModel.Train(Abracadabra, order, smoothing: smoothing);
        Assert.Equal(expected, own.Probability(context, next), 12);
        Assert.Equal(expected, cut.Probability(context, next), 12);
        // The sequence path (every order in one pass) agrees: the last character of context + next, given the rest.
        var logs = own.CharacterLogProbabilitiesByOrder(context + next, [order]);
        Assert.Equal(Math.Log(expected), logs[0][^1], 12);
    }

    [Fact]
    public void Kneser_Ney_discounts_follow_the_counts_of_counts()
    {
        // "abadcddbda": unigrams a 3, b 2, c 1, d 4, so n1..n4 = 1, 1, 1, 1. Continuation counts (distinct characters
        // before): a 3 (^, b, d), b 2 (a, d), c 1 (d), d 4 (a, c, d, b): again 1, 1, 1, 1.
        // Y = 1 / (1 + 2) = 1/3; D1 = 1 - 2/3 = 1/3, D2 = 2 - 3 * 1/3 = 1, D3+ = 3 - 4 * 1/3 = 5/3.
        // Every bigram is seen once (ab, ba, ad, dc, cd, dd, db, bd, da): n2 = 0, so order 2 falls back.
        var model = NGramModel.Train("abadcddbda", order: 3, smoothing: NGramSmoothing.KneserNey);
        foreach (var continuation in new[] { false, true })
        {
            var unigrams = model.Discounts(1, continuation);
            Assert.Equal([1L, 1, 1, 1], unigrams.CountsOfCounts);
            Assert.False(unigrams.FellBack);
            Assert.Equal(1.0 / 3, unigrams.One, 12);
            Assert.Equal(1.0, unigrams.Two, 12);
            Assert.Equal(5.0 / 3, unigrams.ThreeOrMore, 12);

            var bigrams = model.Discounts(2, continuation);
            Assert.Equal([9L, 0, 0, 0], bigrams.CountsOfCounts);
            Assert.True(bigrams.FellBack);
            Assert.Equal((0.5, 1.0, 1.5), (bigrams.One, bigrams.Two, bigrams.ThreeOrMore));
        }
        // Trigrams (aba, bad, adc, dcd, cdd, ddb, dbd, bda), each once, as the highest order.
        Assert.Equal([8L, 0, 0, 0], model.Discounts(3, continuation: false).CountsOfCounts);

        // Order 1 with these discounts: freed = 1/3 * 1 (c) + 1 * 1 (b) + 5/3 * 2 (a, d) = 14/3, over 10.
        // p(d) = (4 - 5/3 + 14/3 * 1/5) / 10 = (7/3 + 14/15) / 10 = 49/150.
        Assert.Equal(49.0 / 150, model.WithOrder(1).Probability("", 'd'), 12);
    }

    [Fact]
    public void The_discount_formula_refuses_a_discount_outside_its_range()
    {
        // n1..n4 = 10, 1, 1, 100: Y = 10/12, D3+ = 3 - 4 * 10/12 * 100 < 0, so the fallback stands in.
        var discounts = KneserNeyDiscounts.Estimate([10, 1, 1, 100]);
        Assert.True(discounts.FellBack);
        // n1..n4 = 100, 40, 20, 10: Y = 100/180 = 5/9; D1 = 5/9, D2 = 2 - 3 * 5/9 * 1/2 = 7/6, D3+ = 3 - 4 * 5/9 * 1/2 = 17/9.
        var fromCounts = KneserNeyDiscounts.Estimate([100, 40, 20, 10]);
        Assert.False(fromCounts.FellBack);
        Assert.Equal(5.0 / 9, fromCounts.One, 12);
        Assert.Equal(7.0 / 6, fromCounts.Two, 12);
        Assert.Equal(17.0 / 9, fromCounts.ThreeOrMore, 12);
    }

    public static TheoryData<NGramSmoothing> Smoothings => [.. NGramSmoothings.All];

    [Theory]
    [MemberData(nameof(Smoothings))]
    public void Distributions_sum_to_one_at_every_order_in_random_contexts(NGramSmoothing smoothing)
    {
        var random = new Random(7);
        var text = RandomCode(random, 3000);
        var model = NGramModel.Train(text, NGramModel.MaxOrder, smoothing: smoothing);
        var alphabet = text.Distinct().Order().ToArray();
        for (var order = 1; order <= NGramModel.MaxOrder; order++)
        {
            var cut = model.WithOrder(order);
            for (var trial = 0; trial < 12; trial++)
            {
                // Half the contexts are cut from the text (seen to some depth), half are random (mostly unseen), a few hold an unseen character.
                var length = random.Next(0, 25);
                var start = random.Next(0, text.Length - length);
                var context = trial % 2 == 0 ? text.Substring(start, length) : RandomCode(random, length);
                if (trial % 6 == 5 && length > 0) context = context[..(length / 2)] + "€" + context[(length / 2 + 1)..];
                var distribution = cut.Distribution(context);
                Assert.Equal(cut.SymbolCount, distribution.Length);
                Assert.Equal(1.0, distribution.Sum(), 10);
                Assert.All(distribution, p => Assert.True(p > 0));
                var next = alphabet[random.Next(alphabet.Length)];
                Assert.Equal(distribution[Array.IndexOf(alphabet, next)], cut.Probability(context, next), 12);
            }
        }
    }

    [Fact]
    public void Both_smoothings_share_one_set_of_counts_and_differ_only_in_how_they_smooth()
    {
        var text = RandomCode(new Random(3), 2000);
        var wittenBell = NGramModel.Train(text, 8);
        var kneserNey = wittenBell.WithSmoothing(NGramSmoothing.KneserNey);
        Assert.Equal(NGramSmoothing.WittenBell, wittenBell.Smoothing);
        Assert.Equal(kneserNey.Probability("int c", 'o'), NGramModel.Train(text, 8, smoothing: NGramSmoothing.KneserNey).Probability("int c", 'o'), 14);
        Assert.NotEqual(wittenBell.Probability("int c", 'o'), kneserNey.Probability("int c", 'o'), 6);
        Assert.Contains("Kneser-Ney", kneserNey.Description);
    }

    /// <summary>Lines of C-like statements over a small alphabet, the same for the same random state.</summary>
    private static string RandomCode(Random random, int length)
    {
        string[] words = ["int ", "count", " = ", "value", ";\n", "if (", ") {", "}\n", "return ", "x", "+ 1", "    "];
        var text = new System.Text.StringBuilder();
        while (text.Length < length) text.Append(words[random.Next(words.Length)]);
        return text.ToString(0, length);
    }
}
