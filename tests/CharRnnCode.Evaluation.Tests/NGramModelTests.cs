// The n-gram baseline: distributions that sum to one in every context, and bits per character on a fixed
// text equal to a computation by hand from the Witten-Bell formula.
namespace CharRnnCode.Evaluation.Tests;

public sealed class NGramModelTests
{
    private const string Code = """
        using System;
        class Program
        {
            static void Main(string[] args)
            {
                for (int i = 0; i < args.Length; i++)
                {
                    Console.WriteLine(args[i]);
                }
            }
        }
        """;

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(20)]
    public void Probabilities_sum_to_one_in_every_context(int order)
    {
        var model = NGramModel.Train(Code, order);
        foreach (var context in new[] { "", "    ", "Console.Wri", "for (int i", "zzz unseen", "args[i]);\n", Code[..^30] })
        {
            var distribution = model.Distribution(context);
            Assert.Equal(model.SymbolCount, distribution.Length);
            Assert.Equal(1.0, distribution.Sum(), 12);
            Assert.All(distribution, p => Assert.True(p > 0));
            // The one-character path agrees with the whole distribution.
            Assert.Equal(distribution[Array.IndexOf(Code.Distinct().Order().ToArray(), 'i')], model.Probability(context, 'i'), 12);
        }
    }

    [Fact]
    public void Bits_per_character_match_a_hand_computation()
    {
        // Training text "abab", order 2, alphabet {a, b} plus one symbol for unseen characters (uniform base 1/3).
        // Unigrams: a 2, b 2 (4 in all, 2 distinct): p(a) = p(b) = (2 + 2/3) / 6 = 4/9, p(unseen) = 1/9.
        // After "a": b twice (1 distinct): p(b|a) = (2 + 4/9) / 3 = 22/27, p(a|a) = (4/9) / 3 = 4/27.
        // After "b": a once (1 distinct; the final b has no follower): p(a|b) = (1 + 4/9) / 2 = 13/18, p(b|b) = (4/9) / 2 = 2/9.
        var model = NGramModel.Train("abab", order: 2);
        var logs = model.CharacterLogProbabilities("abba");
        double[] expected = [Math.Log(4.0 / 9), Math.Log(22.0 / 27), Math.Log(2.0 / 9), Math.Log(13.0 / 18)];
        Assert.Equal(expected, logs, (x, y) => Math.Abs(x - y) < 1e-12);

        var bitsPerChar = Metrics.BitsPerCharacter(logs);
        var byHand = -(Math.Log2(4.0 / 9) + Math.Log2(22.0 / 27) + Math.Log2(2.0 / 9) + Math.Log2(13.0 / 18)) / 4;
        Assert.Equal(byHand, bitsPerChar, 12);
        Assert.Equal(1.0 / 27, model.Probability("a", 'z'), 12); // unseen: only the uniform base, passed down twice
    }

    [Fact]
    public void A_longer_context_model_fits_its_own_text_better()
    {
        var model = NGramModel.Train(Code, order: 10);
        var low = Metrics.BitsPerCharacter(model.CharacterLogProbabilities(Code, order: 1));
        var high = Metrics.BitsPerCharacter(model.CharacterLogProbabilities(Code, order: 10));
        Assert.True(high < low / 4, $"order 10: {high:F3} bpc, order 1: {low:F3} bpc");
    }

    [Fact]
    public void Every_order_in_one_pass_equals_each_order_alone()
    {
        var model = NGramModel.Train(Code, order: 20);
        int[] orders = [1, 3, 7, 20];
        var together = model.CharacterLogProbabilitiesByOrder(Code[..120] + "zz unseen", orders);
        for (var o = 0; o < orders.Length; o++)
            Assert.Equal(model.CharacterLogProbabilities(Code[..120] + "zz unseen", orders[o]), together[o], (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Greedy_continuation_of_a_memorised_text_reproduces_it_to_the_line_end()
    {
        var model = NGramModel.Train(Code, order: 12);
        var continuation = Assert.Single(model.Continue("        for (int i = 0; i < ",
            new ContinuationRequest(1, 100, 1.0, Argmax: true, StopAtLineEnd: true)));
        Assert.Equal("args.Length; i++)", continuation.Text);
        Assert.True(continuation.LogProbability is < 0 and > -5);
    }
}
