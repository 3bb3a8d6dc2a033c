// charrnn ngram: the character n-gram baseline alone, at every order of each smoothing (Witten-Bell, modified
// Kneser-Ney), trained on a corpus's train split and measured on its test (or validation) split; prints the
// table with the best order of each smoothing marked, and writes it as JSON. Parses options and draws progress;
// the work is CharRnnCode.Evaluation.NGramOrderTable. It trains no network and evaluates no checkpoint (eval does).
using System.Globalization;
using CharRnnCode.Common;
using CharRnnCode.Corpus;
using CharRnnCode.Evaluation;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CharRnnCode.Cli.Commands;

internal sealed class NGramCommand : Command<NGramCommand.Settings>
{
    public sealed class Settings : CommandSettings
    {
        /// <summary>Corpus folder (written by `charrnn harvest`): the n-grams are trained on train.txt.</summary>
        [CommandOption("--corpus <DIR>")] public string Corpus { get; init; } = "";

        /// <summary>Split to measure: test (default) or val.</summary>
        [CommandOption("--split <SPLIT>")] public string Split { get; init; } = "test";

        /// <summary>
        /// Orders to measure, 1 to 20: a range, a list or both, e.g. 1-20, 3, 1-6,8,12. Default 1-20.
        /// </summary>
        [CommandOption("--orders <RANGE>")] public string Orders { get; init; } = $"1-{NGramModel.MaxOrder}";

        /// <summary>Smoothings, comma-separated: witten-bell, kneser-ney. Default both.</summary>
        [CommandOption("--smoothing <LIST>")] public string Smoothing { get; init; } = string.Join(',', NGramSmoothings.All.Select(s => s.Name()));

        /// <summary>Write the table as JSON to FILE (replaced atomically).</summary>
        [CommandOption("--out <FILE>")] public string? Out { get; init; }

        /// <summary>Overwrite --out even when it is a file that is not an n-gram table.</summary>
        [CommandOption("--force")] public bool Force { get; init; }

        /// <summary>Print the table as JSON on stdout (progress goes to stderr).</summary>
        [CommandOption("--json")] public bool Json { get; init; }

        public override ValidationResult Validate()
        {
            if (string.IsNullOrEmpty(Corpus)) return ValidationResult.Error("--corpus DIR is required.");
            if (Split is not ("test" or "val")) return ValidationResult.Error($"--split must be test or val (got '{Split}').");
            if (Out is "") return ValidationResult.Error("--out needs a file name, e.g. --out ngram.json.");
            try
            {
                _ = ParsedOrders(Orders);
                _ = ParsedSmoothings(Smoothing);
            }
            catch (UserError error)
            {
                return ValidationResult.Error(error.Describe(ErrorReporter.Flag));
            }
            return ValidationResult.Success();
        }
    }

    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Out is { } target) OutputTarget.EnsureFile(target, "an n-gram table", IsNGramTable, settings.Force);
        var corpus = CorpusFolder.Open(settings.Corpus);
        var split = settings.Split == "val" ? CorpusSplit.Val : CorpusSplit.Test;
        var train = File.ReadAllText(corpus.TrainPath);
        var evaluated = File.ReadAllText(corpus.PathOf(split));
        if (train.Length == 0) throw new UserError($"the train split of '{settings.Corpus}' is empty; harvest more files.");
        if (evaluated.Length == 0) throw new UserError($"the {split.Name()} split of '{settings.Corpus}' is empty; harvest more files, or measure the other split (--split).");
        var options = new NGramOrderTableOptions(ParsedOrders(settings.Orders), ParsedSmoothings(settings.Smoothing));

        NGramOrderTable? table = null;
        (settings.Json ? Terminal.Error : Terminal.Progress).Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(progress => table = NGramOrderTable.Measure(corpus.Manifest.CorpusId, split.Name(), train, evaluated, options,
                name => new TaskProgress(progress.AddTask(Markup.Escape(name), maxValue: 1)), cancellationToken));
        if (settings.Out is { } path) AtomicFile.WriteAllText(path, JsonOutput.Serialize(table!));
        if (settings.Json)
        {
            JsonOutput.Write(table!);
            return 0;
        }

        PrintTable(table!, options);
        if (settings.Out is { } written) AnsiConsole.MarkupLineInterpolated($"table: [bold]{Path.GetFullPath(written)}[/]");
        return 0;
    }

    /// <summary>Orders as rows, each smoothing's nats and bits per character as columns; the best of each in bold with a star.</summary>
    private static void PrintTable(NGramOrderTable table, NGramOrderTableOptions options)
    {
        AnsiConsole.WriteLine($"loss on the {table.Split} split ({table.EvalChars:N0} characters) of n-grams trained on the train split ({table.TrainChars:N0}); * marks each smoothing's best order");
        var grid = new Table().Border(TableBorder.Rounded).AddColumn(new TableColumn("order").RightAligned());
        foreach (var smoothing in options.Smoothings)
            grid.AddColumn(new TableColumn($"{smoothing.Name()} nats").RightAligned()).AddColumn(new TableColumn("bits/char").RightAligned());
        foreach (var order in options.Orders)
        {
            var cells = new List<string> { order.ToString(CultureInfo.InvariantCulture) };
            foreach (var smoothing in options.Smoothings)
            {
                var row = table.Rows.Single(r => r.Smoothing == smoothing.Name() && r.Order == order);
                var best = table.Best[row.Smoothing].Order == order;
                string Cell(double value) => best ? FormattableString.Invariant($"[bold]{value:0.0000} *[/]") : FormattableString.Invariant($"{value:0.0000}  ");
                cells.Add(Cell(row.Nats));
                cells.Add(Cell(row.Bpc));
            }
            grid.AddRow([.. cells]);
        }
        AnsiConsole.Write(grid);
        foreach (var (name, best) in table.Best)
            AnsiConsole.WriteLine(FormattableString.Invariant($"best {name}: order {best.Order}, {best.Nats:0.0000} nats/char ({best.Nats / Math.Log(2):0.0000} bits/char)"));
    }

    /// <summary>"1-20", "3", "1-6,8,12": distinct orders, ascending.</summary>
    private static IReadOnlyList<int> ParsedOrders(string text)
    {
        var orders = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (bounds.Length is < 1 or > 2 || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out var o) && o is >= 1 and <= NGramModel.MaxOrder))
                throw new UserError($"--orders: '{part}' is not an order from 1 to {NGramModel.MaxOrder} or a range of them; write e.g. 1-20 or 1-6,8,12.");
            var (low, high) = (int.Parse(bounds[0], CultureInfo.InvariantCulture), int.Parse(bounds[^1], CultureInfo.InvariantCulture));
            if (low > high) throw new UserError($"--orders: the range '{part}' runs backwards; write {high}-{low}.");
            for (var order = low; order <= high; order++) orders.Add(order);
        }
        return [.. orders];
    }

    private static IReadOnlyList<NGramSmoothing> ParsedSmoothings(string text)
    {
        var smoothings = new List<NGramSmoothing>();
        foreach (var name in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var smoothing = NGramSmoothings.Parse(name)
                ?? throw new UserError($"--smoothing: '{name}' is not a smoothing; choose from {string.Join(", ", NGramSmoothings.All.Select(s => s.Name()))}.");
            if (!smoothings.Contains(smoothing)) smoothings.Add(smoothing);
        }
        if (smoothings.Count == 0) throw new UserError("--smoothing is empty; write e.g. witten-bell,kneser-ney.");
        return smoothings;
    }

    /// <summary>A share of work done, drawn on one bar (reported on the working thread, in order).</summary>
    private sealed class TaskProgress(ProgressTask task) : IProgress<double>
    {
        public void Report(double value) => task.Value = Math.Clamp(value, 0, 1);
    }

    /// <summary>Whether <paramref name="path"/> holds a table this command wrote (a JSON object with the corpus id, split and rows).</summary>
    private static bool IsNGramTable(string path)
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path)) is System.Text.Json.Nodes.JsonObject root
                   && root["corpusId"] is System.Text.Json.Nodes.JsonValue && root["split"] is System.Text.Json.Nodes.JsonValue
                   && root["rows"] is System.Text.Json.Nodes.JsonArray;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }
}
