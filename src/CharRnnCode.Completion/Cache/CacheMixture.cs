// Mixing the network's next-character distribution with the workspace cache's, per character: a Bayesian
// mixture of the network and the cache (which itself backs off onto the network where its counts say little:
// counted(x) + backoff * network(x), CharacterCache.Predict), whose weights are their posterior given the text read so far (the document
// around the caret), with a fixed share of the weight returned to the prior after every character so that
// the mixture can follow a switch (a file of new code after one of boilerplate), as in Herbster and
// Warmuth's fixed-share forecaster. Nothing here is fitted to a repository: the prior is even and the
// switching rate is the usual 1 %. It works in the network's id space: the cache's symbols are summed onto
// the ids they read as (a character the vocabulary lacks onto the unknown id), so the mixture sums to one
// over the same ids the constraint masks and the ranking scores.
using CharRnnCode.Inference;

namespace CharRnnCode.Completion.Cache;

public sealed class CacheMixture
{
    /// <summary>The cache's weight before any character has been read.</summary>
    public const double PriorCacheWeight = 0.5;
    /// <summary>The share of the weight returned to the prior after each character (fixed share).</summary>
    public const double SwitchRate = 0.01;

    private const int OtherSymbol = CharacterCache.Symbols - 1;
    private readonly int[] _idOfSymbol = new int[CharacterCache.Symbols];
    private readonly int[] _otherIds;   // the ids "another character" (the cache's symbol 255) may be: the unknown id and every known character above U+00FE

    public CacheMixture(Vocabulary vocabulary)
    {
        Vocabulary = vocabulary;
        for (var symbol = 0; symbol < OtherSymbol; symbol++) _idOfSymbol[symbol] = vocabulary.Encode((char)symbol);
        _idOfSymbol[OtherSymbol] = vocabulary.UnknownId;
        _otherIds = [vocabulary.UnknownId, .. Enumerable.Range(0, vocabulary.Size).Where(id => id != vocabulary.UnknownId && vocabulary.Decode(id) >= OtherSymbol)];
    }

    public Vocabulary Vocabulary { get; }

    /// <summary>The cache's weight after a character the network gave <paramref name="networkProbability"/> and the cache <paramref name="cacheProbability"/>.</summary>
    public static double Update(double cacheWeight, double networkProbability, double cacheProbability)
    {
        var cache = cacheWeight * cacheProbability;
        var network = (1 - cacheWeight) * networkProbability;
        var posterior = cache + network > 0 ? cache / (cache + network) : cacheWeight;
        return Forget(posterior);
    }

    /// <summary>The weight after a character that tells the two apart by nothing: only fixed share's step toward the prior.</summary>
    public static double Forget(double cacheWeight) => (1 - SwitchRate) * cacheWeight + SwitchRate * PriorCacheWeight;

    /// <summary>The cache's counted part summed onto the network's ids (<paramref name="byId"/>, the vocabulary's size).</summary>
    public void ToIds(ReadOnlySpan<double> symbolProbabilities, Span<double> byId)
    {
        byId.Clear();
        for (var symbol = 0; symbol < OtherSymbol; symbol++) byId[_idOfSymbol[symbol]] += symbolProbabilities[symbol];
        foreach (var id in _otherIds) byId[id] += symbolProbabilities[OtherSymbol] / _otherIds.Length;
    }

    /// <summary>The cache's counted part for the id <paramref name="character"/> reads as.</summary>
    public double ProbabilityOf(ReadOnlySpan<double> symbolProbabilities, char character)
    {
        var id = Vocabulary.Encode(character);
        double sum = 0;
        for (var symbol = 0; symbol < OtherSymbol; symbol++)
            if (_idOfSymbol[symbol] == id) sum += symbolProbabilities[symbol];
        if (_otherIds.Contains(id)) sum += symbolProbabilities[OtherSymbol] / _otherIds.Length;
        return sum;
    }

    /// <summary>The cache's probability of a character: its counted part plus its backoff onto the network.</summary>
    public static double CacheProbability(double counted, double backoff, double networkProbability) => counted + backoff * networkProbability;

    /// <summary>The mixture's probability of a character: (1 - w) p_network + w p_cache.</summary>
    public static double MixedProbability(double cacheWeight, double counted, double backoff, double networkProbability) =>
        (1 - cacheWeight) * networkProbability + cacheWeight * CacheProbability(counted, backoff, networkProbability);

    /// <summary>Replaces the network's natural-log row with the mixture's, the cache's counted part by id in <paramref name="countedById"/>.</summary>
    public static void Mix(Span<float> logProbabilities, ReadOnlySpan<double> countedById, double backoff, double cacheWeight)
    {
        for (var id = 0; id < logProbabilities.Length; id++)
            logProbabilities[id] = (float)Math.Log(MixedProbability(cacheWeight, countedById[id], backoff, Math.Exp(logProbabilities[id])));
    }
}
