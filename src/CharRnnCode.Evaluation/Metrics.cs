// Loss in the two units papers use: nats per character (the training loss) and bits per character.
namespace CharRnnCode.Evaluation;

public sealed record LossMeasurement(string Model, int Characters, double NatsPerCharacter)
{
    public double BitsPerCharacter => NatsPerCharacter / Math.Log(2);
}

public static class Metrics
{
    public static double NatsPerCharacter(IReadOnlyCollection<double> logProbabilities) =>
        logProbabilities.Count == 0 ? double.NaN : -logProbabilities.Sum() / logProbabilities.Count;

    public static double BitsPerCharacter(IReadOnlyCollection<double> logProbabilities) =>
        NatsPerCharacter(logProbabilities) / Math.Log(2);

    /// <summary>The loss of <paramref name="model"/> on <paramref name="text"/>, read as one stream from the start state
    /// (as an editor reads a file); with <paramref name="chunkChars"/>, in chunks that each start from the start state.</summary>
    public static LossMeasurement Loss(ICharModel model, string text, int chunkChars = int.MaxValue, IProgress<double>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var total = 0.0;
        for (var start = 0; start < text.Length; start += Math.Min(chunkChars, text.Length - start))
        {
            cancellationToken.ThrowIfCancellationRequested();
            total += model.CharacterLogProbabilities(text.Substring(start, Math.Min(chunkChars, text.Length - start))).Sum();
            progress?.Report(Math.Min(1.0, (start + (double)Math.Min(chunkChars, text.Length - start)) / text.Length));
        }
        return new LossMeasurement(model.Description, text.Length, text.Length == 0 ? double.NaN : -total / text.Length);
    }
}
