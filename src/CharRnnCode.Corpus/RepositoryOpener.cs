// Turns a RepositorySpec into an open libgit2 repository and a resolved commit. Local repositories are
// opened in place (working copy or bare); remote ones are cloned bare into the cache, shallow where the
// transport allows it, and fetched again on later runs. Nothing is ever checked out.
using System.Security.Cryptography;
using System.Text;
using CharRnnCode.Common;
using LibGit2Sharp;

namespace CharRnnCode.Corpus;

public sealed record OpenedRepository(RepositorySpec Spec, string GitDirectory, string CommitSha);

public sealed class RepositoryOpener(string cacheDirectory, bool shallow, IHarvestProgress progress)
{
    /// <summary>libgit2's depth for "fetch everything the shallow clone lacks".</summary>
    private const int Unshallow = int.MaxValue;

    public OpenedRepository Open(RepositorySpec spec, CancellationToken cancellationToken)
    {
        var gitDirectory = spec.IsLocal ? OpenLocal(spec) : CloneOrFetch(spec, cancellationToken);
        using var repository = new Repository(gitDirectory);
        var commit = Resolve(repository, spec);
        if (commit is null && !spec.IsLocal && spec.Revision is not null)
        {
            // A revision outside the shallow history, or on a branch the first fetch did not bring.
            progress.Note($"{spec.Id}: revision '{spec.Revision}' not in the cached history; fetching all of it");
            Fetch(repository, spec, Unshallow, cancellationToken);
            commit = Resolve(repository, spec);
        }
        if (commit is null)
        {
            if (spec.Revision is null)
                throw new UserError($"repository {spec.Id} ({spec.Url}) is empty: it has no commits to harvest.");
            throw new InvalidInputError("rev", $"revision '{spec.Revision}' does not exist in repository {spec.Id} ({spec.Url}). Pass a branch, tag or commit it has, or leave {{rev}} out for the " +
                $"default branch.");
        }
        return new OpenedRepository(spec, gitDirectory, commit.Sha);
    }

    private static string OpenLocal(RepositorySpec spec)
    {
        var discovered = Repository.Discover(spec.Url);
        if (discovered is null || !Repository.IsValid(discovered))
            throw new UserError($"repository {spec.Id}: {spec.Url} is not a git repository (no .git folder, not a bare repository). Run `git init` there or pass another path.");
        // Discover walks up: a plain folder inside some other repository must not harvest that repository.
        using var repository = new Repository(discovered);
        var root = repository.Info.IsBare ? repository.Info.Path : repository.Info.WorkingDirectory;
        if (!SamePath(root, spec.Url))
            throw new UserError($"repository {spec.Id}: {spec.Url} is not the root of a git repository (it lies inside {root}). Pass the repository's root folder.");
        return discovered;
    }

    // libgit2 reports the resolved path: a repository reached through a symbolic link is still its own root.
    private static bool SamePath(string a, string b) =>
        string.Equals(Resolved(a), Resolved(b), StringComparison.Ordinal);

    private static string Resolved(string path)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var target = new DirectoryInfo(full).ResolveLinkTarget(returnFinalTarget: true);
        return target is null ? full : Path.TrimEndingDirectorySeparator(target.FullName);
    }

    /// <summary>The cache folder of a remote: readable name plus a hash of the URL, so two URLs never share one.</summary>
    public string CachePathFor(RepositorySpec spec)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(spec.Url)))[..12];
        var readable = new string(spec.Id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());
        return Path.Combine(cacheDirectory, $"{readable}-{hash}.git");
    }

    private string CloneOrFetch(RepositorySpec spec, CancellationToken cancellationToken)
    {
        var target = CachePathFor(spec);
        if (Repository.IsValid(target))
        {
            progress.Note($"{spec.Id}: updating the cached clone {target}");
            using var cached = new Repository(target);
            Fetch(cached, spec, shallow ? 1 : 0, cancellationToken);
            return target;
        }
        Directory.CreateDirectory(cacheDirectory);
        // Clone beside the target and rename: an interrupted clone never looks like a usable cache.
        var staging = Path.Combine(cacheDirectory, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid():N}.partial");
        try
        {
            try
            {
                Clone(spec, staging, shallow ? 1 : 0, cancellationToken);
            }
            catch (LibGit2SharpException error) when (shallow && IsShallowUnsupported(error))
            {
                progress.Note($"{spec.Id}: the transport cannot fetch shallow ({error.Message}); cloning the full history instead");
                DeleteFolder(staging);
                Clone(spec, staging, 0, cancellationToken);
            }
            if (Directory.Exists(target)) DeleteFolder(target); // a broken leftover: Repository.IsValid said no
            Directory.Move(staging, target);
            return target;
        }
        finally
        {
            DeleteFolder(staging);
        }
    }

    private void Clone(RepositorySpec spec, string path, int depth, CancellationToken cancellationToken)
    {
        var options = new CloneOptions(FetchOptionsFor(spec, depth, cancellationToken)) { IsBare = true, RecurseSubmodules = false };
        try
        {
            Repository.Clone(spec.Url, path, options);
        }
        catch (UserCancelledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (LibGit2SharpException error) when (!(shallow && depth > 0 && IsShallowUnsupported(error)))
        {
            throw Unreachable(spec, error);
        }
    }

    private void Fetch(Repository repository, RepositorySpec spec, int depth, CancellationToken cancellationToken)
    {
        string[] refspecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];
        try
        {
            Commands.Fetch(repository, "origin", refspecs, FetchOptionsFor(spec, depth, cancellationToken), null);
        }
        catch (UserCancelledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
        catch (LibGit2SharpException error) when (depth > 0 && IsShallowUnsupported(error))
        {
            progress.Note($"{spec.Id}: the transport cannot fetch shallow ({error.Message}); fetching the full history instead");
            Fetch(repository, spec, 0, cancellationToken);
        }
        catch (LibGit2SharpException error)
        {
            throw Unreachable(spec, error);
        }
    }

    private FetchOptions FetchOptionsFor(RepositorySpec spec, int depth, CancellationToken cancellationToken) => new()
    {
        Depth = depth,
        TagFetchMode = TagFetchMode.Auto,
        OnTransferProgress = transfer =>
        {
            progress.Transfer(spec.Id, transfer.ReceivedObjects, transfer.TotalObjects, transfer.ReceivedBytes);
            return !cancellationToken.IsCancellationRequested;
        },
    };

    private static bool IsShallowUnsupported(LibGit2SharpException error) =>
        error.Message.Contains("shallow", StringComparison.OrdinalIgnoreCase);

    private static UserError Unreachable(RepositorySpec spec, LibGit2SharpException error)
    {
        var message = error.Message.TrimEnd('.');
        var hint = message.Contains("resolve", StringComparison.OrdinalIgnoreCase) || message.Contains("connect", StringComparison.OrdinalIgnoreCase)
                   || message.Contains("network", StringComparison.OrdinalIgnoreCase) || message.Contains("timed out", StringComparison.OrdinalIgnoreCase)
            ? "the network seems unreachable; check the connection, or harvest a local copy (a path or a file:// URL)"
            : "check that the repository exists and that you may read it";
        return new UserError($"cannot clone repository {spec.Id} from {spec.Url}: {message}. Cause: {hint}.", error);
    }

    private static Commit? Resolve(Repository repository, RepositorySpec spec)
    {
        if (spec.Revision is null)
            return repository.Head?.Tip;
        foreach (var candidate in new[] { spec.Revision, $"refs/heads/{spec.Revision}", $"refs/tags/{spec.Revision}", $"refs/remotes/origin/{spec.Revision}" })
        {
            GitObject? found;
            try { found = repository.Lookup(candidate); }
            catch (LibGit2SharpException) { found = null; }
            if (found?.Peel<Commit>() is { } commit) return commit;
        }
        return null;
    }

    private static void DeleteFolder(string path)
    {
        if (!Directory.Exists(path)) return;
        // Git marks pack files read-only; clear that so the delete succeeds.
        foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
            File.SetAttributes(file, FileAttributes.Normal);
        Directory.Delete(path, recursive: true);
    }
}
