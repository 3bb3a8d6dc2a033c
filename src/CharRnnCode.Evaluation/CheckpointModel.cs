// A trained checkpoint seen through the evaluation's eyes: CharLanguageModel behind ICharModel, plus what the
// seed's pictures need (next-character guesses after every character, cell activations). The recurrent state
// after the last context is kept, so that cursor positions later in the same file cost only the characters
// in between.
// It does not own sampling: Generate is the model's own batched sampler, the same one the server calls.
using CharRnnCode.Inference;

namespace CharRnnCode.Evaluation;

public sealed class CheckpointModel(CharLanguageModel model, string? name = null) : ICharModel, IDisposable
{
    private string _lastContext = "";
    private RecurrentState? _lastState;

    public CharLanguageModel Model { get; } = model;
    public string Description { get; } = name ?? model.Description;
    public int Layers => Model.Config.Layers;
    public int Hidden => Model.Config.Hidden;

    public static CheckpointModel Load(string checkpointPath, string device = "auto", int? threads = null) =>
        new(CharLanguageModel.Load(checkpointPath, device, threads));

    public double[] CharacterLogProbabilities(string text) => Model.CharacterLogProbabilities(text);

    public IReadOnlyList<Continuation> Continue(string context, ContinuationRequest request, CancellationToken cancellationToken = default)
    {
        var state = StateAfter(context);
        var options = new GenerationOptions(request.Count, request.MaxChars, request.Temperature, Argmax: request.Argmax,
            Seed: request.Seed, Stop: request.StopAtLineEnd ? text => text.Length > 0 && text[^1] == '\n' : null, Allowed: request.Allowed);
        return [.. Model.Generate(state, options, cancellationToken)
            .Select(candidate => new Continuation(candidate.Stopped ? candidate.Text[..^1] : candidate.Text, candidate.LogProbability, candidate.Stopped))];
    }

    private RecurrentState StateAfter(string context)
    {
        if (_lastState is not null && context.StartsWith(_lastContext, StringComparison.Ordinal))
            _lastState = Model.Advance(_lastState, context.AsSpan(_lastContext.Length));
        else
            _lastState = Model.Advance(Model.InitialState(), context);
        _lastContext = context;
        return _lastState;
    }

    /// <summary>After each character of <paramref name="text"/>, the model's <paramref name="count"/> likeliest next
    /// characters with their probabilities (what the seed drew under its samples).</summary>
    public IReadOnlyList<(char Character, double Probability)[]> NextGuesses(string text, int count = 5)
    {
        var guesses = new List<(char, double)[]>(text.Length);
        var state = Model.InitialState();
        foreach (var character in text)
        {
            state = Model.Advance(state, [character]);
            var logs = Model.NextLogProbabilities(state);
            guesses.Add([.. Enumerable.Range(0, logs.Length).OrderByDescending(i => logs[i]).Take(count)
                .Select(i => (Model.Vocabulary.Decode(i), Math.Exp(logs[i])))]);
        }
        return guesses;
    }

    public float[,] CellActivations(string text, int layer) => Model.CellActivations(text, layer);

    public void Dispose() => Model.Dispose();
}
