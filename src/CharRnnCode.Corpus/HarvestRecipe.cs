// A harvest manifest (corpora/NAME.json): the repositories of a corpus, each with an optional id,
// revision and its own include/exclude globs, plus corpus-wide language presets and globs. Local paths
// in it are relative to the manifest's own folder, so a recipe works from any current directory.
using System.Text.Json;
using CharRnnCode.Common;

namespace CharRnnCode.Corpus;

public sealed record HarvestRecipe
{
    public sealed record Entry
    {
        /// <summary>owner/name, a git URL or a path (relative to the manifest's folder).</summary>
        public string Repo { get; init; } = "";
        public string? Id { get; init; }
        public string? Rev { get; init; }
        public IReadOnlyList<string> Include { get; init; } = [];
        public IReadOnlyList<string> Exclude { get; init; } = [];
        /// <summary>The source's license as an SPDX identifier (MIT, Zlib, GPL-2.0...), kept in the corpus manifest.</summary>
        public string? License { get; init; }
    }

    public string? Description { get; init; }
    public IReadOnlyList<string> Lang { get; init; } = [];
    public IReadOnlyList<string> Include { get; init; } = [];
    public IReadOnlyList<string> Exclude { get; init; } = [];
    public int? MaxFileKb { get; init; }
    /// <summary>Fraction of files in the validation split (the command line's --val wins).</summary>
    public double? Val { get; init; }
    /// <summary>Fraction of files in the test split (the command line's --test wins).</summary>
    public double? Test { get; init; }
    /// <summary>Keep this fraction of the files, chosen by a stable hash of repository and path (--sample-files).</summary>
    public double? SampleFiles { get; init; }
    public IReadOnlyList<Entry> Repositories { get; init; } = [];
    /// <summary>The command that puts the recipe's local sources in place (e.g. corpora/fetch-debian-sources.sh linux),
    /// named when one of them is missing.</summary>
    public string? Prepare { get; init; }

    /// <summary>Where the recipe was read from; relative local paths resolve against its folder.</summary>
    public string BaseDirectory { get; private init; } = Environment.CurrentDirectory;

    public static HarvestRecipe Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new UserError($"manifest '{path}' does not exist. Pass a file such as corpora/charrnncode.json.");
        HarvestRecipe? recipe;
        try
        {
            recipe = JsonSerializer.Deserialize<HarvestRecipe>(File.ReadAllText(full), new JsonSerializerOptions(JsonSerializerDefaults.Web)
            {
                ReadCommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
                UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
            });
        }
        catch (JsonException error)
        {
            throw new UserError($"manifest '{path}' is not valid: {error.Message}. See corpora/*.json for the format.", error);
        }
        if (recipe is null || recipe.Repositories.Count == 0)
            throw new UserError($"manifest '{path}' lists no repositories; add entries to \"repositories\".");
        var blank = recipe.Repositories.FirstOrDefault(e => string.IsNullOrWhiteSpace(e.Repo));
        if (blank is not null)
            throw new UserError($"manifest '{path}' has a repository entry without \"repo\"; give owner/name, a URL or a path.");
        return recipe with { BaseDirectory = Path.GetDirectoryName(full)! };
    }

    /// <summary>The entries as repository specs; <paramref name="revisionOverride"/> (--rev) wins over each entry's rev.</summary>
    public IReadOnlyList<RepositorySpec> Specs(string? revisionOverride = null) =>
        Repositories.Select(e => Spec(e, revisionOverride) with
        {
            Include = e.Include,
            Exclude = e.Exclude,
            DeclaredLicense = e.License,
        }).ToList();

    private RepositorySpec Spec(Entry entry, string? revisionOverride)
    {
        try
        {
            return RepositorySpec.Parse(entry.Repo, revisionOverride ?? entry.Rev, entry.Id, BaseDirectory);
        }
        catch (UserError missing) when (Prepare is not null)
        {
            throw new UserError($"{missing.Message} This manifest's sources are put in place by: {Prepare}", missing);
        }
    }
}
