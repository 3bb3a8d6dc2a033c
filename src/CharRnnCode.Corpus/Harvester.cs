// The harvest: opens (or clones) every repository, walks each tree at its revision, reads the blobs
// that pass the path filters in parallel, normalises and filters them, removes duplicates across all
// repositories, assigns each file to train/val/test by a stable hash of repository and path (or, with
// split clusters, to the split of an earlier near-copy, so none straddles train and test), and
// streams them into a CorpusWriter. Output order is tree order, repository by repository, so the same
// inputs give the same bytes whatever the thread count.
// Memory: file contents live only while two windows of files are in flight; what grows with the corpus
// is one 16-byte hash per kept file (and MinHash signatures with --near-dedup or split clusters), never its text.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Hashing;
using System.Reflection;
using System.Text;
using System.Text.Unicode;
using CharRnnCode.Common;
using LibGit2Sharp;

namespace CharRnnCode.Corpus;

/// <summary>How a harvest runs, as opposed to what it produces (HarvestOptions): none of it reaches the output.</summary>
public sealed record HarvestRuntime
{
    public string CacheDirectory { get; init; } = Path.Combine(CachePaths.Root, "repos");
    public bool Shallow { get; init; } = true;
    public int Threads { get; init; } = Environment.ProcessorCount;
    public IHarvestProgress Progress { get; init; } = SilentProgress.Instance;
    /// <summary>--force: replace an output folder even when it is not a corpus (never a protected one; see OutputTarget).</summary>
    public bool ReplaceAnyOut { get; init; }
}

public sealed record HarvestResult(CorpusManifest Manifest, string OutDirectory, long FilesRead, long BytesRead, TimeSpan Elapsed);

public sealed class Harvester(HarvestOptions options, HarvestRuntime runtime)
{
    private const int WindowFiles = 64;

    static Harvester() => NativeObjectReader.LimitNativeMemory();

    private sealed record Candidate(string Path, ObjectId Id);

    private sealed class RepositoryPlan(OpenedRepository repository, PathGlobSet languages, PathGlobSet include, PathGlobSet exclude)
    {
        public OpenedRepository Repository { get; } = repository;
        public PathGlobSet Languages { get; } = languages;
        public PathGlobSet Include { get; } = include;
        public PathGlobSet Exclude { get; } = exclude;
        public List<Candidate> Candidates { get; } = [];
        public long[] Dropped { get; } = new long[Enum.GetValues<DropReason>().Length];
        public long FilesSeen, FilesKept, Bytes, Chars, Transcoded;
        public string? LicenseFile, License;
    }

    /// <summary>What a worker found in one file: a drop reason, or normalised bytes (pooled) and their hashes.</summary>
    private struct ReadFile
    {
        public DropReason? Dropped;
        public byte[]? Buffer;
        public int Length;
        public long RawBytes;
        public UInt128 ContentHash;
        public uint[]? Signature;
        public bool Transcoded;
    }

    public HarvestResult Run(IReadOnlyList<RepositorySpec> repositories, string outDirectory, CancellationToken cancellationToken = default)
    {
        var stopwatch = Stopwatch.StartNew();
        options.Validate();
        if (repositories.Count == 0) throw new InvalidInputError("repo", "no repository to harvest: pass {repo} or {manifest}.");
        var duplicateId = repositories.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicateId is not null)
            throw new UserError($"two repositories share the id '{duplicateId.Key}'; give them distinct ids in the manifest (\"id\").");
        CorpusWriter.EnsureReplaceable(outDirectory, runtime.ReplaceAnyOut);

        // Everything that can fail on bad input happens before the first byte is written.
        var opener = new RepositoryOpener(runtime.CacheDirectory, runtime.Shallow, runtime.Progress);
        var plans = new List<RepositoryPlan>();
        foreach (var spec in repositories)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var opened = opener.Open(spec, cancellationToken);
            var plan = Plan(opened);
            if (plan.Candidates.Count == 0)
                throw new InvalidInputError("include", $"no file of repository {spec.Id} at {opened.CommitSha[..12]} matches {DescribeIncludes(spec)}" +
                                                   $" (of {plan.FilesSeen} files: {DescribeDrops(plan.Dropped)}). Check {{lang}} / {{include}}, or the revision.");
            plans.Add(plan);
        }

        var seen = new HashSet<UInt128>();
        var near = options.NearDedupThreshold is { } threshold ? new NearDuplicateIndex(threshold) : null;
        var clusters = options.SplitClusterThreshold is { } clusterThreshold ? new SplitClusters(clusterThreshold) : null;
        var histogram = new CharacterHistogram();
        long exactDuplicates = 0, nearDuplicates = 0, filesRead = 0, bytesRead = 0;
        using var writer = CorpusWriter.Create(outDirectory, runtime.ReplaceAnyOut);
        foreach (var plan in plans)
        {
            var repoId = plan.Repository.Spec.Id;
            runtime.Progress.BeginFiles(repoId, plan.Candidates.Count);
            long doneFiles = 0, doneBytes = 0;
            foreach (var window in ReadWindows(plan, cancellationToken))
            {
                for (var i = 0; i < window.Files.Length; i++)
                {
                    ref var file = ref window.Files[i];
                    var candidate = plan.Candidates[window.Start + i];
                    doneFiles++;
                    doneBytes += file.RawBytes;
                    try
                    {
                        var reason = file.Dropped;
                        if (reason is null && !seen.Add(file.ContentHash)) { reason = DropReason.Duplicate; exactDuplicates++; }
                        if (reason is null && near is not null && file.Signature is not null && near.IsDuplicateOrAdd(file.Signature))
                        { reason = DropReason.NearDuplicate; nearDuplicates++; }
                        if (reason is { } dropped)
                        {
                            plan.Dropped[(int)dropped]++;
                            continue;
                        }
                        var content = file.Buffer.AsSpan(0, file.Length);
                        var chars = histogram.Add(content);
                        var header = options.FileHeader ? $"// file: {repoId}/{candidate.Path}" : null;
                        var split = SplitOf(repoId, candidate.Path);
                        if (clusters is not null && file.Signature is not null) split = clusters.Place(file.Signature, split, chars);
                        writer.Append(split, repoId, candidate.Path, content, chars, header);
                        plan.FilesKept++;
                        plan.Bytes += file.Length;
                        plan.Chars += chars;
                        if (file.Transcoded) plan.Transcoded++;
                    }
                    finally
                    {
                        if (file.Buffer is not null) FileBuffers.Pool.Return(file.Buffer);
                        file.Buffer = null;
                    }
                }
                runtime.Progress.Files(repoId, doneFiles, doneBytes);
            }
            filesRead += doneFiles;
            bytesRead += doneBytes;
        }
        cancellationToken.ThrowIfCancellationRequested();

        var manifest = new CorpusManifest
        {
            CorpusId = writer.FinishCorpusId(),
            Tool = $"charrnn {ToolVersion}",
            Options = options,
            Repositories = plans.Select(Report).ToList(),
            Splits = writer.SplitReports(),
            Duplicates = new DuplicateReport(exactDuplicates, nearDuplicates),
            SplitClusters = clusters?.Report(),
            CharacterHistogram = histogram.ToSortedDictionary(),
        };
        writer.Commit(manifest);
        return new HarvestResult(manifest, Path.GetFullPath(outDirectory), filesRead, bytesRead, stopwatch.Elapsed);
    }

    /// <summary>The paths a harvest of <paramref name="spec"/> would read (those the tree filters let through), in
    /// tree order, with the commit they come from: the file set a benchmark's baseline must copy too.</summary>
    public (string CommitSha, IReadOnlyList<string> Paths) CandidatePaths(RepositorySpec spec, CancellationToken cancellationToken = default)
    {
        var opened = new RepositoryOpener(runtime.CacheDirectory, runtime.Shallow, runtime.Progress).Open(spec, cancellationToken);
        var plan = Plan(opened);
        return (opened.CommitSha, plan.Candidates.Select(c => c.Path).ToList());
    }

    /// <summary>Train, val or test for a file: a stable 64-bit hash of repository and path mapped onto [0, 1).</summary>
    public CorpusSplit SplitOf(string repoId, string path)
    {
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(repoId + "\n" + path));
        var unit = (hash >> 11) * (1.0 / (1UL << 53));
        if (unit < options.TrainFraction) return CorpusSplit.Train;
        return unit < options.TrainFraction + options.ValFraction ? CorpusSplit.Val : CorpusSplit.Test;
    }

    /// <summary>Whether a file is in a --sample-files subset: a second stable hash (seeded, so independent of the split's)
    /// mapped onto [0, 1) and compared with the fraction.</summary>
    private static bool IsSampled(string repoId, string path, double fraction)
    {
        var hash = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(repoId + "\n" + path), seed: 0x5eed);
        return (hash >> 11) * (1.0 / (1UL << 53)) < fraction;
    }

    private static string ToolVersion =>
        typeof(Harvester).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    private string DescribeIncludes(RepositorySpec spec)
    {
        var languages = options.Languages.Count > 0 ? $"{{lang}} {string.Join(",", options.Languages)} ({string.Join(" ", LanguagePatterns())})" : "";
        var include = IncludePatterns(spec) is { Count: > 0 } patterns ? $"{{include}} {string.Join(" ", patterns)}" : "";
        return (languages, include) switch
        {
            ("", "") => "the filters",
            (_, "") => languages,
            ("", _) => include,
            _ => $"{languages} and {include}",
        };
    }

    private static string DescribeDrops(long[] dropped) =>
        string.Join(", ", Enum.GetValues<DropReason>().Where(r => dropped[(int)r] > 0).Select(r => $"{dropped[(int)r]} {r.Name()}"));

    // A file is kept when it is of a chosen language (if any is chosen) and matches an include glob (if any is
    // given): --include narrows within --lang. A repository's own include globs replace the global ones.
    private IReadOnlyList<string> LanguagePatterns() => options.Languages.SelectMany(LanguagePresets.Patterns).Distinct().ToList();

    private IReadOnlyList<string> IncludePatterns(RepositorySpec spec) => spec.Include.Count > 0 ? spec.Include : options.Include;

    private RepositoryReport Report(RepositoryPlan plan) => new()
    {
        Id = plan.Repository.Spec.Id,
        Url = plan.Repository.Spec.Url,
        Revision = plan.Repository.Spec.Revision,
        Commit = plan.Repository.CommitSha,
        LicenseFile = plan.LicenseFile,
        License = plan.License,
        DeclaredLicense = plan.Repository.Spec.DeclaredLicense,
        Include = plan.Repository.Spec.Include.Count > 0 ? plan.Repository.Spec.Include : null,
        Exclude = plan.Repository.Spec.Exclude.Count > 0 ? plan.Repository.Spec.Exclude : null,
        FilesSeen = plan.FilesSeen,
        FilesKept = plan.FilesKept,
        Dropped = new SortedDictionary<string, long>(
            Enum.GetValues<DropReason>().Where(r => plan.Dropped[(int)r] > 0).ToDictionary(r => r.Name(), r => plan.Dropped[(int)r]),
            StringComparer.Ordinal),
        Bytes = plan.Bytes,
        Chars = plan.Chars,
        Transcoded = plan.Transcoded,
    };

    // ---- the tree walk: mode, folder and name filters, no blob is read ----

    private RepositoryPlan Plan(OpenedRepository opened)
    {
        var spec = opened.Spec;
        var plan = new RepositoryPlan(opened, new PathGlobSet(LanguagePatterns()), new PathGlobSet(IncludePatterns(spec)), new PathGlobSet(options.Exclude.Concat(spec.Exclude)));
        var vendored = new HashSet<string>(options.VendoredFolders, StringComparer.Ordinal);
        using var repository = new Repository(opened.GitDirectory);
        var commit = repository.Lookup<Commit>(opened.CommitSha);
        // The first root license file whose text names a known license, else the first one (COPYING.LIB may
        // only point to LICENSE).
        foreach (var entry in commit.Tree)
        {
            if (entry.TargetType != TreeEntryTargetType.Blob || entry.Mode == Mode.SymbolicLink || !LicenseDetector.IsLicenseFileName(entry.Name)) continue;
            var blob = (Blob)entry.Target;
            var license = blob.Size < 256 * 1024 ? LicenseDetector.Identify(blob.GetContentText()) : null;
            if (plan.LicenseFile is null || (plan.License is null && license is not null)) (plan.LicenseFile, plan.License) = (entry.Path, license);
        }
        Walk(commit.Tree, "", insideVendored: false, plan, vendored);
        return plan;
    }

    private void Walk(Tree tree, string prefix, bool insideVendored, RepositoryPlan plan, HashSet<string> vendored)
    {
        foreach (var entry in tree)
        {
            var path = prefix + entry.Name;
            if (entry.TargetType == TreeEntryTargetType.Tree)
            {
                Walk((Tree)entry.Target, path + "/", insideVendored || vendored.Contains(entry.Name), plan, vendored);
                continue;
            }
            plan.FilesSeen++;
            DropReason? reason = entry.Mode switch
            {
                Mode.SymbolicLink => DropReason.Symlink,
                Mode.GitLink => DropReason.Submodule,
                _ when insideVendored => DropReason.Vendored,
                _ when !plan.Languages.IsEmpty && !plan.Languages.IsMatch(path) => DropReason.NotIncluded,
                _ when !plan.Include.IsEmpty && !plan.Include.IsMatch(path) => DropReason.NotIncluded,
                _ when plan.Exclude.IsMatch(path) => DropReason.Excluded,
                _ when SourceText.HasGeneratedName(path) => DropReason.Generated,
                _ when options.SampleFiles is { } fraction && !IsSampled(plan.Repository.Spec.Id, path, fraction) => DropReason.NotSampled,
                _ => null,
            };
            if (reason is { } dropped) plan.Dropped[(int)dropped]++;
            else plan.Candidates.Add(new Candidate(path, entry.Target.Id));
        }
    }

    // ---- reading: windows of files read in parallel, the next window while the current one is written ----

    private readonly record struct Window(int Start, ReadFile[] Files);

    private IEnumerable<Window> ReadWindows(RepositoryPlan plan, CancellationToken cancellationToken)
    {
        var pool = new ConcurrentBag<IBlobReader>();
        Task<Window>? pending = null;
        try
        {
            Task<Window> Start(int start) => Task.Run(() => ReadWindow(plan, start, pool, cancellationToken), cancellationToken);
            pending = Start(0);
            for (var start = 0; start < plan.Candidates.Count; start += WindowFiles)
            {
                var window = pending!.GetAwaiter().GetResult();
                pending = start + WindowFiles < plan.Candidates.Count ? Start(start + WindowFiles) : null;
                yield return window;
            }
        }
        finally
        {
            // A window still being read uses repositories from the pool: let it finish before freeing them.
            try { pending?.Wait(CancellationToken.None); }
            catch (AggregateException) { }
            foreach (var reader in pool) reader.Dispose();
        }
    }

    private Window ReadWindow(RepositoryPlan plan, int start, ConcurrentBag<IBlobReader> pool, CancellationToken cancellationToken)
    {
        var files = new ReadFile[Math.Min(WindowFiles, plan.Candidates.Count - start)];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, runtime.Threads), CancellationToken = cancellationToken };
        Parallel.For(0, files.Length, parallel,
            () => pool.TryTake(out var reader) ? reader : IBlobReader.Open(plan.Repository.GitDirectory),
            (i, _, reader) =>
            {
                files[i] = ReadOne(reader, plan.Candidates[start + i]);
                return reader;
            },
            pool.Add);
        return new Window(start, files);
    }

    private ReadFile ReadOne(IBlobReader reader, Candidate candidate)
    {
        if (reader.Size(candidate.Id) > options.MaxFileKb * 1024L) return new ReadFile { Dropped = DropReason.TooLarge, RawBytes = 0 };
        var (raw, size) = reader.Read(candidate.Id);
        try
        {
            var content = raw.AsSpan(0, (int)size);
            if (SourceText.LooksBinary(content)) return new ReadFile { Dropped = DropReason.Binary, RawBytes = size };
            var latin1 = false;
            if (!Utf8.IsValid(content))
            {
                if (options.InvalidUtf8 == InvalidUtf8Policy.Skip) return new ReadFile { Dropped = DropReason.InvalidUtf8, RawBytes = size };
                latin1 = true;
            }
            var (buffer, length, longestLine) = SourceText.Normalise(content, latin1);
            var normalised = buffer.AsSpan(0, length);
            DropReason? reason = length == 0 ? DropReason.Empty
                : SourceText.HasGeneratedHeader(normalised) ? DropReason.Generated
                : longestLine > options.MaxLineLength ? DropReason.LongLines
                : null;
            if (reason is not null)
            {
                FileBuffers.Pool.Return(buffer);
                return new ReadFile { Dropped = reason, RawBytes = size };
            }
            return new ReadFile
            {
                Buffer = buffer,
                Length = length,
                RawBytes = size,
                ContentHash = XxHash128.HashToUInt128(normalised),
                Signature = options.NearDedupThreshold is null && options.SplitClusterThreshold is null ? null : MinHashSignature.Of(normalised),
                Transcoded = latin1,
            };
        }
        finally
        {
            FileBuffers.Pool.Return(raw);
        }
    }
}
