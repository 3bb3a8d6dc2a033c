// Loads a preset (a small JSON file: {"model": {...}, "train": {...}}) and applies command-line
// overrides (key=value) on top. Strict on purpose: an unknown key or a value of the wrong type is an
// error that names the key and lists what is valid, because a silently ignored typo wastes a run.
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using CharRnnCode.Common;

namespace CharRnnCode.Inference;

public sealed record RunConfig(ModelConfig Model, TrainConfig Train)
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The folder of the presets shipped beside the binaries.</summary>
    public static string PresetDirectory => Path.Combine(AppContext.BaseDirectory, "Presets");

    public static IReadOnlyList<string> PresetNames() =>
        Directory.Exists(PresetDirectory)
            ? Directory.GetFiles(PresetDirectory, "*.json").Select(p => Path.GetFileNameWithoutExtension(p)!).Order().ToList()
            : [];

    /// <summary>A preset by name (from <see cref="PresetDirectory"/>) or by path to a .json file.</summary>
    public static RunConfig LoadPreset(string nameOrPath, IEnumerable<string>? overrides = null)
    {
        var path = File.Exists(nameOrPath) ? nameOrPath : Path.Combine(PresetDirectory, nameOrPath + ".json");
        if (!File.Exists(path))
            throw new UserError($"preset '{nameOrPath}' not found. Known presets: {string.Join(", ", PresetNames())}; or give the path of a .json file.");
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new UserError($"preset {path} is not a JSON object."); }
        catch (JsonException error) { throw new UserError($"preset {path} is not valid JSON: {error.Message}"); }
        return FromJson(root, path, overrides ?? []);
    }

    public static RunConfig FromJson(JsonObject root, string source, IEnumerable<string> overrides)
    {
        foreach (var (key, _) in root)
            if (key is not ("model" or "train"))
                throw new UserError($"{source}: unknown section '{key}'; a preset has the sections \"model\" and \"train\".");
        var model = root["model"] as JsonObject ?? [];
        var train = root["train"] as JsonObject ?? [];
        foreach (var assignment in overrides)
        {
            var equals = assignment.IndexOf('=');
            if (equals <= 0) throw new InvalidInputError("set", $"{{set}} '{assignment}' must look like key=value, e.g. {{set}} hidden=512.");
            var key = assignment[..equals].Trim();
            var text = assignment[(equals + 1)..].Trim();
            var bare = key.Contains('.') ? key[(key.IndexOf('.') + 1)..] : key;
            var (section, type) = key.StartsWith("model.", StringComparison.Ordinal) ? (model, typeof(ModelConfig))
                : key.StartsWith("train.", StringComparison.Ordinal) ? (train, typeof(TrainConfig))
                : KeysOf<ModelConfig>().Contains(key) ? (model, typeof(ModelConfig))
                : KeysOf<TrainConfig>().Contains(key) ? (train, typeof(TrainConfig))
                : throw UnknownOverride(key);
            var property = type.GetProperties().FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == bare) ?? throw UnknownOverride(key);
            section[bare] = ParseScalar(text, property.PropertyType)
                ?? throw new InvalidInputError("set", $"{{set}} {key}={text}: {bare} must be {Describe(property.PropertyType.Name)}.");
        }
        var result = new RunConfig(Bind<ModelConfig>(model, source), Bind<TrainConfig>(train, source));
        result.Model.Validate();
        result.Train.Validate();
        return result;
    }

    public static IReadOnlySet<string> KeysOf<T>() =>
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite).Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet();

    private static UserError UnknownKey(string key, string where) => new($"unknown {where} key '{key}'. {KnownKeys()}");

    private static InvalidInputError UnknownOverride(string key) => new("set", $"unknown {{set}} key '{key}'. {KnownKeys()}");

    private static string KnownKeys() =>
        $"Model keys: {string.Join(", ", KeysOf<ModelConfig>().Order())}. Train keys: {string.Join(", ", KeysOf<TrainConfig>().Order())}.";

    // Command-line values arrive as text and are read as the key's own type, so that a bad value is blamed on the
    // --set flag that carried it (not on the preset it overrides). Null when the text is not of that type; NaN
    // and infinity are not numbers here (no range check catches NaN).
    private static JsonNode? ParseScalar(string text, Type type)
    {
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        if (type == typeof(int)) return int.TryParse(text, invariant, out var i) ? JsonValue.Create(i) : null;
        if (type == typeof(long)) return long.TryParse(text, invariant, out var l) ? JsonValue.Create(l) : null;
        if (type == typeof(double))
            return double.TryParse(text, System.Globalization.NumberStyles.Float, invariant, out var d) && double.IsFinite(d) ? JsonValue.Create(d) : null;
        if (type == typeof(bool)) return bool.TryParse(text, out var b) ? JsonValue.Create(b) : null;
        return JsonValue.Create(text);
    }

    private static T Bind<T>(JsonObject section, string source) where T : new()
    {
        var keys = KeysOf<T>();
        foreach (var (key, _) in section)
            if (!keys.Contains(key)) throw UnknownKey(key, $"{source}:");
        try
        {
            return section.Deserialize<T>(Json) ?? new T();
        }
        catch (JsonException error)
        {
            var key = error.Path?.TrimStart('$', '.') ?? "?";
            var expected = typeof(T).GetProperties().FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == key)?.PropertyType.Name ?? "another type";
            throw new UserError($"{source}: '{key}' has the wrong type; it must be {Describe(expected)} (got {section[key]?.ToJsonString() ?? "null"}).");
        }
    }

    private static string Describe(string typeName) => typeName switch
    {
        "Int32" or "Int64" => "a whole number",
        "Double" => "a finite number",
        "String" => "a string",
        "Boolean" => "true or false",
        _ => typeName,
    };

    public string ToJson() => JsonSerializer.Serialize(this, Json);
}
