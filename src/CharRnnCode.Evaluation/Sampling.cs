// Picking the next character from a distribution of probabilities, for the models the evaluation drives
// itself (the n-gram baseline): the product's one sampler, CharacterSampler, under the name those models call.
using CharRnnCode.Model.Inference;

namespace CharRnnCode.Evaluation;

public static class Sampling
{
    /// <summary>An index of <paramref name="probabilities"/> (need not sum to one): the largest when
    /// <paramref name="argmax"/>, else drawn from p^(1/temperature), renormalised (see CharacterSampler).</summary>
    public static int Pick(ReadOnlySpan<double> probabilities, bool argmax, double temperature, Random random) =>
        CharacterSampler.ChooseFromProbabilities(probabilities, argmax, temperature, random);
}
