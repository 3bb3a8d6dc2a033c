// The code's layout as .editorconfig states it: no C# line longer than max_line_length (200), and nothing that
// `dotnet format` would change, whitespace or the style rules the build enforces as warnings. The line check reads
// every .cs file under src/, server/ and tests/ (build output aside) and names each long line as file:line. The format
// check runs `dotnet format` on the solution, so it needs the SDK on PATH and a restored solution (--no-restore); it
// takes about 30 s (both commands, two shared cores).
using System.Diagnostics;

namespace CharRnnCode.Architecture.Tests;

public sealed class StyleTests
{
    /// <summary>The longest line a .cs file may hold; .editorconfig's max_line_length says the same.</summary>
    private const int MaxLineLength = 200;

    [Fact]
    public void No_source_line_is_longer_than_the_limit()
    {
        var root = Repository.Root();
        var violations = new List<string>();
        foreach (var path in Sources(root))
        {
            var lines = File.ReadAllLines(path);
            for (var i = 0; i < lines.Length; i++)
                if (lines[i].Length > MaxLineLength)
                    violations.Add($"{Path.GetRelativePath(root, path).Replace('\\', '/')}:{i + 1}: {lines[i].Length} characters");
        }
        Assert.True(violations.Count == 0,
            $"C# lines longer than {MaxLineLength} characters (break them at an argument list, a + or an && chain):\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Dotnet_format_changes_nothing()
    {
        var root = Repository.Root();
        foreach (var arguments in new[]
        {
            "format whitespace CharRnnCode.sln --verify-no-changes --no-restore",
            "format style CharRnnCode.sln --verify-no-changes --no-restore --severity warn",
        })
        {
            var (exitCode, output) = Dotnet(root, arguments);
            Assert.True(exitCode == 0, $"dotnet {arguments} exited {exitCode}; run it without --verify-no-changes to fix:\n{output}");
        }
    }

    private static (int ExitCode, string Output) Dotnet(string root, string arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(10)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {arguments} ran for more than 10 minutes.");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The .cs files of the solution: src/, server/ and tests/, less build output.</summary>
    private static IEnumerable<string> Sources(string root) =>
        new[] { "src", "server", "tests" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Order(StringComparer.Ordinal);
}
