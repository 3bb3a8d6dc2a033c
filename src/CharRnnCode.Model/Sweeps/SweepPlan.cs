// A sweep: a grid of ModelConfig/TrainConfig values expanded into one run folder per point, each with its resolved
// config.json, and an index (sweep.json) that every executor and the report read. The grid file names the corpus, a
// preset, fixed keys, the grid, seeds and a per-run budget in steps or minutes; every value goes through the same
// checks as `train --set`, so a bad key or value fails before anything is written.
// It trains nothing and schedules nothing: executors (local, Slurm, Kubernetes) run `charrnn train` on the folders.
using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CharRnnCode.Common;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;

namespace CharRnnCode.Model.Sweeps;

/// <summary>How long each point trains: a step count, minutes of training (counted over every session), or both
/// (whichever ends first).</summary>
public sealed record SweepBudget(int? Steps, double? Minutes)
{
    public IEnumerable<string> Overrides()
    {
        if (Steps is int steps) yield return $"maxSteps={steps}";
        if (Minutes is double minutes) yield return FormattableString.Invariant($"maxMinutes={minutes}");
    }
}

/// <summary>A grid file as written by the user, before expansion.</summary>
/// <param name="Grid">key to its values, in the file's order (the first key varies slowest)</param>
/// <param name="Fixed">key to the one value every point gets</param>
public sealed record SweepGrid(string Corpus, string Preset, IReadOnlyList<(string Key, IReadOnlyList<string> Values)> Grid,
    IReadOnlyList<(string Key, string Value)> Fixed, SweepBudget Budget, IReadOnlyList<long> Seeds, string? Description)
{
    private static readonly string[] Sections = ["description", "corpus", "preset", "grid", "set", "budget", "seeds"];

    /// <summary>Reads a grid file; <paramref name="corpusOverride"/> and <paramref name="extraFixed"/> (key=value) come from the command line.</summary>
    public static SweepGrid Load(string path, string? corpusOverride = null, IReadOnlyList<string>? extraFixed = null, int? stepsOverride = null, double? minutesOverride = null)
    {
        if (!File.Exists(path)) throw new UserError($"grid file {path} not found. Give a sweep grid .json (e.g. corpora/sweeps/seed-table1.json).");
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new UserError($"{path}: a grid file is a JSON object."); }
        catch (JsonException error) { throw new UserError($"{path} is not valid JSON: {error.Message}"); }
        foreach (var (key, _) in root)
            if (!Sections.Contains(key)) throw new UserError($"{path}: unknown section '{key}'; a grid file has {string.Join(", ", Sections)}.");

        var corpus = corpusOverride ?? Text(root["corpus"]) ?? throw new InvalidInputError("corpus", $"{path}: no \"corpus\" (a corpus folder written by `charrnn harvest`); add it or pass " +
            $"{{corpus}} DIR.");
        var grid = new List<(string, IReadOnlyList<string>)>();
        foreach (var (key, values) in root["grid"] as JsonObject ?? throw new UserError($"{path}: no \"grid\" object (key: [values]), e.g. \"grid\": {{\"cell\": [\"lstm\", \"gru\"]}}."))
        {
            if (values is not JsonArray { Count: > 0 } list) throw new UserError($"{path}: grid key '{key}' needs a non-empty list of values, e.g. [1, 2, 3].");
            grid.Add((key, list.Select(v => Text(v) ?? throw new UserError($"{path}: grid key '{key}' holds {v?.ToJsonString() ?? "null"}; values are strings, numbers or true/false.")).ToList()));
        }
        var fixedValues = new List<(string, string)>();
        foreach (var (key, value) in root["set"] as JsonObject ?? [])
            fixedValues.Add((key, Text(value) ?? throw new UserError($"{path}: set key '{key}' holds {value?.ToJsonString() ?? "null"}; a value is a string, number or true/false.")));
        foreach (var assignment in extraFixed ?? [])
        {
            var equals = assignment.IndexOf('=');
            if (equals <= 0) throw new InvalidInputError("set", $"{{set}} '{assignment}' must look like key=value, e.g. {{set}} evalInterval=50.");
            fixedValues.Add((assignment[..equals].Trim(), assignment[(equals + 1)..].Trim()));
        }
        var budgetNode = root["budget"] as JsonObject;
        foreach (var (key, _) in budgetNode ?? [])
            if (key is not ("steps" or "minutes")) throw new UserError($"{path}: unknown budget key '{key}'; a budget has \"steps\" and/or \"minutes\".");
        // A budget from the command line replaces the file's whole budget: --steps 50 on a grid of 15 minutes means 50 steps.
        var budget = stepsOverride is not null || minutesOverride is not null
            ? new SweepBudget(stepsOverride, minutesOverride)
            : new SweepBudget(Number<int>(budgetNode?["steps"], path, "budget.steps"), Number<double>(budgetNode?["minutes"], path, "budget.minutes"));
        if (budget.Steps is null && budget.Minutes is null)
            throw new InvalidInputError("steps", $"{path}: no budget: add \"budget\": {{\"steps\": 2000}} or {{\"minutes\": 15}} (or pass {{steps}} / {{minutes}}), so that every point knows when " +
                $"it is finished.");
        if (budget.Steps is <= 0 || budget.Minutes is <= 0 || budget.Minutes is double m && !double.IsFinite(m))
            throw new UserError($"{path}: the budget's steps and minutes must be positive.");
        var seeds = (root["seeds"] as JsonArray ?? []).Select(s => Number<long>(s, path, "seeds") ?? 0).ToList();
        if (seeds.Count > 0 && grid.Any(g => Bare(g.Item1) == "seed"))
            throw new UserError($"{path}: seeds are given twice (\"seeds\" and grid key 'seed'); keep one.");
        return new SweepGrid(corpus, Text(root["preset"]) ?? "small-cpu", grid, fixedValues, budget, seeds, Text(root["description"]));
    }

    /// <summary>Every point of the grid (the first key varies slowest, seeds fastest), each resolved and checked.</summary>
    public IReadOnlyList<SweepPoint> Expand()
    {
        var axes = Grid.ToList();
        if (Seeds.Count > 0) axes.Add(("seed", Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)).ToList()));
        IEnumerable<IReadOnlyList<(string Key, string Value)>> combinations = [[]];
        foreach (var (key, values) in axes)
            combinations = combinations.SelectMany(c => values.Select(v => (IReadOnlyList<(string, string)>)[.. c, (key, v)])).ToList();
        var common = Fixed.Select(f => $"{f.Key}={f.Value}").Concat(Budget.Overrides()).ToList();
        return combinations.Select((values, index) =>
        {
            var overrides = common.Concat(values.Select(v => $"{v.Key}={v.Value}")).ToList();
            RunConfig config;
            try { config = RunConfig.LoadPreset(Preset, overrides); }
            catch (InvalidInputError error) { throw error.After($"grid point {index} ({Describe(values)}): "); }
            catch (UserError error) { throw new UserError($"grid point {index} ({Describe(values)}): {error.Message}"); }
            return new SweepPoint(index, FolderName(index, values), values.Select(v => (Bare(v.Key), v.Value)).ToList(), config);
        }).ToList();
    }

    private static string Describe(IEnumerable<(string Key, string Value)> values) => string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));

    // Folder names say what the point is, so that `ls` of a sweep reads as its grid; the index keeps them unique and ordered.
    private static string FolderName(int index, IEnumerable<(string Key, string Value)> values) =>
        index.ToString("000", CultureInfo.InvariantCulture) + string.Concat(values.Select(v => $"_{Safe(Bare(v.Key))}-{Safe(v.Value)}"));

    private static string Safe(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '+' or '-' ? c : '_').ToArray());

    private static string Bare(string key) => key.Contains('.') ? key[(key.IndexOf('.') + 1)..] : key;

    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        }
        : null;

    private static T? Number<T>(JsonNode? node, string path, string key) where T : struct, INumber<T>
    {
        if (node is null) return null;
        return node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && T.TryParse(value.ToJsonString(), CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new UserError($"{path}: {key} must be a number (got {node.ToJsonString()}).");
    }
}

/// <summary>One point of a sweep: its index (the array task or completion index), its folder under points/, the grid values that
/// make it, and its resolved configuration.</summary>
public sealed record SweepPoint(int Index, string Folder, IReadOnlyList<(string Key, string Value)> Values, RunConfig Config);

/// <summary>A planned sweep on disk: SWEEP/sweep.json and SWEEP/points/NNN_.../config.json.</summary>
public sealed record SweepPlan(string Directory, string Corpus, string Preset, SweepBudget Budget, IReadOnlyList<string> Keys,
    IReadOnlyList<SweepPoint> Points, string? Description)
{
    public const string IndexFile = "sweep.json";
    public const string PointsFolder = "points";

    public string PointDirectory(SweepPoint point) => Path.Combine(Directory, PointsFolder, point.Folder);

    /// <summary>Writes the sweep into <paramref name="directory"/>, which must not exist or be empty: every folder and
    /// config.json is written into a staging folder first and renamed into place, so a failure leaves nothing half-made.</summary>
    public static SweepPlan Write(string directory, SweepGrid grid)
    {
        var root = Path.GetFullPath(directory);
        OutputTarget.EnsureNotProtected(root, directory);
        if (System.IO.Directory.Exists(root) && System.IO.Directory.EnumerateFileSystemEntries(root).Any())
            throw new InvalidInputError("out", $"{root} already holds files; choose another {{out}} (a planned sweep is run with `charrnn sweep run {root}`).");
        var corpus = Path.GetFullPath(grid.Corpus);
        if (!File.Exists(Path.Combine(corpus, "train.txt")))
            throw new InvalidInputError("corpus", $"corpus {corpus} has no train.txt. Harvest it first (`charrnn harvest {{manifest}} ... {{out}} {grid.Corpus}`) or pass {{corpus}} DIR.");
        var points = grid.Expand();
        var keys = grid.Grid.Select(g => g.Key.Contains('.') ? g.Key[(g.Key.IndexOf('.') + 1)..] : g.Key).Concat(grid.Seeds.Count > 0 ? ["seed"] : []).ToList();
        var plan = new SweepPlan(root, corpus, grid.Preset, grid.Budget, keys, points, grid.Description);

        var staging = root.TrimEnd(Path.DirectorySeparatorChar) + $".planning-{Environment.ProcessId}";
        if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
        try
        {
            foreach (var point in points)
            {
                var folder = Path.Combine(staging, PointsFolder, point.Folder);
                System.IO.Directory.CreateDirectory(folder);
                File.WriteAllText(Path.Combine(folder, RunFolder.Config), point.Config.ToJson());
            }
            File.WriteAllText(Path.Combine(staging, IndexFile), plan.ToJson());
            if (System.IO.Directory.Exists(root)) System.IO.Directory.Delete(root);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(root)!);
            System.IO.Directory.Move(staging, root);
        }
        finally
        {
            if (System.IO.Directory.Exists(staging)) System.IO.Directory.Delete(staging, recursive: true);
        }
        return plan;
    }

    /// <summary>Reads SWEEP/sweep.json and every point's config.json.</summary>
    public static SweepPlan Load(string directory)
    {
        var root = Path.GetFullPath(directory);
        var path = Path.Combine(root, IndexFile);
        if (!File.Exists(path)) throw new InvalidInputError("sweep", $"{root} has no {IndexFile}: plan a sweep first (`charrnn sweep plan GRID.json {{out}} {directory}`).");
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        var points = node["points"]!.AsArray().Select(p =>
        {
            var folder = p!["folder"]!.GetValue<string>();
            var values = p["values"]!.AsObject().Select(kv => (kv.Key, kv.Value!.GetValue<string>())).ToList();
            var config = RunConfig.LoadPreset(Path.Combine(root, PointsFolder, folder, RunFolder.Config));
            return new SweepPoint(p["index"]!.GetValue<int>(), folder, values, config);
        }).ToList();
        var budget = node["budget"]!;
        return new SweepPlan(root, node["corpus"]!.GetValue<string>(), node["preset"]!.GetValue<string>(),
            new SweepBudget(budget["steps"]?.GetValue<int>(), budget["minutes"]?.GetValue<double>()),
            node["keys"]!.AsArray().Select(k => k!.GetValue<string>()).ToList(), points, node["description"]?.GetValue<string>());
    }

    private string ToJson() => new JsonObject
    {
        ["description"] = Description,
        ["corpus"] = Corpus,
        ["preset"] = Preset,
        ["budget"] = new JsonObject { ["steps"] = Budget.Steps, ["minutes"] = Budget.Minutes },
        ["keys"] = new JsonArray([.. Keys.Select(k => (JsonNode)k)]),
        ["points"] = new JsonArray([.. Points.Select(p => (JsonNode)new JsonObject
        {
            ["index"] = p.Index,
            ["folder"] = p.Folder,
            ["values"] = new JsonObject(p.Values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))),
        })]),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Where a point stands, from its run folder alone.</summary>
    public SweepPointState StateOf(SweepPoint point)
    {
        var folder = PointDirectory(point);
        if (!File.Exists(Path.Combine(folder, RunFolder.LastCheckpoint))) return new SweepPointState(SweepPointStatus.NotStarted, null);
        TrainingProgress progress;
        try { progress = Checkpoint.Load(Path.Combine(folder, RunFolder.LastCheckpoint)).Info.Progress; }
        catch (UserError) { return new SweepPointState(SweepPointStatus.Interrupted, null); }
        var finished = File.Exists(Path.Combine(folder, RunFolder.BestCheckpoint)) && Training.Trainer.BudgetSpent(point.Config.Train, progress);
        return new SweepPointState(finished ? SweepPointStatus.Finished : SweepPointStatus.Interrupted, progress);
    }
}

public enum SweepPointStatus { NotStarted, Interrupted, Finished }

/// <summary>A point's status and, once it has a checkpoint, its training progress.</summary>
public sealed record SweepPointState(SweepPointStatus Status, TrainingProgress? Progress);
