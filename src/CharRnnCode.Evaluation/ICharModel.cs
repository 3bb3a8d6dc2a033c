// What the evaluation needs from a character model, whatever it is: the recurrent network of a checkpoint,
// the n-gram baseline, or a stand-in in tests. Per-character log-probabilities (for bits per character and
// likelihood ranking) and continuations of a context (free-running samples, line completion).
// It says nothing about training, devices or checkpoints.
namespace CharRnnCode.Evaluation;

public interface ICharModel
{
    /// <summary>What this model is, for reports: "lstm 2x256, step 1200", "n-gram order 20 (modified Kneser-Ney)".</summary>
    string Description { get; }

    /// <summary>log p(text[i] | text[..i]) for every i, natural log.</summary>
    double[] CharacterLogProbabilities(string text);

    /// <summary><see cref="ContinuationRequest.Count"/> continuations of <paramref name="context"/>.</summary>
    IReadOnlyList<Continuation> Continue(string context, ContinuationRequest request, CancellationToken cancellationToken = default);
}

/// <summary>How to continue: <paramref name="Argmax"/> takes the likeliest character at every step (then
/// <paramref name="Temperature"/> is ignored); <paramref name="StopAtLineEnd"/> ends a continuation at its first
/// `\n`, which is not part of the returned text. <paramref name="Allowed"/>: constrained decoding, which characters may
/// follow a continuation's text so far (null from it: any); a model that cannot be steered ignores it.</summary>
public sealed record ContinuationRequest(int Count, int MaxChars, double Temperature, bool Argmax = false, long Seed = 0,
    bool StopAtLineEnd = false, Func<string, Func<char, bool>?>? Allowed = null);

/// <summary>A continuation and its log-probability under the model that wrote it (natural log, the stopping
/// `\n` included when there was one: <paramref name="Stopped"/>).</summary>
public sealed record Continuation(string Text, double LogProbability, bool Stopped = false)
{
    /// <summary>Characters the model generated: the text, and the line end it stopped at.</summary>
    public int GeneratedCharacters => Text.Length + (Stopped ? 1 : 0);
}
