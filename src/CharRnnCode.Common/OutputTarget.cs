// The one check every output folder or file goes through before a verb writes: a verb replaces (or writes into) only what it
// made itself, recognised by its contents (a corpus manifest, a run's files, a report), or an empty or new
// folder. Anything else needs forcing, and some places are never replaced: the current folder or one above
// it, the home folder or one above it, and a git repository's root. Those are refused even with --force,
// because replacing them moves the ground out from under the shell and every other program working there,
// and no verb ever writes its output as the whole of such a folder.
namespace CharRnnCode.Common;

public static class OutputTarget
{
    /// <summary>
    /// Throws a <see cref="UserError"/> unless folder <paramref name="path"/> may be replaced (or written into) by a
    /// verb that writes <paramref name="kind"/> (e.g. "a corpus"): it is absent, empty, or <paramref name="isOurs"/>
    /// recognises it, or <paramref name="force"/> is set. Protected folders are refused whatever the flags.
    /// <paramref name="input"/> is the caller's name of the output input; <paramref name="forceInput"/> the input that overrides
    /// the check, or null where the caller has none (see <see cref="InvalidInputError"/>).
    /// </summary>
    public static void EnsureFolder(string path, string kind, Func<string, bool> isOurs, bool force,
        string input = "out", string? forceInput = "force")
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        if (File.Exists(full))
            throw new InvalidInputError(input, $"{Ref(input)} {path} is a file, not a folder. Choose a new folder for {Ref(input)}.");
        EnsureNotProtected(full, path, input);
        if (!Directory.Exists(full) || !Directory.EnumerateFileSystemEntries(full).Any() || isOurs(full)) return;
        if (force && forceInput is not null) return;
        throw new InvalidInputError(input, $"{Ref(input)} {path} is a folder that holds something other than {kind}; charrnn leaves it as it is. " +
                                           (forceInput is null
                                               ? $"Choose an empty or new folder for {Ref(input)}."
                                               : $"Choose an empty or new folder for {Ref(input)}, or pass {Ref(forceInput)} to replace it anyway."));
    }

    /// <summary>
    /// Throws a <see cref="UserError"/> unless file <paramref name="path"/> may be overwritten by a verb that writes
    /// <paramref name="kind"/>: it is absent, empty, recognised by <paramref name="isOurs"/>, or <paramref name="force"/> is set.
    /// </summary>
    public static void EnsureFile(string path, string kind, Func<string, bool> isOurs, bool force, string input = "out")
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new InvalidInputError(input, $"{Ref(input)} {path} is a folder, not a file. Name a file for {Ref(input)}, e.g. {Path.Combine(path, "out" + Path.GetExtension(path))}.");
        if (!File.Exists(full) || new FileInfo(full).Length == 0 || force || isOurs(full)) return;
        throw new InvalidInputError(input, $"{Ref(input)} {path} is a file that is not {kind}; charrnn leaves it as it is. " +
                                           $"Choose another file for {Ref(input)}, or pass {{force}} to overwrite it anyway.");
    }

    /// <summary>
    /// Throws unless <paramref name="fullPath"/> is a folder an output may replace at all: not the current folder or
    /// one above it, not the home folder or one above it (the file system's root included), not a git repository's root.
    /// </summary>
    public static void EnsureNotProtected(string fullPath, string shownAs, string input = "out")
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(fullPath));
        var why = ProtectedReason(full);
        if (why is not null)
            throw new InvalidInputError(input, $"{Ref(input)} {shownAs} is {why}; charrnn never replaces it, not even with {{force}}. " +
                                               $"Name a new folder inside it instead, e.g. {Ref(input)} {Path.Combine(shownAs, "out")}.");
    }

    /// <summary>Why <paramref name="full"/> (a full path) must never be replaced, or null when it may be.</summary>
    public static string? ProtectedReason(string full)
    {
        full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(full));
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        if (string.Equals(full, Path.GetPathRoot(full), comparison))
            return "the root of the file system";
        var current = Path.TrimEndingDirectorySeparator(Path.GetFullPath(Environment.CurrentDirectory));
        if (IsSameOrAncestor(full, current, comparison))
            return string.Equals(full, current, comparison) ? "the current folder" : "a folder that holds the current folder";
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home) && IsSameOrAncestor(full, Path.TrimEndingDirectorySeparator(Path.GetFullPath(home)), comparison))
            return "the home folder or a folder that holds it";
        if (Directory.Exists(Path.Combine(full, ".git")) || File.Exists(Path.Combine(full, ".git")))
            return "the root of a git repository";
        return null;
    }

    private static string Ref(string input) => "{" + input + "}";

    private static bool IsSameOrAncestor(string candidate, string of, StringComparison comparison)
    {
        if (string.Equals(candidate, of, comparison)) return true;
        var prefix = candidate.EndsWith(Path.DirectorySeparatorChar) ? candidate : candidate + Path.DirectorySeparatorChar;
        return of.StartsWith(prefix, comparison);
    }
}
