// `charrnn-server bench typing` as a user runs it: the built server in its own process, the shipped default model (a
// 2x256 LSTM), a small folder of C# files as the workspace. The JSON holds every figure the replay promises for the
// three users, with values that hold by construction (no user spends more keystrokes than characters plus one per
// line's suggestions; shares lie between 0 and 1); bad input is a clear error with exit code 2.
using System.Text.Json;

namespace CharRnnCode.Server.Tests.Bench;

public sealed class TypingBenchTests
{
    private const string Counter =
        "namespace Demo\n{\n    public sealed class Counter\n    {\n        private int _count;\n\n" +
        "        public int Increment(int step)\n        {\n            _count += step;\n            var result = _count * 2;\n" +
        "            return result;\n        }\n\n        public override string ToString()\n        {\n" +
        "            return _count.ToString();\n        }\n    }\n}\n";

    private static Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] arguments) =>
        ServerProcess.RunToExitAsync(TimeSpan.FromMinutes(5), arguments);

    [SlowFact]
    public async Task Typing_a_folder_with_the_default_model_reports_ghost_text_IntelliSense_and_both()
    {
        var folder = TemporaryFolders.Create("typing");
        File.WriteAllText(Path.Combine(folder, "Counter.cs"), Counter);
        var json = Path.Combine(folder, "typing.json");
        var (exit, stdout, stderr) = await RunAsync("bench", "typing", "--repo", folder, "--lines", "3", "--json", json);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        Assert.Contains("keystrokes saved", stdout);
        Assert.Contains("ghost text over IntelliSense", stdout);

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var root = report.RootElement;
        Assert.Equal(3, root.GetProperty("lines").GetInt32());
        foreach (var user in new[] { root, root.GetProperty("intellisense"), root.GetProperty("combined") })
        {
            foreach (var key in new[] { "lines", "characters", "keystrokesSaved", "acceptRate", "wrongShownShare", "latencyP50Ms", "latencyP95Ms" })
                Assert.True(user.TryGetProperty(key, out _), $"no {key} in {user}");
            Assert.InRange(user.GetProperty("keystrokesSaved").GetDouble(), 0, 1);
            Assert.InRange(user.GetProperty("acceptRate").GetDouble(), 0, 1);
            Assert.InRange(user.GetProperty("wrongShownShare").GetDouble(), 0, 1);
        }
        var lines = root.GetProperty("typedLines").EnumerateArray().ToList();
        Assert.Equal(3, lines.Count);
        var typed = lines.Select(l => l.GetProperty("text").GetString()).ToHashSet();
        Assert.Subset(new HashSet<string?> { "_count += step;", "var result = _count * 2;", "return result;", "return _count.ToString();" }, typed);
        foreach (var line in lines)
        {
            var characters = line.GetProperty("text").GetString()!.Length;
            foreach (var keys in line.GetProperty("keystrokes").EnumerateObject()) Assert.InRange(keys.Value.GetInt32(), 1, characters);
        }
        Assert.Equal(lines.Sum(l => l.GetProperty("text").GetString()!.Length), root.GetProperty("characters").GetInt32());
    }

    [Fact]
    public async Task Bad_input_is_a_clear_error()
    {
        var folder = TemporaryFolders.Create("typing-bad");
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "no code here");
        var (exit, _, stderr) = await RunAsync("bench", "typing", "--repo", folder);
        Assert.Equal(2, exit);
        Assert.Contains($"--repo {folder} holds no C# files (*.cs) to type in.", stderr);

        File.WriteAllText(Path.Combine(folder, "Counter.cs"), Counter);
        (exit, _, stderr) = await RunAsync("bench", "typing", "--repo", folder, "--files", "Missing.cs");
        Assert.Equal(2, exit);
        Assert.Contains("--files Missing.cs: not a C# file of", stderr);

        File.WriteAllText(Path.Combine(folder, "Empty.cs"), "namespace Demo { interface I { int Count { get; } } }\n");
        (exit, _, stderr) = await RunAsync("bench", "typing", "--repo", folder, "--files", "Empty.cs");
        Assert.Equal(2, exit);
        Assert.Contains("no line to type in Empty.cs", stderr);

        var broken = Path.Combine(folder, "broken.ckpt");
        File.WriteAllText(broken, "not a checkpoint");
        (exit, _, stderr) = await RunAsync("bench", "typing", "--repo", folder, "--checkpoint", broken, "--lines", "1");
        Assert.Equal(2, exit);
        Assert.Contains("the checkpoint did not load:", stderr);
        Assert.Contains("not a CharRnnCode checkpoint", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }
}
