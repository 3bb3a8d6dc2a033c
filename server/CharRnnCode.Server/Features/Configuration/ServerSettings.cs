// The settings a client can change (initializationOptions and workspace/didChangeConfiguration), with
// their defaults and bounds. Keys are the ones the VS Code extension uses; a settings object may be
// wrapped in a "charRnn" section. Values of the wrong type or out of range are reported and ignored,
// never fatal. It does not apply settings: the handlers read them, and the completion pipeline gets its
// part as CompletionOptions (ToCompletionOptions).
using System.Text.Json;
using CharRnnCode.Completion;

namespace CharRnnCode.Server.Features.Configuration;

public sealed record ServerSettings
{
    /// <summary>Path of the checkpoint to serve; null means none: the default model is served, or, without one, nothing (completions are empty).</summary>
    public string? Checkpoint { get; init; }
    /// <summary>The model served when Checkpoint is null: the default model beside the server, set at start and never by a client; null: none.</summary>
    public string? DefaultCheckpoint { get; init; }
    /// <summary>Sampling temperature; 0 means greedy (argmax).</summary>
    public double Temperature { get; init; } = 0.3;
    public double TopP { get; init; } = 0.95;
    /// <summary>K: candidates generated as one batch.</summary>
    public int Candidates { get; init; } = 8;
    public int MaxChars { get; init; } = 100;
    /// <summary>Lines a completion may span where multi-line completions apply (end of a block).</summary>
    public int MaxLines { get; init; } = 4;
    /// <summary>Re-rank with Roslyn (syntax errors and undefined identifiers the candidate introduces).</summary>
    public bool Rerank { get; init; } = true;
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
    /// <summary>Give Roslyn every C# file of the workspace folders (read at start), not only the open documents.</summary>
    public bool LoadWorkspace { get; init; } = true;
    /// <summary>
    /// The user trusts the workspace (VS Code's workspace trust), so MSBuild may evaluate and design-time build its
    /// projects, which runs their targets. False (the default, and what a client that says nothing gets): package
    /// references come from the restore's assets files only, and nothing of the workspace runs.
    /// </summary>
    public bool TrustedWorkspace { get; init; }
    /// <summary>Mix a character n-gram over the workspace's files, the open documents and the text before the caret into the model (CompletionOptions.WorkspaceCache).</summary>
    public bool WorkspaceCache { get; init; } = true;
    /// <summary>
    /// Adapt a copy of the model's weights to the workspace in the background (a `charrnn adapt` process) and
    /// serve the adapted copy once it is written. Off by default: docs/server.md gives its cost.
    /// </summary>
    public bool DynamicEvaluation { get; init; }
    /// <summary>The command-line tool dynamic evaluation runs (an absolute path to charrnn or charrnn.dll); null: charrnn on PATH.</summary>
    public string? CliPath { get; init; }
    /// <summary>Encode open documents ahead of requests at idle, on a low-priority thread.</summary>
    public bool EncodeAhead { get; init; } = true;
    /// <summary>While the user types the ghost text just shown, answer from it with no model or Roslyn work.</summary>
    public bool TypeThrough { get; init; } = true;
    /// <summary>Items returned for an explicitly invoked completion (automatic requests get one).</summary>
    public int InvokedItems { get; init; } = 3;
    /// <summary>Automatic requests show nothing below this confidence (CompletionOptions.MinConfidence).</summary>
    public double MinConfidence { get; init; } = CompletionOptions.DefaultMinConfidence;
    /// <summary>MinConfidence for documents of a language (languageId), over the one above.</summary>
    public IReadOnlyDictionary<string, double> MinConfidenceByLanguage { get; init; } = new Dictionary<string, double>();
    /// <summary>Where automatic ghost text stops (CompletionOptions.StopAgreement).</summary>
    public double StopAgreement { get; init; } = CompletionOptions.DefaultStopAgreement;
    /// <summary>Sampling seed, for reproducible completions (tests, benchmarks); null: a fresh one per request.</summary>
    public long? Seed { get; init; }
    public string Device { get; init; } = "cpu";
    public int? Threads { get; init; }

    /// <summary>The part of these settings the completion pipeline reads; the one place they are mapped.</summary>
    /// <param name="languageId">the document's language, for its own minConfidence; null: the general one</param>
    public CompletionOptions ToCompletionOptions(string? languageId = null) => new()
    {
        MinConfidence = languageId is not null && MinConfidenceByLanguage.TryGetValue(languageId, out var own) ? own : MinConfidence,
        StopAgreement = StopAgreement,
        Candidates = Candidates,
        Temperature = Temperature,
        TopP = TopP,
        Seed = Seed,
        MaxChars = MaxChars,
        MaxLines = MaxLines,
        TimeBudgetMs = TimeBudgetMs,
        Constrain = Constrain,
        ConstrainWaitMs = ConstrainWaitMs,
        Rerank = Rerank,
        TypeThrough = TypeThrough,
        InvokedItems = InvokedItems,
        WorkspaceCache = WorkspaceCache,
    };

    /// <summary>Reads the keys present in <paramref name="json"/> over this; problems are returned, not thrown.</summary>
    public ServerSettings With(JsonElement? json, List<string> problems)
    {
        if (json is not { ValueKind: JsonValueKind.Object } root) return this;
        if (root.TryGetProperty("charRnn", out var section) && section.ValueKind == JsonValueKind.Object) root = section;
        var result = this;
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "checkpoint":
                    if (value.ValueKind == JsonValueKind.String) result = result with { Checkpoint = NullIfBlank(value.GetString()) };
                    else if (value.ValueKind == JsonValueKind.Null) result = result with { Checkpoint = null };
                    else problems.Add("checkpoint must be a path (string)");
                    break;
                case "temperature":
                    if (Number(value, 0, 5, problems, property.Name) is { } temperature) result = result with { Temperature = temperature };
                    break;
                case "topP":
                    if (Number(value, 0.01, 1, problems, property.Name) is { } topP) result = result with { TopP = topP };
                    break;
                case "candidates":
                    if (Number(value, 1, 32, problems, property.Name) is { } candidates) result = result with { Candidates = (int)candidates };
                    break;
                case "maxChars":
                    if (Number(value, 1, 1000, problems, property.Name) is { } maxChars) result = result with { MaxChars = (int)maxChars };
                    break;
                case "maxLines":
                    if (Number(value, 1, 50, problems, property.Name) is { } maxLines) result = result with { MaxLines = (int)maxLines };
                    break;
                case "timeBudgetMs":
                    if (Number(value, 0, 10_000, problems, property.Name) is { } budget) result = result with { TimeBudgetMs = (int)budget };
                    break;
                case "minConfidence":
                    if (Number(value, 0, 1, problems, property.Name) is { } minConfidence) result = result with { MinConfidence = minConfidence };
                    break;
                case "stopAgreement":
                    if (Number(value, 0, 1, problems, property.Name) is { } stopAgreement) result = result with { StopAgreement = stopAgreement };
                    break;
                case "minConfidenceByLanguage":
                    if (value.ValueKind != JsonValueKind.Object) { problems.Add("minConfidenceByLanguage must be an object of languageId: number (0 to 1)"); break; }
                    var byLanguage = new Dictionary<string, double>(StringComparer.Ordinal);
                    foreach (var language in value.EnumerateObject())
                        if (Number(language.Value, 0, 1, problems, $"minConfidenceByLanguage.{language.Name}") is { } own) byLanguage[language.Name] = own;
                    result = result with { MinConfidenceByLanguage = byLanguage };
                    break;
                case "invokedItems":
                    if (Number(value, 1, 32, problems, property.Name) is { } items) result = result with { InvokedItems = (int)items };
                    break;
                case "threads":
                    if (value.ValueKind == JsonValueKind.Null) result = result with { Threads = null };
                    else if (Number(value, 1, 256, problems, property.Name) is { } threads) result = result with { Threads = (int)threads };
                    break;
                case "seed":
                    if (value.ValueKind == JsonValueKind.Null) result = result with { Seed = null };
                    else if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seed)) result = result with { Seed = seed };
                    else problems.Add("seed must be an integer or null");
                    break;
                case "constrain":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) result = result with { Constrain = value.GetBoolean() };
                    else problems.Add("constrain must be true or false");
                    break;
                case "loadWorkspace":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) result = result with { LoadWorkspace = value.GetBoolean() };
                    else problems.Add("loadWorkspace must be true or false");
                    break;
                case "trustedWorkspace":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) result = result with { TrustedWorkspace = value.GetBoolean() };
                    else problems.Add("trustedWorkspace must be true or false");
                    break;
                case "constrainWaitMs":
                    if (Number(value, 0, 10_000, problems, property.Name) is { } wait) result = result with { ConstrainWaitMs = (int)wait };
                    break;
                case "workspaceCache":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) result = result with { WorkspaceCache = value.GetBoolean() };
                    else problems.Add("workspaceCache must be true or false");
                    break;
                case "dynamicEvaluation":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) result = result with { DynamicEvaluation = value.GetBoolean() };
                    else problems.Add("dynamicEvaluation must be true or false");
                    break;
                case "cliPath":
                    if (value.ValueKind == JsonValueKind.String) result = result with { CliPath = NullIfBlank(value.GetString()) };
                    else if (value.ValueKind == JsonValueKind.Null) result = result with { CliPath = null };
                    else problems.Add("cliPath must be a path (string)");
                    break;
                case "encodeAhead":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) result = result with { EncodeAhead = value.GetBoolean() };
                    else problems.Add("encodeAhead must be true or false");
                    break;
                case "typeThrough":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) result = result with { TypeThrough = value.GetBoolean() };
                    else problems.Add("typeThrough must be true or false");
                    break;
                case "rerank":
                    if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) result = result with { Rerank = value.GetBoolean() };
                    else problems.Add("rerank must be true or false");
                    break;
                case "device":
                    if (value.ValueKind == JsonValueKind.String && value.GetString() is "cpu" or "cuda" or "auto") result = result with { Device = value.GetString()! };
                    else problems.Add("device must be \"auto\", \"cpu\" or \"cuda\"");
                    break;
                    // Client-side settings (debounce, enable) pass through without a word.
            }
        }
        return result;
    }

    private static double? Number(JsonElement value, double min, double max, List<string> problems, string name)
    {
        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && number >= min && number <= max)
            return number;
        problems.Add($"{name} must be a number from {min} to {max}");
        return null;
    }

    private static string? NullIfBlank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
