// Every `charrnn` and `charrnn-server` command quoted in README.md and docs/*.md still parses: its verb exists
// and each option it uses is one the built program lists for that verb. What exists comes from running the
// programs (`charrnn <verb> --help`; `charrnn-server --help` and the usage a bench kind prints for an argument
// it does not know), never from their code. One test case per program and first word, so a failure names the
// verb, the file and the quoted command.
using System.Diagnostics;
using System.Text.RegularExpressions;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Cli.Tests;

public sealed partial class DocumentedCommandsTests
{
    /// <summary>One command quoted in a document: the program (charrnn or charrnn-server), its arguments, where it was found.</summary>
    public sealed record Quoted(string Program, IReadOnlyList<string> Arguments, string File, string Text);

    public static TheoryData<string> DocumentedVerbs()
    {
        var data = new TheoryData<string>();
        foreach (var key in QuotedCommands().Select(GroupKey).Distinct().Order(StringComparer.Ordinal)) data.Add(key);
        return data;
    }

    [Fact]
    public void The_docs_quote_commands_of_both_programs()
    {
        var quoted = QuotedCommands();
        Assert.Contains(quoted, q => q.Program == "charrnn");
        Assert.Contains(quoted, q => q.Program == "charrnn-server");
        Assert.True(quoted.Count >= 20, $"only {quoted.Count} commands found in the docs");
    }

    [Theory]
    [MemberData(nameof(DocumentedVerbs))]
    public void Every_quoted_command_names_a_verb_and_options_its_help_lists(string verb)
    {
        var problems = new List<string>();
        foreach (var command in QuotedCommands().Where(q => GroupKey(q) == verb))
        {
            var problem = command.Program == "charrnn" ? CheckCharrnn(command.Arguments) : CheckServer(command.Arguments);
            if (problem is not null) problems.Add($"{command.File}: `{command.Text}`: {problem}");
        }
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static string GroupKey(Quoted q) =>
        q.Arguments.Count > 0 && !q.Arguments[0].StartsWith('-') ? $"{q.Program} {q.Arguments[0]}" : q.Program;

    // ---- charrnn: the verb tree and options from --help

    private static string? CheckCharrnn(IReadOnlyList<string> arguments)
    {
        var path = new List<string>();
        var help = Help(path);
        if (help.Problem is not null) return help.Problem;
        var index = 0;
        while (index < arguments.Count && IsWord(arguments[index]) && help.Commands.Count > 0)
        {
            if (!help.Commands.Contains(arguments[index]))
                return $"'{string.Join(' ', [.. path, arguments[index]])}' is not a verb ({string.Join(' ', ["charrnn", .. path])} --help lists {string.Join(", ", help.Commands)})";
            path.Add(arguments[index++]);
            help = Help(path);
            if (help.Problem is not null) return help.Problem;
        }
        var unknown = Options(arguments).Where(o => !help.Options.Contains(o)).ToList();
        return unknown.Count == 0 ? null
            : $"{string.Join(", ", unknown)} not in `{string.Join(' ', ["charrnn", .. path])} --help` ({string.Join(" ", help.Options.Order(StringComparer.Ordinal))})";
    }

    private sealed record VerbHelp(IReadOnlyCollection<string> Commands, IReadOnlyCollection<string> Options, string? Problem);

    private static readonly Dictionary<string, VerbHelp> HelpCache = [];

    private static VerbHelp Help(IReadOnlyList<string> path)
    {
        var key = string.Join(' ', path);
        lock (HelpCache)
        {
            if (HelpCache.TryGetValue(key, out var cached)) return cached;
            var result = Charrnn.Run([.. path, "--help"]);
            var help = result.ExitCode != 0
                ? new VerbHelp([], [], $"`{string.Join(' ', ["charrnn", .. path])} --help` failed: exit {result.ExitCode}: {result.Stderr.Trim()}")
                : new VerbHelp(Section(result.Stdout, "COMMANDS").Select(l => CommandName().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToHashSet(),
                    Section(result.Stdout, "OPTIONS").SelectMany(l => OptionColumn().Matches(l).Take(1)).SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value })
                        .Where(o => o.Length > 0).ToHashSet(), null);
            HelpCache[key] = help;
            return help;
        }
    }

    /// <summary>The lines under a heading such as "OPTIONS:" up to the next heading.</summary>
    private static IEnumerable<string> Section(string help, string heading)
    {
        var inside = false;
        foreach (var line in help.Split('\n'))
        {
            if (Heading().IsMatch(line)) { inside = line.StartsWith(heading + ":", StringComparison.Ordinal); continue; }
            if (inside) yield return line;
        }
    }

    // ---- charrnn-server: the usage lines it prints

    private static string? CheckServer(IReadOnlyList<string> arguments)
    {
        var bench = arguments.Count > 0 && arguments[0] == "bench";
        if (arguments.Count > 0 && IsWord(arguments[0]) && !bench) return $"'{arguments[0]}' is not a charrnn-server verb";
        var kind = bench && arguments.Count > 1 && IsWord(arguments[1]) ? arguments[1] : null;
        string[] verb = !bench ? [] : kind is null ? ["bench"] : ["bench", kind];
        var prefix = !bench ? "charrnn-server " : kind is null ? "charrnn-server bench --" : $"charrnn-server bench {kind} ";
        var lines = ServerUsage(verb)
            .Where(l => l.StartsWith(prefix, StringComparison.Ordinal) && (bench || !l.StartsWith("charrnn-server bench", StringComparison.Ordinal)))
            .ToList();
        if (lines.Count == 0) return $"no usage line of charrnn-server starts with '{prefix.Trim()}'";
        var known = lines.SelectMany(l => UsageOption().Matches(l).Select(m => m.Value)).ToHashSet();
        known.UnionWith(["--help", "-h"]); // what printed this usage
        var unknown = Options(arguments).Where(o => !known.Contains(o)).ToList();
        return unknown.Count == 0 ? null : $"{string.Join(", ", unknown)} not in charrnn-server's usage for it: {string.Join(" | ", lines)}";
    }

    private static readonly Dictionary<string, IReadOnlyList<string>> UsageCache = [];

    /// <summary>The usage lines of `charrnn-server --help` and those the verb prints for an argument it does not know.</summary>
    private static IReadOnlyList<string> ServerUsage(IEnumerable<string> verb)
    {
        var key = string.Join(' ', verb);
        lock (UsageCache)
        {
            if (UsageCache.TryGetValue(key, out var cached)) return cached;
            var output = RunServer(["--help"]) + "\n" + (key.Length > 0 ? RunServer([.. verb, "--no-such-option-from-the-docs-test"]) : "");
            var lines = output.Split('\n').Select(l => UsagePrefix().Replace(l, "").Trim()).Where(l => l.StartsWith("charrnn-server", StringComparison.Ordinal)).ToList();
            UsageCache[key] = lines;
            return lines;
        }
    }

    internal static string RunServer(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerDll.Value);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("charrnn-server did not start");
        process.StandardInput.Close(); // a server that would serve LSP ends at once
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"charrnn-server {string.Join(' ', arguments)} did not finish in a minute");
        }
        return stdout.Result + "\n" + stderr.Result;
    }

    /// <summary>The built charrnn-server of this configuration; built here when a build of the tests alone left it out.</summary>
    private static readonly Lazy<string> ServerDll = new(() =>
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}") ? "Debug" : "Release";
        var root = DotnetTools.RepositoryRoot();
        var dll = Path.Combine(root, "server", "CharRnnCode.Server", "bin", configuration, "net10.0", "charrnn-server.dll");
        if (File.Exists(dll)) return dll;
        var build = new ProcessStartInfo("dotnet", ["build", Path.Combine(root, "server", "CharRnnCode.Server"), "-c", configuration, "--nologo", "-v", "quiet"]) { UseShellExecute = false };
        using var process = Process.Start(build) ?? throw new InvalidOperationException("dotnet build did not start");
        process.WaitForExit();
        Assert.True(process.ExitCode == 0 && File.Exists(dll), $"could not build {dll}");
        return dll;
    });

    // ---- the documents

    private static readonly Lazy<IReadOnlyList<Quoted>> Found = new(() =>
    {
        var root = DotnetTools.RepositoryRoot();
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.Exists(Path.Combine(root, "docs")) ? Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md").Order(StringComparer.Ordinal) : []);
        return files.SelectMany(f => Commands(Path.GetRelativePath(root, f), File.ReadAllText(f))).ToList();
    });

    private static IReadOnlyList<Quoted> QuotedCommands() => Found.Value;

    /// <summary>Command lines in fenced blocks (every line of a bash block; lines after a `$ ` prompt in others) and inline code spans.</summary>
    private static IEnumerable<Quoted> Commands(string file, string markdown)
    {
        var prose = new List<string>();
        string? fence = null;
        var pending = "";
        foreach (var raw in markdown.Replace("\r\n", "\n").Split('\n'))
        {
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fence = fence is null ? line.TrimStart()[3..].Trim() : null;
                prose.Add("");
                continue;
            }
            if (fence is null) { prose.Add(line); continue; }
            line = pending + line.Trim();
            if (line.EndsWith('\\')) { pending = line[..^1] + " "; continue; }
            pending = "";
            var shell = fence is "bash" or "sh" or "shell";
            if (line.StartsWith("$ ", StringComparison.Ordinal)) line = line[2..];
            else if (!shell) continue;
            var comment = line.IndexOf(" #", StringComparison.Ordinal);
            if (line.StartsWith('#')) continue;
            if (comment >= 0) line = line[..comment];
            foreach (var q in Invocations(file, line)) yield return q;
        }
        foreach (Match span in CodeSpan().Matches(string.Join('\n', prose)))
            foreach (var q in Invocations(file, Regex.Replace(span.Groups[1].Value, @"\s+", " "))) yield return q;
    }

    private static IEnumerable<Quoted> Invocations(string file, string text)
    {
        foreach (Match program in ProgramName().Matches(text))
        {
            // `--server out/server/charrnn-server`, `--image REGISTRY/charrnn`: an option's value, not a command
            if (text[..program.Index].TrimEnd().Split(' ')[^1].StartsWith('-')) continue;
            var rest = text[(program.Index + program.Length)..];
            var end = CommandEnd().Match(rest);
            if (end.Success) rest = rest[..end.Index];
            var arguments = Token().Matches(rest).Select(m => m.Value.Trim('[', ']', '(', ')', ',')).Where(t => t.Length > 0).ToList();
            // `charrnn 0.1.0`, `charrnn <version>`, a bare `charrnn`: a name in prose, not a command
            if (arguments.Count == 0 || !(IsWord(arguments[0]) || arguments[0].StartsWith('-'))) continue;
            yield return new Quoted(program.Groups[1].Value, arguments, file, (program.Groups[1].Value + rest).Trim());
        }
    }

    /// <summary>The options a command uses: --name (with any =value cut off; --a|--b gives both) and -x.</summary>
    private static IEnumerable<string> Options(IEnumerable<string> arguments) =>
        arguments.Where(a => a.StartsWith('-'))
            .SelectMany(a => a.Split('|'))
            .Select(a => a.Split('=')[0])
            .Where(a => LongOption().IsMatch(a) || ShortOption().IsMatch(a))
            .Distinct();

    private static bool IsWord(string token) => VerbWord().IsMatch(token);

    [GeneratedRegex(@"^[a-z][a-z0-9-]*$")] private static partial Regex VerbWord();
    [GeneratedRegex(@"^--[a-z][a-z0-9-]*$")] private static partial Regex LongOption();
    [GeneratedRegex(@"^-[a-zA-Z]$")] private static partial Regex ShortOption();
    [GeneratedRegex(@"^[A-Z][A-Z ]*:")] private static partial Regex Heading();
    [GeneratedRegex(@"^ {4}([a-z][a-z0-9-]*)(?:\s|$)")] private static partial Regex CommandName();
    [GeneratedRegex(@"^\s+(?:(-[a-zA-Z]),\s+)?(--[a-z][a-z0-9-]*)")] private static partial Regex OptionColumn();
    [GeneratedRegex(@"--[a-z][a-z0-9-]*")] private static partial Regex UsageOption();
    [GeneratedRegex(@"^\s*Usage:\s*")] private static partial Regex UsagePrefix();
    [GeneratedRegex(@"`([^`]+)`")] private static partial Regex CodeSpan();
    [GeneratedRegex(@"(?:^|(?<=[\s;|&(=]))(?:[\w.~/-]*/)?(charrnn-server|charrnn)(?=\s|$)")] private static partial Regex ProgramName();
    [GeneratedRegex(@";|\s\|\s|&&|\s2?>\s|\s→\s|\s->\s")] private static partial Regex CommandEnd();
    [GeneratedRegex("\"[^\"]*\"|'[^']*'|\\S+")] private static partial Regex Token();
}
