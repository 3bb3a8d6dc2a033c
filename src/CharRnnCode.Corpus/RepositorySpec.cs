// What a user names as a repository: GitHub shorthand (owner/name), a git URL (https, ssh, file://,
// user@host:path) or a local folder holding a working copy or a bare repository. Parsing only: it
// neither clones nor opens anything (see RepositoryOpener).
using System.Text.RegularExpressions;
using CharRnnCode.Common;

namespace CharRnnCode.Corpus;

public sealed record RepositorySpec
{
    /// <summary>The id the corpus uses for this repository (index files, manifest): owner/name for GitHub.</summary>
    public required string Id { get; init; }

    /// <summary>The URL to clone from, or the full local path for a local repository.</summary>
    public required string Url { get; init; }

    /// <summary>True for a local folder read in place; false for a URL that is cloned into the cache.</summary>
    public required bool IsLocal { get; init; }

    /// <summary>Branch, tag or commit; null for the default branch's HEAD.</summary>
    public string? Revision { get; init; }

    /// <summary>Include globs of this repository alone (replace the global ones when not empty).</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Exclude globs of this repository alone (added to the global ones).</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>The license a manifest declares for this repository (an SPDX identifier), recorded beside the detected one.</summary>
    public string? DeclaredLicense { get; init; }

    private static readonly Regex GitHubShorthand = new(@"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+$", RegexOptions.CultureInvariant);
    private static readonly Regex ScpLike = new(@"^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+:.+$", RegexOptions.CultureInvariant);

    /// <summary>Parses a repository as given on the command line or in a manifest; relative local paths
    /// are resolved against <paramref name="baseDirectory"/> (the current folder, or the manifest's).</summary>
    public static RepositorySpec Parse(string text, string? revision = null, string? id = null, string? baseDirectory = null)
    {
        var value = text.Trim();
        if (value.Length == 0) throw new InvalidInputError("repo", "an empty {repo} names no repository; pass owner/name, a git URL or a local path.");
        var local = Path.GetFullPath(value, baseDirectory ?? Environment.CurrentDirectory);
        if (!value.Contains("://") && !ScpLike.IsMatch(value) && Directory.Exists(local))
            return new RepositorySpec { Id = id ?? IdFromPath(local), Url = local, IsLocal = true, Revision = revision };
        if (value.Contains("://") || ScpLike.IsMatch(value))
            return new RepositorySpec { Id = id ?? IdFromUrl(value), Url = value, IsLocal = false, Revision = revision };
        if (GitHubShorthand.IsMatch(value) && !value.StartsWith('.'))
        {
            var shorthand = value.EndsWith(".git", StringComparison.Ordinal) ? value[..^4] : value;
            return new RepositorySpec { Id = id ?? shorthand, Url = $"https://github.com/{shorthand}.git", IsLocal = false, Revision = revision };
        }
        throw new UserError($"repository '{value}' not found: there is no folder {local}, and it is neither a git URL nor GitHub's owner/name. Pass an existing path, a URL or owner/name.");
    }

    private static string IdFromPath(string fullPath)
    {
        var name = Path.GetFileName(fullPath.TrimEnd(Path.DirectorySeparatorChar));
        return StripGit(name.Length == 0 ? "repository" : name);
    }

    private static string IdFromUrl(string url)
    {
        string path;
        string? host = null;
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            path = Uri.UnescapeDataString(uri.AbsolutePath).Trim('/');
            if (!uri.IsFile) host = uri.Host;
        }
        else
        {
            // user@host:path, as ssh remotes are usually written
            var colon = url.IndexOf(':');
            host = url[(url.IndexOf('@') + 1)..colon];
            path = url[(colon + 1)..].Trim('/');
        }
        path = StripGit(path);
        if (host is null) return IdFromPath(path);
        return host.Equals("github.com", StringComparison.OrdinalIgnoreCase) ? path : $"{host}/{path}";
    }

    private static string StripGit(string name) => name.EndsWith(".git", StringComparison.Ordinal) && name.Length > 4 ? name[..^4] : name;
}
