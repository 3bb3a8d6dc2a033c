// What one completion request may do: how many candidates, how they are sampled, how long and how far they
// may run, and whether Roslyn steers and ranks them. The defaults are the language server's defaults, so
// `new CompletionOptions()` completes as the server does out of the box. It holds nothing about where the
// model comes from or which documents exist: the pipeline's owner decides those.
namespace CharRnnCode.Completion;

public sealed record CompletionOptions
{
    /// <summary>K: candidates generated as one batch (one when Temperature is 0).</summary>
    public int Candidates { get; init; } = 8;
    /// <summary>Sampling temperature; 0 means greedy (argmax).</summary>
    public double Temperature { get; init; } = 0.3;
    /// <summary>Nucleus sampling: each character is drawn from the likeliest characters holding this much probability.</summary>
    public double TopP { get; init; } = 0.95;
    /// <summary>Sampling seed, for reproducible completions (tests, benchmarks); null: a fresh one per request.</summary>
    public long? Seed { get; init; }
    /// <summary>Characters a candidate may hold at most.</summary>
    public int MaxChars { get; init; } = 100;
    /// <summary>Lines a completion may span where multi-line completions apply (end of a block).</summary>
    public int MaxLines { get; init; } = 4;
    /// <summary>
    /// The time budget for generating one request's candidates (prefix encoding and Roslyn's preparation
    /// are not counted); when it runs out the best candidate holding a whole token is served. 0: serve
    /// the first whole token any candidate writes.
    /// </summary>
    public int TimeBudgetMs { get; init; } = 120;
    /// <summary>Constrained decoding: Roslyn's names and lexical guards steer every generated character.</summary>
    public bool Constrain { get; init; } = true;
    /// <summary>How long generation may wait for Roslyn's context when constraining; later, the constraint joins when it is ready.</summary>
    public int ConstrainWaitMs { get; init; } = 50;
    /// <summary>Re-rank with Roslyn (syntax errors and undefined identifiers the candidate introduces).</summary>
    public bool Rerank { get; init; } = true;
    /// <summary>While the user types the ghost text just shown, answer from it with no model or Roslyn work.</summary>
    public bool TypeThrough { get; init; } = true;
    /// <summary>Items returned for an explicitly invoked completion (automatic requests get one).</summary>
    public int InvokedItems { get; init; } = 3;
    /// <summary>Automatic requests show nothing when fewer than this share of the candidates begin with the best one's first token (ShownText).</summary>
    public double MinConfidence { get; init; } = DefaultMinConfidence;
    /// <summary>Automatic requests show the best candidate up to where fewer than this share of the candidates agree with it (0: the whole candidate).</summary>
    public double StopAgreement { get; init; } = DefaultStopAgreement;

    /// <summary>
    /// Mix the workspace cache (a character n-gram over the workspace's files, the open documents and the text
    /// before the caret) into the model's distribution, per character, when the pipeline has one.
    /// </summary>
    public bool WorkspaceCache { get; init; } = true;

    /// <summary>The default gate, chosen with the typing replay on held-out repositories (README, What a user keeps).</summary>
    public const double DefaultMinConfidence = 0.75;
    /// <summary>The default stop rule's share, chosen the same way.</summary>
    public const double DefaultStopAgreement = 0.5;
}
