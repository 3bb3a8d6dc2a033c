// The console side of a harvest, shared by `harvest` and `bench harvest`: Spectre.Console progress bars
// for cloning (objects, bytes, speed) and reading (files, bytes), and the report table printed after.
// Progress goes to stderr when stdout is redirected, so piping the report stays clean.
using System.Diagnostics;
using CharRnnCode.Corpus;
using Spectre.Console;

namespace CharRnnCode.Cli.Commands;

internal static class HarvestConsole
{

    /// <summary>Runs <paramref name="work"/> with live progress bars fed by the IHarvestProgress it is given.</summary>
    public static T WithProgress<T>(Func<IHarvestProgress, T> work)
    {
        T result = default!;
        Terminal.Progress.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context => result = work(new SpectreProgress(context)));
        return result;
    }

    private sealed class SpectreProgress(ProgressContext context) : IHarvestProgress
    {
        private readonly Dictionary<string, (ProgressTask Task, Stopwatch Clock)> _tasks = [];
        private readonly Lock _lock = new();

        private (ProgressTask Task, Stopwatch Clock) TaskFor(string key, string description)
        {
            lock (_lock)
            {
                if (!_tasks.TryGetValue(key, out var entry))
                    _tasks[key] = entry = (context.AddTask(Markup.Escape(description), maxValue: 1), Stopwatch.StartNew());
                return entry;
            }
        }

        public void Transfer(string repoId, long receivedObjects, long totalObjects, long receivedBytes)
        {
            var (task, clock) = TaskFor("clone " + repoId, "clone " + repoId);
            var speed = receivedBytes / Math.Max(clock.Elapsed.TotalSeconds, 1e-3) / 1e6;
            task.MaxValue = Math.Max(1, totalObjects);
            task.Value = receivedObjects;
            task.Description = Markup.Escape($"clone {repoId}: {receivedObjects:N0}/{totalObjects:N0} objects, {receivedBytes / 1e6:F1} MB, {speed:F1} MB/s");
            if (totalObjects > 0 && receivedObjects >= totalObjects) task.StopTask();
        }

        public void BeginFiles(string repoId, long totalFiles)
        {
            var (task, _) = TaskFor("read " + repoId, "read " + repoId);
            task.MaxValue = Math.Max(1, totalFiles);
        }

        public void Files(string repoId, long doneFiles, long doneBytes)
        {
            var (task, clock) = TaskFor("read " + repoId, "read " + repoId);
            task.Value = doneFiles;
            var speed = doneBytes / Math.Max(clock.Elapsed.TotalSeconds, 1e-3) / 1e6;
            task.Description = Markup.Escape($"read {repoId}: {doneFiles:N0}/{task.MaxValue:N0} files, {doneBytes / 1e6:F1} MB, {speed:F1} MB/s");
            if (doneFiles >= task.MaxValue) task.StopTask();
        }

        public void Note(string message) => Terminal.Progress.MarkupLineInterpolated($"[grey]{message}[/]");
    }

    /// <summary>What PrintReport shows, as one JSON document.</summary>
    public static void PrintJsonReport(HarvestResult result)
    {
        var manifest = result.Manifest;
        JsonOutput.Write(new
        {
            manifest.CorpusId, result.OutDirectory, ElapsedSeconds = result.Elapsed.TotalSeconds, result.FilesRead, result.BytesRead,
            manifest.Repositories, manifest.Splits, manifest.Duplicates, DistinctCharacters = manifest.CharacterHistogram.Count,
        });
    }

    /// <summary>Prints what the harvest kept and dropped, per repository and reason, and the splits.</summary>
    public static void PrintReport(HarvestResult result)
    {
        var manifest = result.Manifest;
        // One column per repository, one row per fact: drop reasons are many, repositories few.
        var table = new Table().Border(TableBorder.Rounded).AddColumn("");
        foreach (var repository in manifest.Repositories) table.AddColumn(new TableColumn(Markup.Escape(repository.Id)).RightAligned());
        void Row(string name, Func<RepositoryReport, string> cell) =>
            table.AddRow([Markup.Escape(name), .. manifest.Repositories.Select(r => Markup.Escape(cell(r)))]);
        Row("commit", r => r.Commit[..12]);
        Row("license", r => r.License ?? r.LicenseFile ?? "-");
        Row("files seen", r => $"{r.FilesSeen:N0}");
        Row("files kept", r => $"{r.FilesKept:N0}");
        Row("MB kept", r => $"{r.Bytes / 1e6:F2}");
        foreach (var reason in Enum.GetValues<DropReason>().Select(r => r.Name()).Where(name => manifest.Repositories.Any(r => r.Dropped.ContainsKey(name))))
            Row("dropped: " + reason, r => $"{r.Dropped.GetValueOrDefault(reason):N0}");
        if (manifest.Repositories.Any(r => r.Transcoded > 0)) Row("transcoded from Latin-1", r => $"{r.Transcoded:N0}");
        AnsiConsole.Write(table);

        var splits = new Table().Border(TableBorder.Rounded).AddColumn("split").AddColumn(new TableColumn("files").RightAligned())
            .AddColumn(new TableColumn("MB").RightAligned()).AddColumn(new TableColumn("chars").RightAligned());
        foreach (var (name, split) in manifest.Splits)
            splits.AddRow(name, $"{split.Files:N0}", $"{split.Bytes / 1e6:F2}", $"{split.Chars:N0}");
        AnsiConsole.Write(splits);
        AnsiConsole.MarkupLineInterpolated(
            $"duplicates removed: [bold]{manifest.Duplicates.Exact:N0}[/] exact, [bold]{manifest.Duplicates.Near:N0}[/] near; vocabulary: {manifest.CharacterHistogram.Count} distinct characters");
        if (manifest.SplitClusters is { } clusters)
        {
            var totalChars = manifest.Splits.Values.Sum(split => split.Chars);
            AnsiConsole.MarkupInterpolated(
                $"near-copies kept in one split (Jaccard ≥ {clusters.Threshold:0.##}): {clusters.Clusters:N0} clusters of 2 or more files ({clusters.FilesInClusters:N0} files); cost: ");
            AnsiConsole.MarkupLineInterpolated(
                $"[bold]{clusters.FilesMoved:N0}[/] files, {clusters.CharsMoved:N0} characters ({(double)clusters.CharsMoved / Math.Max(1, totalChars):P1}) moved off the split their path gives");
        }
        AnsiConsole.MarkupInterpolated($"corpus [bold]{manifest.CorpusId}[/] written to [bold]{result.OutDirectory}[/] in {result.Elapsed.TotalSeconds:F1} s ");
        AnsiConsole.MarkupLineInterpolated(
            $"({result.FilesRead:N0} files, {result.BytesRead / 1e6:F1} MB read, {result.BytesRead / 1e6 / Math.Max(result.Elapsed.TotalSeconds, 1e-3):F1} MB/s)");
    }
}
