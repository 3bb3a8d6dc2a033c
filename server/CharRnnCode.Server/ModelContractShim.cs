// TEMPORARY: the model library's inference contract, declared here only until the library provides it.
namespace CharRnnCode.Model
{

public sealed class Vocabulary { public int Size => 0; public int UnknownId => 0; public int Encode(char c) => 0; public char Decode(int id) => ' '; }
public sealed record ModelConfig;
public sealed class RecurrentState { }
public sealed record GenerationOptions(int Count, int MaxChars, double Temperature, double TopP = 1.0, int TopK = 0, bool Argmax = false, long? Seed = null, Func<string, bool>? Stop = null);
public sealed record Candidate(string Text, double LogProbability, bool Stopped);
public sealed class CheckpointException(string message) : CharRnnCode.Common.UserError(message);
public sealed class CharLanguageModel : IDisposable
{
    public static CharLanguageModel Load(string checkpointPath, string device = "auto", int? threads = null) => throw new CheckpointException("not available");
    public Vocabulary Vocabulary { get; } = new();
    public ModelConfig Config { get; } = new();
    public string Description => "";
    public RecurrentState InitialState() => new();
    public RecurrentState Advance(RecurrentState state, ReadOnlySpan<char> text) => state;
    public float[] NextLogProbabilities(RecurrentState state) => [];
    public IReadOnlyList<Candidate> Generate(RecurrentState state, GenerationOptions options, CancellationToken cancellationToken) => [];
    public void Dispose() { }
}
}
