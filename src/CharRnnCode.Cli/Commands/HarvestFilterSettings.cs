// The options `harvest` and `bench harvest` share: which repositories, which files, how to read them.
// Turning them into HarvestOptions / HarvestRuntime / repository specs happens here, once.
using CharRnnCode.Common;
using CharRnnCode.Corpus;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal class HarvestFilterSettings : CommandSettings
{
    /// <summary>
    /// owner/name (GitHub), a git URL (https, ssh, file://) or a local working copy or bare repository. Repeatable.
    /// </summary>
    [CommandOption("--repo <REPO>")] public string[] Repo { get; init; } = [];

    /// <summary>
    /// A harvest manifest listing repositories (corpora/*.json). Default without --repo: corpora/charrnncode.json,
    /// this repository.
    /// </summary>
    [CommandOption("--manifest <FILE>")] public string? Manifest { get; init; }

    /// <summary>Branch, tag or commit to read (default: the default branch's HEAD).</summary>
    [CommandOption("--rev <REV>")] public string? Rev { get; init; }

    /// <summary>
    /// Language preset(s): c, cpp, csharp, fsharp, go, java, javascript, python, rust, typescript. Repeatable or
    /// comma-separated.
    /// </summary>
    [CommandOption("--lang <LANG>")] public string[] Lang { get; init; } = [];

    /// <summary>Keep only files matching a glob (gitignore-style: *.cs matches in every folder). Repeatable.</summary>
    [CommandOption("--include <GLOB>")] public string[] Include { get; init; } = [];

    /// <summary>Drop files matching a glob. Repeatable.</summary>
    [CommandOption("--exclude <GLOB>")] public string[] Exclude { get; init; } = [];

    /// <summary>
    /// Comma-separated folder names whose contents are dropped as vendored or built (default:
    /// bin,obj,node_modules,vendor,third_party,third-party,packages,.git). Pass "" for none.
    /// </summary>
    [CommandOption("--vendored <NAMES>")] public string? Vendored { get; init; }

    /// <summary>Drop files larger than this (default 1024).</summary>
    [CommandOption("--max-file-kb <KB>")] public int? MaxFileKb { get; init; }

    /// <summary>Drop files with a longer line, as minified or data (default 1000).</summary>
    [CommandOption("--max-line-length <BYTES>")] public int? MaxLineLength { get; init; }

    /// <summary>skip (default): drop files that are not UTF-8; latin1: read them as ISO-8859-1 and keep them.</summary>
    [CommandOption("--invalid-utf8 <POLICY>")] public string InvalidUtf8 { get; init; } = "skip";

    /// <summary>
    /// Also drop near duplicates: MinHash Jaccard similarity at or above THRESHOLD (e.g. 0.85). Off by default.
    /// </summary>
    [CommandOption("--near-dedup <THRESHOLD>")] public double? NearDedup { get; init; }

    /// <summary>
    /// Keep near-copies (MinHash Jaccard at or above THRESHOLD) in one split, so none is in train and test at once.
    /// Default 0.8.
    /// </summary>
    [CommandOption("--split-clusters <THRESHOLD>")] public double SplitClusters { get; init; } = 0.8;

    /// <summary>Split files by path alone (near-copies may straddle train and test).</summary>
    [CommandOption("--no-split-clusters")] public bool NoSplitClusters { get; init; }

    /// <summary>Write a line '// file: REPO/PATH' before each file.</summary>
    [CommandOption("--header")] public bool Header { get; init; }

    /// <summary>Fraction of files in the validation split (default 0.05, or the manifest's "val").</summary>
    [CommandOption("--val <FRACTION>")] public double? Val { get; init; }

    /// <summary>Fraction of files in the test split (default 0.05, or the manifest's "test").</summary>
    [CommandOption("--test <FRACTION>")] public double? Test { get; init; }

    /// <summary>
    /// Keep only this fraction of the files, chosen by a stable hash of repository and path: a deterministic
    /// subset, split by file (corpora/linux-6m.json uses it).
    /// </summary>
    [CommandOption("--sample-files <FRACTION>")] public double? SampleFiles { get; init; }

    /// <summary>Clone remote repositories with their whole history instead of shallow (depth 1).</summary>
    [CommandOption("--full-history")] public bool FullHistory { get; init; }

    /// <summary>Where remote repositories are cloned (default: ~/.cache/charrnncode/repos).</summary>
    [CommandOption("--cache <DIR>")] public string? Cache { get; init; }

    /// <summary>Threads reading blobs (default: one per CPU).</summary>
    [CommandOption("--threads <N>")] public int? Threads { get; init; }

    /// <summary>The repositories to harvest and the recipe they came from, if any.</summary>
    public (IReadOnlyList<RepositorySpec> Specs, HarvestRecipe? Recipe) Repositories()
    {
        if (Repo.Length > 0 && Manifest is not null)
            throw new UserError("pass either --repo or --manifest, not both (list extra repositories in the manifest).");
        if (Repo.Length > 0) return (Repo.Select(r => RepositorySpec.Parse(r, Rev)).ToList(), null);
        var manifestPath = Manifest ?? FindDefaultManifest()
            ?? throw new UserError("nothing to harvest: pass --repo owner/name (or a path or URL), or --manifest corpora/NAME.json.");
        var recipe = HarvestRecipe.Load(manifestPath);
        return (recipe.Specs(Rev), recipe);
    }

    public HarvestOptions Options(HarvestRecipe? recipe)
    {
        var policy = InvalidUtf8.Trim().ToLowerInvariant() switch
        {
            "skip" => InvalidUtf8Policy.Skip,
            "latin1" or "latin-1" or "iso-8859-1" => InvalidUtf8Policy.Latin1,
            _ => throw new UserError($"--invalid-utf8 takes skip or latin1 (got '{InvalidUtf8}')."),
        };
        var defaults = new HarvestOptions();
        var options = new HarvestOptions
        {
            Languages = (recipe?.Lang ?? []).Concat(Lang.SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                .Select(l => l.ToLowerInvariant()).Distinct().ToList(),
            Include = (recipe?.Include ?? []).Concat(Include).Distinct().ToList(),
            Exclude = (recipe?.Exclude ?? []).Concat(Exclude).Distinct().ToList(),
            VendoredFolders = Vendored is null ? HarvestOptions.DefaultVendoredFolders
                : Vendored.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            MaxFileKb = MaxFileKb ?? recipe?.MaxFileKb ?? defaults.MaxFileKb,
            MaxLineLength = MaxLineLength ?? defaults.MaxLineLength,
            InvalidUtf8 = policy,
            NearDedupThreshold = NearDedup,
            SplitClusterThreshold = NoSplitClusters ? null : SplitClusters,
            FileHeader = Header,
            ValFraction = Val ?? recipe?.Val ?? defaults.ValFraction,
            TestFraction = Test ?? recipe?.Test ?? defaults.TestFraction,
            SampleFiles = SampleFiles ?? recipe?.SampleFiles,
        };
        options.Validate();
        return options;
    }

    public HarvestRuntime Runtime(IHarvestProgress progress)
    {
        if (Threads is <= 0) throw new UserError($"--threads must be positive (got {Threads}).");
        return new HarvestRuntime
        {
            CacheDirectory = Cache is null ? new HarvestRuntime().CacheDirectory : Path.GetFullPath(Cache),
            Shallow = !FullHistory,
            Threads = Threads ?? Environment.ProcessorCount,
            Progress = progress,
        };
    }

    /// <summary>
    /// corpora/charrnncode.json (the repository's own corpus) in the first start folder, or one above it,
    /// that has it. Start folders default to the current folder.
    /// </summary>
    internal static string? FindDefaultManifest(params string[] startFolders) => FindManifest("charrnncode.json", startFolders);

    /// <summary>corpora/<paramref name="fileName"/> in the first of the folders (or one above it) that has it.</summary>
    internal static string? FindManifest(string fileName, params string[] startFolders)
    {
        foreach (var start in startFolders.Length > 0 ? startFolders : [Environment.CurrentDirectory])
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "corpora", fileName);
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }
}
