// The tiny model the test projects share: TinyModelCorpus's classes harvested into a corpus and a 1x32 LSTM
// trained on it by the real trainer, once per build of the model code for every test process on the machine.
// Test projects run as separate processes, maybe at once: the first to ask harvests and trains under a
// cross-process file lock, the others wait for it and read the result. The folder is named by a hash of
// the corpus files, the training configuration and the Model and Corpus assemblies' build ids, so a change
// to any of them trains anew. Tests must treat the folder as read-only (copy what they change). It does
// not remove folders of earlier builds beyond a week old.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CharRnnCode.Cli;
using CharRnnCode.Common;
using CharRnnCode.Corpus;
using CharRnnCode.Inference;
using CharRnnCode.Model.Training;

namespace CharRnnCode.TestSupport;

/// <param name="Corpus">the harvested corpus folder (manifest, train/val/test splits)</param>
/// <param name="RunDirectory">the training run folder (checkpoints, metrics.jsonl, config)</param>
public sealed record TinyModelFiles(string Corpus, string RunDirectory)
{
    public string BestCheckpoint => Path.Combine(RunDirectory, RunFolder.BestCheckpoint);
    public string LastCheckpoint => Path.Combine(RunDirectory, RunFolder.LastCheckpoint);
}

public static class SharedTinyModel
{
    /// <summary>The generated files harvested: 100 classes, a fifth each held out for validation and test.</summary>
    public const int Classes = 100;

    /// <summary>Steps trained: long enough that the model writes its corpus's lines back (Console.WriteLine(total);).</summary>
    public const int Steps = 1500;

    /// <summary>Steps between validations: the run validates at 500, 1000 and 1500.</summary>
    public const int ValidationInterval = 500;

    private const string ReadyMarker = "ready";

    // How long a process waits for another one's training before it gives up with an error.
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);

    private static readonly object TrainingGate = new();

    private static readonly Lazy<TinyModelFiles> Shared = new(Build);

    public static TinyModelFiles Files => Shared.Value;

    public static RunConfig Config => RunConfig.LoadPreset("tiny", [$"maxSteps={Steps}", $"evalInterval={ValidationInterval}"]);

    public static IEnumerable<(string Path, string Text)> SourceFiles =>
        TinyModelCorpus.Classes(seed: 1, Classes).Select(c => ($"src/{c.ClassName}.cs", c.Text));

    /// <summary>
    /// Runs <paramref name="train"/> while no other training of this process runs: TorchSharp's global state (threads,
    /// default scalar type) is shared, and two trainings at once failed with "Unknown scalar type".
    /// </summary>
    public static T TrainAlone<T>(Func<T> train)
    {
        lock (TrainingGate) return train();
    }

    private static TinyModelFiles Build()
    {
        var root = Path.Combine(Path.GetTempPath(), "charrnn-tests");
        Directory.CreateDirectory(root);
        var key = Key();
        var folder = Path.Combine(root, $"tiny-model-{key}");
        var files = new TinyModelFiles(Path.Combine(folder, "corpus"), Path.Combine(folder, "run"));
        using (AcquireLock(Path.Combine(root, $"tiny-model-{key}.lock")))
        {
            if (File.Exists(Path.Combine(folder, ReadyMarker))) return files;
            // A folder without the marker is what a killed process left: start again. The run is made in place, not
            // renamed into place, because the checkpoint records the corpus folder it was trained on.
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
            Directory.CreateDirectory(folder);
            TinyModelCorpus.HarvestedCorpus(folder, SourceFiles);
            TrainAlone(() => Trainer.Run(new TrainRequest
            {
                Config = Config,
                Corpus = CorpusInputs.ForTraining(files.Corpus),
                RunDirectory = files.RunDirectory,
                Device = "cpu",
                Threads = 1,
            }));
            AtomicFile.WriteAllText(Path.Combine(folder, ReadyMarker), key + "\n");
        }
        RemoveOldFolders(root, keep: folder);
        return files;
    }

    private static string Key()
    {
        var identity = new StringBuilder();
        foreach (var (path, text) in SourceFiles) identity.Append(path).Append('\0').Append(text).Append('\0');
        identity.Append(JsonSerializer.Serialize(Config)).Append('\0');
        identity.Append(typeof(Trainer).Assembly.ManifestModule.ModuleVersionId).Append('\0');
        identity.Append(typeof(Harvester).Assembly.ManifestModule.ModuleVersionId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity.ToString())))[..16];
    }

    /// <summary>An exclusive lock on <paramref name="path"/> (an flock: the system releases it when its process dies), waited for.</summary>
    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try { return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
            catch (IOException) when (DateTime.UtcNow < deadline) { Thread.Sleep(200); }
            catch (IOException error)
            {
                throw new TimeoutException($"another test process held {path} for {LockTimeout.TotalMinutes:0} minutes while training the shared tiny model; " +
                    "if no test process runs, delete the file and run the tests again", error);
            }
        }
    }

    // Folders of earlier builds are never read again; a week leaves alone those that other checkouts still use.
    private static void RemoveOldFolders(string root, string keep)
    {
        foreach (var old in Directory.EnumerateDirectories(root, "tiny-model-*"))
        {
            if (old == keep || Directory.GetLastWriteTimeUtc(old) > DateTime.UtcNow.AddDays(-7)) continue;
            try
            {
                Directory.Delete(old, recursive: true);
                File.Delete(old + ".lock");
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }
}
