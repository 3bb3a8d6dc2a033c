// Bits per character on the test split with the workspace cache mixed in, beside the network alone read the
// same way: each test file from the start state (as an editor reads a file), the cache holding the training
// and validation splits as the workspace and, as the current document, the test file's text before each
// position. The mixture is the server's (CacheMixture): its weight starts even at every file and follows how
// well each model predicted the file so far. Characters the vocabulary lacks score as the unknown id for the
// network, as in the model's own loss. It trains nothing and writes nothing.
using CharRnnCode.Completion.Cache;
using CharRnnCode.Inference;

namespace CharRnnCode.Evaluation;

/// <param name="Contender">the checkpoint measured</param>
/// <param name="NetworkBitsPerCharacter">the network alone, file by file</param>
/// <param name="MixedBitsPerCharacter">the network and the workspace cache, per character</param>
/// <param name="CacheBitsPerCharacter">the workspace cache with the network it backs off onto (weight one on the cache)</param>
public sealed record WorkspaceCacheLossRow(string Contender, int Files, int Characters, double NetworkBitsPerCharacter, double MixedBitsPerCharacter,
    double CacheBitsPerCharacter, double MeanCacheWeight);

public static class WorkspaceCacheLoss
{
    /// <summary>The cache over <paramref name="workspace"/> (built once, shared by every contender).</summary>
    public static CharacterCache BuildCache(IEnumerable<SourceFile> workspace) =>
        CharacterCache.Build(workspace.Select(file => (file.Path, file.Text, false)));

    /// <summary>The test files in order, until <paramref name="maxChars"/> characters have been read.</summary>
    public static WorkspaceCacheLossRow Measure(string contender, CharLanguageModel model, CharacterCache cache, IReadOnlyList<SourceFile> testFiles,
        int maxChars, IProgress<double>? progress = null, CancellationToken cancellationToken = default) =>
        Measure(contender, model.Vocabulary, model.CharacterLogProbabilities, cache, testFiles, maxChars, progress, cancellationToken);

    /// <summary>As above, with the network's per-character log-probabilities of each file from <paramref name="network"/>
    /// (called once per file, in order: a network that adapts as it reads, such as dynamic evaluation, may).</summary>
    public static WorkspaceCacheLossRow Measure(string contender, Vocabulary vocabulary, Func<string, double[]> network, CharacterCache cache,
        IReadOnlyList<SourceFile> testFiles, int maxChars, IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        var mixture = new CacheMixture(vocabulary);
        var symbols = new double[CharacterCache.Symbols];
        double networkBits = 0, mixedBits = 0, cacheBits = 0, weights = 0;
        var characters = 0;
        var files = 0;
        foreach (var file in testFiles)
        {
            if (characters >= maxChars) break;
            cancellationToken.ThrowIfCancellationRequested();
            var text = file.Text.Length > maxChars - characters ? file.Text[..(maxChars - characters)] : file.Text;
            if (text.Length == 0) continue;
            files++;
            var networkLogProbabilities = network(text);
            var weight = CacheMixture.PriorCacheWeight;
            for (var i = 0; i < text.Length; i++)
            {
                var backoff = cache.Predict(text.AsSpan(Math.Max(0, i - CharacterCache.MaxOrder), Math.Min(i, CharacterCache.MaxOrder)), null, new DocumentView(text, i), symbols);
                var fromNetwork = Math.Exp(networkLogProbabilities[i]);
                var fromCache = CacheMixture.CacheProbability(mixture.ProbabilityOf(symbols, text[i]), backoff, fromNetwork);
                networkBits -= networkLogProbabilities[i] / Math.Log(2);
                mixedBits -= Math.Log2((1 - weight) * fromNetwork + weight * fromCache);
                cacheBits -= Math.Log2(fromCache);
                weights += weight;
                weight = CacheMixture.Update(weight, fromNetwork, fromCache);
            }
            characters += text.Length;
            progress?.Report(Math.Min(1.0, characters / (double)Math.Min(maxChars, testFiles.Sum(f => (long)f.Text.Length))));
        }
        if (characters == 0) throw new ArgumentException("the test files hold no text", nameof(testFiles));
        return new WorkspaceCacheLossRow(contender, files, characters, networkBits / characters, mixedBits / characters, cacheBits / characters, weights / characters);
    }
}
