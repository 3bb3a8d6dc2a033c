// The public shapes of inference: the recurrent state of one sequence, generation options, candidates.
// RecurrentState is an immutable snapshot (plain arrays), cheap to keep many of, e.g. one per line of a document.
namespace CharRnnCode.Inference;

/// <summary>The hidden state of ONE sequence after some text, and the model's next-character distribution there.</summary>
public sealed class RecurrentState
{
    internal RecurrentState(float[][] h, float[][]? c, float[] nextLogProbabilities, long length)
    {
        H = h; C = c; NextLogProbabilities = nextLogProbabilities; Length = length;
    }

    internal float[][] H { get; }                      // per layer (H)
    internal float[][]? C { get; }                     // per layer (H); LSTM only
    internal float[] NextLogProbabilities { get; }     // (V), natural log
    /// <summary>Characters consumed since the initial state.</summary>
    public long Length { get; }
}

/// <param name="Count">candidates, generated as one batch</param>
/// <param name="MaxChars">characters per candidate at most</param>
/// <param name="Temperature">divides the logits; near zero is argmax</param>
/// <param name="TopP">nucleus: sample among the most likely characters whose probabilities sum to at least TopP (1: all)</param>
/// <param name="TopK">sample among the K most likely characters (0: all)</param>
/// <param name="Argmax">always take the most likely character</param>
/// <param name="Seed">seed of the sampler; null for a random one</param>
/// <param name="Stop">stop a candidate when this returns true for its text so far</param>
/// <param name="OnCharacter">called with (candidate index, character) as each character is chosen, for streaming</param>
/// <param name="Usable">
/// whether a candidate's text so far is worth returning; when the soft budget runs out, generation goes on
/// until one candidate is usable (or the hard stop comes). Null: every text is, so the budget stops at once.
/// </param>
/// <param name="Allowed">
/// constrained decoding: which characters may follow a candidate's text so far (null from it: any). The
/// others are masked before sampling; the candidate's LogProbability stays the model's own. Where it would
/// mask every character the vocabulary has, it is ignored for that step.
/// </param>
/// <param name="Mix">
/// replaces a candidate's next-character row (natural-log probabilities over the vocabulary, summing to one)
/// with another distribution that sums to one, given the candidate's text so far: a mixture with a cache model.
/// The constraint, the sampling and LogProbability then work on the mixed row.
/// </param>
/// <param name="SharePrefixes">
/// candidates whose texts are equal so far have equal states: step one of them and copy its state to the
/// others (the results are the same bit for bit). Off only to measure the cost of K distinct sequences.
/// </param>
public sealed record GenerationOptions(int Count, int MaxChars, double Temperature,
    double TopP = 1.0, int TopK = 0, bool Argmax = false, long? Seed = null,
    Func<string, bool>? Stop = null, Action<int, char>? OnCharacter = null, Func<string, bool>? Usable = null,
    Func<string, Func<char, bool>?>? Allowed = null, bool SharePrefixes = true, MixRow? Mix = null);

/// <summary>Rewrites the next-character row of a candidate whose text so far is <paramref name="generated"/>.</summary>
public delegate void MixRow(string generated, Span<float> logProbabilities);

/// <param name="Text">the generated characters (including whatever made Stop return true)</param>
/// <param name="LogProbability">natural log of the model's probability of Text (untempered)</param>
/// <param name="Stopped">true when Stop ended it, false when it ran to MaxChars or was cancelled</param>
public sealed record Candidate(string Text, double LogProbability, bool Stopped);
