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
    // The settings the completion pipeline reads start from its own defaults (CompletionOptions), their one home.
    private static readonly CompletionOptions PipelineDefaults = new();

    /// <summary>Path of the checkpoint to serve; null means none: the default model is served, or, without one, nothing (completions are empty).</summary>
    public string? Checkpoint { get; init; }
    /// <summary>The model served when Checkpoint is null: the default model beside the server, set at start and never by a client; null: none.</summary>
    public string? DefaultCheckpoint { get; init; }
    /// <inheritdoc cref="CompletionOptions.Temperature"/>
    public double Temperature { get; init; } = PipelineDefaults.Temperature;
    /// <inheritdoc cref="CompletionOptions.TopP"/>
    public double TopP { get; init; } = PipelineDefaults.TopP;
    /// <inheritdoc cref="CompletionOptions.Candidates"/>
    public int Candidates { get; init; } = PipelineDefaults.Candidates;
    /// <inheritdoc cref="CompletionOptions.MaxChars"/>
    public int MaxChars { get; init; } = PipelineDefaults.MaxChars;
    /// <inheritdoc cref="CompletionOptions.MaxLines"/>
    public int MaxLines { get; init; } = PipelineDefaults.MaxLines;
    /// <inheritdoc cref="CompletionOptions.Rerank"/>
    public bool Rerank { get; init; } = PipelineDefaults.Rerank;
    /// <inheritdoc cref="CompletionOptions.TimeBudgetMs"/>
    public int TimeBudgetMs { get; init; } = PipelineDefaults.TimeBudgetMs;
    /// <inheritdoc cref="CompletionOptions.Constrain"/>
    public bool Constrain { get; init; } = PipelineDefaults.Constrain;
    /// <inheritdoc cref="CompletionOptions.ConstrainWaitMs"/>
    public int ConstrainWaitMs { get; init; } = PipelineDefaults.ConstrainWaitMs;
    /// <summary>Give Roslyn every C# file of the workspace folders (read at start), not only the open documents.</summary>
    public bool LoadWorkspace { get; init; } = true;
    /// <summary>
    /// The user trusts the workspace (VS Code's workspace trust), so MSBuild may evaluate and design-time build its
    /// projects, which runs their targets. False (the default, and what a client that says nothing gets): package
    /// references come from the restore's assets files only, and nothing of the workspace runs.
    /// </summary>
    public bool TrustedWorkspace { get; init; }
    /// <summary>Mix a character n-gram over the workspace's files, the open documents and the text before the caret into the model (CompletionOptions.WorkspaceCache).</summary>
    public bool WorkspaceCache { get; init; } = PipelineDefaults.WorkspaceCache;
    /// <summary>
    /// Adapt a copy of the model's weights to the workspace in the background (a `charrnn adapt` process) and
    /// serve the adapted copy once it is written. Off by default: docs/server.md gives its cost.
    /// </summary>
    public bool DynamicEvaluation { get; init; }
    /// <summary>The command-line tool dynamic evaluation runs (an absolute path to charrnn or charrnn.dll); null: charrnn on PATH.</summary>
    public string? CliPath { get; init; }
    /// <summary>Encode open documents ahead of requests at idle, on a low-priority thread.</summary>
    public bool EncodeAhead { get; init; } = true;
    /// <inheritdoc cref="CompletionOptions.TypeThrough"/>
    public bool TypeThrough { get; init; } = PipelineDefaults.TypeThrough;
    /// <inheritdoc cref="CompletionOptions.InvokedItems"/>
    public int InvokedItems { get; init; } = PipelineDefaults.InvokedItems;
    /// <summary>Automatic requests show nothing below this confidence (CompletionOptions.MinConfidence).</summary>
    public double MinConfidence { get; init; } = PipelineDefaults.MinConfidence;
    /// <summary>MinConfidence for documents of a language (languageId), over the one above.</summary>
    public IReadOnlyDictionary<string, double> MinConfidenceByLanguage { get; init; } = new Dictionary<string, double>();
    /// <summary>Where automatic ghost text stops (CompletionOptions.StopAgreement).</summary>
    public double StopAgreement { get; init; } = PipelineDefaults.StopAgreement;
    /// <inheritdoc cref="CompletionOptions.Seed"/>
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
        // Client-side settings (debounce, enable) have no reader: they pass through without a word.
        foreach (var property in root.EnumerateObject())
            if (Readers.TryGetValue(property.Name, out var read)) result = read(result, property.Name, property.Value, problems);
        return result;
    }

    /// <summary>Reads one key's value into <paramref name="settings"/>; a value that does not fit adds a problem and changes nothing.</summary>
    private delegate ServerSettings Reader(ServerSettings settings, string name, JsonElement value, List<string> problems);

    // Each key a client may send: the kind of value it takes (with its bounds) and the setting it sets.
    private static readonly Dictionary<string, Reader> Readers = new(StringComparer.Ordinal)
    {
        ["checkpoint"] = PathOrNull((settings, path) => settings with { Checkpoint = path }),
        ["temperature"] = Number(0, 5, (settings, number) => settings with { Temperature = number }),
        ["topP"] = Number(0.01, 1, (settings, number) => settings with { TopP = number }),
        ["candidates"] = Number(1, 32, (settings, number) => settings with { Candidates = (int)number }),
        ["maxChars"] = Number(1, 1000, (settings, number) => settings with { MaxChars = (int)number }),
        ["maxLines"] = Number(1, 50, (settings, number) => settings with { MaxLines = (int)number }),
        ["timeBudgetMs"] = Number(0, 10_000, (settings, number) => settings with { TimeBudgetMs = (int)number }),
        ["minConfidence"] = Number(0, 1, (settings, number) => settings with { MinConfidence = number }),
        ["stopAgreement"] = Number(0, 1, (settings, number) => settings with { StopAgreement = number }),
        ["minConfidenceByLanguage"] = ReadMinConfidenceByLanguage,
        ["invokedItems"] = Number(1, 32, (settings, number) => settings with { InvokedItems = (int)number }),
        ["threads"] = NumberOrNull(1, 256, (settings, number) => settings with { Threads = (int?)number }),
        ["seed"] = ReadSeed,
        ["constrain"] = Flag((settings, on) => settings with { Constrain = on }),
        ["loadWorkspace"] = Flag((settings, on) => settings with { LoadWorkspace = on }),
        ["trustedWorkspace"] = Flag((settings, on) => settings with { TrustedWorkspace = on }),
        ["constrainWaitMs"] = Number(0, 10_000, (settings, number) => settings with { ConstrainWaitMs = (int)number }),
        ["workspaceCache"] = Flag((settings, on) => settings with { WorkspaceCache = on }),
        ["dynamicEvaluation"] = Flag((settings, on) => settings with { DynamicEvaluation = on }),
        ["cliPath"] = PathOrNull((settings, path) => settings with { CliPath = path }),
        ["encodeAhead"] = Flag((settings, on) => settings with { EncodeAhead = on }),
        ["typeThrough"] = Flag((settings, on) => settings with { TypeThrough = on }),
        ["rerank"] = Flag((settings, on) => settings with { Rerank = on }),
        ["device"] = ReadDevice,
    };

    private static Reader Number(double min, double max, Func<ServerSettings, double, ServerSettings> set) =>
        (settings, name, value, problems) => Number(value, min, max, problems, name) is { } number ? set(settings, number) : settings;

    /// <summary>A number, or null for the setting's own default.</summary>
    private static Reader NumberOrNull(double min, double max, Func<ServerSettings, double?, ServerSettings> set) =>
        (settings, name, value, problems) => value.ValueKind == JsonValueKind.Null ? set(settings, null)
            : Number(value, min, max, problems, name) is { } number ? set(settings, number) : settings;

    private static Reader Flag(Func<ServerSettings, bool, ServerSettings> set) => (settings, name, value, problems) =>
    {
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False) return set(settings, value.GetBoolean());
        problems.Add($"{name} must be true or false");
        return settings;
    };

    /// <summary>A path; null or blank for none.</summary>
    private static Reader PathOrNull(Func<ServerSettings, string?, ServerSettings> set) => (settings, name, value, problems) =>
    {
        if (value.ValueKind == JsonValueKind.String) return set(settings, NullIfBlank(value.GetString()));
        if (value.ValueKind == JsonValueKind.Null) return set(settings, null);
        problems.Add($"{name} must be a path (string)");
        return settings;
    };

    private static ServerSettings ReadMinConfidenceByLanguage(ServerSettings settings, string name, JsonElement value, List<string> problems)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            problems.Add("minConfidenceByLanguage must be an object of languageId: number (0 to 1)");
            return settings;
        }
        var byLanguage = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var language in value.EnumerateObject())
            if (Number(language.Value, 0, 1, problems, $"minConfidenceByLanguage.{language.Name}") is { } own) byLanguage[language.Name] = own;
        return settings with { MinConfidenceByLanguage = byLanguage };
    }

    private static ServerSettings ReadSeed(ServerSettings settings, string name, JsonElement value, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.Null) return settings with { Seed = null };
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seed)) return settings with { Seed = seed };
        problems.Add("seed must be an integer or null");
        return settings;
    }

    private static ServerSettings ReadDevice(ServerSettings settings, string name, JsonElement value, List<string> problems)
    {
        if (value.ValueKind == JsonValueKind.String && value.GetString() is "cpu" or "cuda" or "auto") return settings with { Device = value.GetString()! };
        problems.Add("device must be \"auto\", \"cpu\" or \"cuda\"");
        return settings;
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
