// Damaged and crafted checkpoints, in process: the shared tiny model's checkpoint with bytes flipped, numbers
// of its header changed and sections cut, each time with its SHA-256 recomputed (CheckpointParts) so that the
// damage reaches the structural checks behind the integrity check. Loading each one and, when it loads, using
// it must either work or end in a CheckpointException with a message; never another exception (an index out
// of range, an access violation, running out of memory) and never a hang. Special files (/dev/zero, a FIFO,
// links to them) are refused before they are read.
using System.Diagnostics;
using System.Text.Json.Nodes;
using CharRnnCode.Inference;
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.TestSupport;

namespace CharRnnCode.Model.Tests;

public sealed class CraftedCheckpointTests
{
    private static readonly TimeSpan PerFile = TimeSpan.FromSeconds(30);

    /// <summary>Loads <paramref name="path"/> and, if that works, reads and generates a little: null when all of it worked, else the error.</summary>
    private static Exception? LoadAndUse(string path)
    {
        var work = Task.Run(() =>
        {
            try
            {
                using var model = CharLanguageModel.Load(path, "cpu", 1);
                var state = model.Advance(model.InitialState(), "class C { void M() { }");
                model.Generate(state, new GenerationOptions(4, 8, 1.0, Seed: 1));
                model.CharacterLogProbabilities("int x = 1;");
                return null;
            }
            catch (Exception error) { return error; }
        });
        if (!work.Wait(PerFile)) throw new TimeoutException($"loading {path} did not end in {PerFile.TotalSeconds} s");
        return work.Result;
    }

    /// <summary>Fails unless <paramref name="error"/> is none or a CheckpointException with a message naming the file.</summary>
    private static void AssertClear(string what, string path, Exception? error)
    {
        if (error is null) return;
        Assert.True(error is CheckpointException, $"{what}: {error.GetType().Name} instead of a CheckpointException: {error}");
        Assert.False(string.IsNullOrWhiteSpace(error.Message), $"{what}: an empty message");
    }

    private static string Write(string folder, string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Representative_crafted_files_are_refused_with_a_CheckpointException()
    {
        var folder = TemporaryFolders.Create("crafted");
        var original = File.ReadAllBytes(SharedTinyModel.Files.BestCheckpoint);
        var crafted = CraftedCheckpoints.Representative(original);
        Assert.True(crafted.Count >= 10);
        foreach (var (name, bytes) in crafted)
        {
            var path = Write(folder, "crafted.ckpt", bytes);
            var error = LoadAndUse(path);
            Assert.True(error is CheckpointException, $"{name}: {(error is null ? "loaded" : error.ToString())}");
            Assert.Contains(path, error!.Message);
        }
    }

    [Fact]
    public void A_weight_one_row_short_names_the_parameter_and_the_shape_its_configuration_implies()
    {
        var folder = TemporaryFolders.Create("crafted-row");
        var parts = CheckpointParts.Parse(File.ReadAllBytes(SharedTinyModel.Files.BestCheckpoint));
        var entry = parts.Entry("model.recurrent.weight_hh_l0");
        var shape = entry["shape"]!.AsArray().Select(d => (long)d!).ToArray();
        var rowBytes = (int)((long)entry["length"]! / shape[0]);
        var path = Write(folder, "short.ckpt", parts.TruncateEntry("model.recurrent.weight_hh_l0", rowBytes, keepShapeConsistent: true).ToFile());

        var error = Assert.Throws<CheckpointException>(() => CharLanguageModel.Load(path, "cpu", 1));
        // The tiny model is a 1x32 LSTM: 4 gates x 32 hidden units = 128 rows of 32.
        Assert.Equal([128, 32], shape);
        Assert.Contains($"checkpoint {path}: parameter recurrent.weight_hh_l0 has shape [127, 32]", error.Message);
        Assert.Contains("implies [128, 32]", error.Message);

        // The stepper's own check, for a caller that hands it arrays directly.
        var checkpoint = Checkpoint.Load(SharedTinyModel.Files.BestCheckpoint);
        var stepperError = Assert.Throws<CheckpointException>(() => new PlainRecurrentStepper(checkpoint.Info.Config.Model, checkpoint.Vocabulary.Size,
            name => name == "head.weight" ? checkpoint.Parameter(name)[..^1] : checkpoint.Parameter(name)));
        Assert.Contains("head.weight has", stepperError.Message);
    }

    [Fact]
    public void Flipped_bytes_with_the_hash_recomputed_never_crash_a_load()
    {
        var folder = TemporaryFolders.Create("crafted-flips");
        var original = File.ReadAllBytes(SharedTinyModel.Files.BestCheckpoint);
        var parts = CheckpointParts.Parse(original);
        var headerEnd = original.Length - 32 - parts.Data.Length;
        var random = new Random(20240611);
        var refused = 0;
        for (var round = 0; round < 300; round++)
        {
            var body = original[..^32];
            // Mostly the header (signature, version, lengths, JSON), where the structure is; sometimes the weights.
            var flips = random.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                var at = random.Next(4) == 0 ? random.Next(body.Length) : random.Next(headerEnd);
                body[at] ^= (byte)(1 << random.Next(8));
            }
            var path = Write(folder, "flipped.ckpt", CheckpointParts.Rehashed(body));
            var error = LoadAndUse(path);
            AssertClear($"round {round}", path, error);
            if (error is not null) refused++;
        }
        Assert.True(refused > 0, "no flipped file was refused: the flips did not reach the header");
    }

    [Fact]
    public void Numbers_of_the_header_set_to_extreme_values_never_crash_a_load()
    {
        var folder = TemporaryFolders.Create("crafted-numbers");
        var parts = CheckpointParts.Parse(File.ReadAllBytes(SharedTinyModel.Files.BestCheckpoint));
        long[] extremes = [0, -1, 1, 2, 3, 31, 33, 127, 129, int.MaxValue, int.MinValue, (long)int.MaxValue + 1, 1L << 32, 1L << 40, long.MaxValue, long.MinValue];
        var cases = 0;
        foreach (var (pointer, _) in Numbers(parts.Header, ""))
        {
            foreach (var value in extremes)
            {
                var copy = parts.Clone();
                Set(copy.Header, pointer, value);
                var path = Write(folder, "number.ckpt", copy.ToFile());
                AssertClear($"{pointer} = {value}", path, LoadAndUse(path));
                cases++;
            }
        }
        Assert.True(cases > 200, $"only {cases} cases");
    }

    [Fact]
    public void Sections_cut_out_with_the_hash_recomputed_are_refused()
    {
        var folder = TemporaryFolders.Create("crafted-cuts");
        var parts = CheckpointParts.Parse(File.ReadAllBytes(SharedTinyModel.Files.BestCheckpoint));
        foreach (var entry in parts.Entries.Select(e => (string)e!["name"]!).Where(n => n.StartsWith("model.", StringComparison.Ordinal)))
        {
            foreach (var consistent in new[] { false, true })
            {
                var row = (int)((long)parts.Entry(entry)["length"]! / (long)parts.Entry(entry)["shape"]!.AsArray()[0]!);
                var path = Write(folder, "cut.ckpt", parts.TruncateEntry(entry, consistent ? row : 4, consistent).ToFile());
                var error = LoadAndUse(path);
                Assert.True(error is CheckpointException, $"{entry} cut (shape {(consistent ? "follows" : "unchanged")}): {(error is null ? "loaded" : error.ToString())}");
            }
            // The entry gone from the table and its bytes gone from the data.
            var without = parts.TruncateEntry(entry, int.MaxValue, keepShapeConsistent: false);
            without.Entries.Remove(without.Entry(entry));
            var missing = Write(folder, "missing.ckpt", without.ToFile());
            Assert.Contains(entry["model.".Length..], Assert.IsType<CheckpointException>(LoadAndUse(missing)).Message);
        }
        // The whole file cut at points through it, a new hash after what is left.
        var original = parts.ToFile();
        for (var keep = 0.0; keep < 1; keep += 0.05)
        {
            var body = original[..(int)(original.Length * keep)];
            var path = Write(folder, "short.ckpt", CheckpointParts.Rehashed(body));
            Assert.IsType<CheckpointException>(LoadAndUse(path));
        }
    }

    [SkippableFact]
    public void Special_files_and_links_to_them_are_refused_before_they_are_read()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "/dev/zero and mkfifo are Linux's");
        var folder = TemporaryFolders.Create("crafted-special");
        var zeroLink = Path.Combine(folder, "zero.ckpt");
        File.CreateSymbolicLink(zeroLink, "/dev/zero");
        var fifo = Path.Combine(folder, "fifo.ckpt");
        using (var mkfifo = Process.Start("mkfifo", [fifo])) mkfifo.WaitForExit();
        var realLink = Path.Combine(folder, "best-link.ckpt");
        File.CreateSymbolicLink(realLink, SharedTinyModel.Files.BestCheckpoint);
        var dangling = Path.Combine(folder, "dangling.ckpt");
        File.CreateSymbolicLink(dangling, Path.Combine(folder, "nothing-here.ckpt"));

        foreach (var special in new[] { "/dev/zero", zeroLink, fifo })
        {
            var clock = Stopwatch.StartNew();
            var error = Assert.IsType<CheckpointException>(LoadAndUse(special));
            Assert.Contains("not a regular file", error.Message);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"{special} took {clock.Elapsed}");
        }
        Assert.Contains("(a link to /dev/zero)", Assert.IsType<CheckpointException>(LoadAndUse(zeroLink)).Message);
        Assert.Contains("does not exist", Assert.IsType<CheckpointException>(LoadAndUse(dangling)).Message);
        // A link to a real checkpoint is followed: run folders may hold one.
        Assert.Null(LoadAndUse(realLink));
    }

    /// <summary>Every number in <paramref name="node"/>, by its JSON-pointer-like path.</summary>
    private static IEnumerable<(string Pointer, JsonNode Node)> Numbers(JsonNode? node, string pointer)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, child) in o.ToList())
                    foreach (var found in Numbers(child, $"{pointer}/{key}")) yield return found;
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                    foreach (var found in Numbers(a[i], $"{pointer}/{i}")) yield return found;
                break;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number:
                yield return (pointer, v);
                break;
        }
    }

    private static void Set(JsonNode root, string pointer, long value)
    {
        var steps = pointer.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parent = root;
        foreach (var step in steps[..^1]) parent = parent is JsonArray a ? a[int.Parse(step)]! : parent[step]!;
        if (parent is JsonArray array) array[int.Parse(steps[^1])] = value;
        else parent[steps[^1]] = value;
    }
}
