// `charrnn ngram` as a library call: the loss of the character n-gram model at every order of every smoothing on
// one text, trained once on another (the seed's comparison of LSTMs with n-grams up to order 20), and the best
// order of each smoothing. Every order of a smoothing comes from one pass over the text. It reads and writes no
// files; the command does.
namespace CharRnnCode.Evaluation;

/// <summary>What to measure: the orders (1..20) and the smoothings, in the order the table lists them.</summary>
public sealed record NGramOrderTableOptions(IReadOnlyList<int> Orders, IReadOnlyList<NGramSmoothing> Smoothings);

/// <summary>The loss of one smoothing at one order, in nats and bits per character.</summary>
public sealed record NGramOrderLoss(string Smoothing, int Order, double Nats, double Bpc);

/// <summary>The order of a smoothing with the lowest loss on the measured text.</summary>
public sealed record NGramBestOrder(int Order, double Nats);

/// <summary>The whole table: <paramref name="Best"/> is keyed by smoothing name (witten-bell, kneser-ney).</summary>
public sealed record NGramOrderTable(string CorpusId, string Split, int TrainChars, int EvalChars, IReadOnlyList<NGramOrderLoss> Rows,
    IReadOnlyDictionary<string, NGramBestOrder> Best)
{
    /// <param name="stage">Starts a named stage of the work and returns where it reports the share done.</param>
    public static NGramOrderTable Measure(string corpusId, string split, string train, string evaluated, NGramOrderTableOptions options,
        Func<string, IProgress<double>> stage, CancellationToken cancellationToken = default)
    {
        if (options.Orders.Count == 0 || options.Smoothings.Count == 0) throw new ArgumentException("at least one order and one smoothing", nameof(options));
        if (evaluated.Length == 0) throw new ArgumentException("the measured text is empty", nameof(evaluated));
        var counts = NGramModel.Train(train, options.Orders.Max(), stage($"suffix array of {train.Length:N0} training characters"));
        var rows = new List<NGramOrderLoss>();
        foreach (var smoothing in options.Smoothings)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var model = counts.WithSmoothing(smoothing);
            var progress = stage($"{smoothing.Title()}: {evaluated.Length:N0} {split} characters, orders {options.Orders.Min()}-{options.Orders.Max()}");
            var nats = model.NatsPerCharacterByOrder(evaluated, options.Orders, progress);
            rows.AddRange(options.Orders.Select((order, i) => new NGramOrderLoss(smoothing.Name(), order, nats[i], nats[i] / Math.Log(2))));
        }
        var best = rows.GroupBy(row => row.Smoothing).Select(group => group.MinBy(row => row.Nats)!)
            .ToDictionary(row => row.Smoothing, row => new NGramBestOrder(row.Order, row.Nats));
        return new NGramOrderTable(corpusId, split, train.Length, evaluated.Length, rows, best);
    }
}
