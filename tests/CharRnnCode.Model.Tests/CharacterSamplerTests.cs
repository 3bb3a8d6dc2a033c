// The character sampler on tiny distributions over "abc" whose answers follow by hand from the draws of
// System.Random: a draw u in [0, 1) picks the first character whose cumulative share exceeds u. The
// pinned strings are those draws for seed 42 (0.6681 0.1409 0.1255 0.5228 0.1684 0.2626 0.7244 0.5129
// 0.1737 0.7613 0.2346 0.2573), so the same seed keeps writing the same text. Both entries, the model's
// log-probabilities and the n-gram baseline's probabilities, must write the same.
using CharRnnCode.Inference;

namespace CharRnnCode.Model.Tests;

public sealed class CharacterSamplerTests
{
    private const string Alphabet = "abc";
    private static readonly double[] Quarters = [0.25, 0.5, 0.25];

    private static string FromLogProbabilities(double[] probabilities, GenerationOptions options, int seed, int unknownId = -1)
    {
        var logProbabilities = probabilities.Select(p => (float)Math.Log(p)).ToArray();
        var random = new Random(seed);
        var scratch = new double[probabilities.Length];
        return new string([.. Enumerable.Range(0, 12).Select(_ => Alphabet[CharacterSampler.Choose(logProbabilities, options, random, unknownId, scratch)])]);
    }

    private static string FromProbabilities(double[] probabilities, bool argmax, double temperature, int seed)
    {
        var random = new Random(seed);
        return new string([.. Enumerable.Range(0, 12).Select(_ => Alphabet[CharacterSampler.ChooseFromProbabilities(probabilities, argmax, temperature, random)])]);
    }

    /// <summary>The characters the draws of <paramref name="seed"/> pick: a below <paramref name="firstCut"/>, b below <paramref name="secondCut"/>, else c.</summary>
    private static string ByHand(int seed, double firstCut, double secondCut)
    {
        var random = new Random(seed);
        return new string([.. Enumerable.Range(0, 12).Select(_ => random.NextDouble() switch
        {
            var u when u < firstCut => 'a',
            var u when u < secondCut => 'b',
            _ => 'c',
        })]);
    }

    [Fact]
    public void At_temperature_one_the_shares_are_the_probabilities()
    {
        Assert.Equal("baababbbacab", FromLogProbabilities(Quarters, new GenerationOptions(1, 12, 1.0), seed: 42));
        Assert.Equal("baababbbacab", FromProbabilities(Quarters, argmax: false, 1.0, seed: 42));
        for (var seed = 0; seed < 50; seed++)
        {
            Assert.Equal(ByHand(seed, 0.25, 0.75), FromLogProbabilities(Quarters, new GenerationOptions(1, 12, 1.0), seed));
            Assert.Equal(ByHand(seed, 0.25, 0.75), FromProbabilities(Quarters, argmax: false, 1.0, seed));
        }
    }

    [Fact]
    public void At_temperature_one_half_the_shares_are_the_squared_probabilities_renormalised()
    {
        // 1/16, 1/4, 1/16 of 3/8: 1/6, 2/3, 1/6.
        Assert.Equal("baabbbbbbbbb", FromLogProbabilities(Quarters, new GenerationOptions(1, 12, 0.5), seed: 42));
        Assert.Equal("baabbbbbbbbb", FromProbabilities(Quarters, argmax: false, 0.5, seed: 42));
        for (var seed = 0; seed < 50; seed++)
            Assert.Equal(ByHand(seed, 1.0 / 6, 5.0 / 6), FromProbabilities(Quarters, argmax: false, 0.5, seed));
    }

    [Fact]
    public void Top_p_keeps_the_most_likely_characters_until_their_share_reaches_p()
    {
        // 0.5 (b) is short of 0.6, b and c (0.8) reach it: a is dropped, b is 0.5 / 0.8 = 0.625 of the rest.
        Assert.Equal("cbbbbbcbbcbb", FromLogProbabilities([0.2, 0.5, 0.3], new GenerationOptions(1, 12, 1.0, TopP: 0.6), seed: 42));
    }

    [Fact]
    public void The_excluded_id_is_never_chosen_and_the_rest_share_its_place()
    {
        Assert.Equal("caacaaccacaa", FromLogProbabilities(Quarters, new GenerationOptions(1, 12, 1.0), seed: 42, unknownId: 1));
    }

    [Fact]
    public void Argmax_top_k_one_and_temperatures_near_zero_take_the_most_likely_character()
    {
        Assert.Equal("bbbbbbbbbbbb", FromLogProbabilities(Quarters, new GenerationOptions(1, 12, 1.0, Argmax: true), seed: 42));
        Assert.Equal("bbbbbbbbbbbb", FromLogProbabilities(Quarters, new GenerationOptions(1, 12, 5.0, TopK: 1), seed: 42));
        Assert.Equal("bbbbbbbbbbbb", FromLogProbabilities(Quarters, new GenerationOptions(1, 12, CharacterSampler.ArgmaxTemperature), seed: 42));
        Assert.Equal("bbbbbbbbbbbb", FromProbabilities(Quarters, argmax: true, 1.0, seed: 42));
        Assert.Equal("bbbbbbbbbbbb", FromProbabilities(Quarters, argmax: false, 0, seed: 42));
        Assert.Equal("aaaaaaaaaaaa", FromProbabilities([0.5, 0.5, 0], argmax: true, 1.0, seed: 42));   // the first of equal ones
    }

    [Fact]
    public void A_character_of_probability_zero_is_never_drawn()
    {
        for (var seed = 0; seed < 50; seed++)
            Assert.DoesNotContain('c', FromProbabilities([0.3, 0.7, 0], argmax: false, 1.3, seed));
    }

    [Theory]
    [InlineData(0.95, 0, 9)]    // 0.30 + ... + 0.06 = 0.93 is short of 0.95, + 0.03 reaches it: 9, more than are picked one by one
    [InlineData(0.5, 0, 3)]     // 0.30 + 0.12 = 0.42 is short of 0.5, + 0.11 reaches it
    [InlineData(1.0, 4, 4)]     // top-k 4
    public void Top_p_and_top_k_keep_the_same_characters_however_many_there_are(double topP, int topK, int kept)
    {
        // Twelve characters, most likely first; the kept ones are the first `kept`.
        double[] probabilities = [0.30, 0.12, 0.11, 0.10, 0.09, 0.08, 0.07, 0.06, 0.03, 0.02, 0.015, 0.005];
        var logProbabilities = probabilities.Select(p => (float)Math.Log(p)).ToArray();
        var options = new GenerationOptions(1, 1, 1.0, TopP: topP, TopK: topK);
        var random = new Random(3);
        var scratch = new double[probabilities.Length];
        var drawn = new HashSet<int>();
        for (var i = 0; i < 4000; i++) drawn.Add(CharacterSampler.Choose(logProbabilities, options, random, unknownId: -1, scratch));
        Assert.Equal(Enumerable.Range(0, kept).ToHashSet(), drawn);
    }
}
