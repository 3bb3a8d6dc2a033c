// Opens a corpus folder for the stages that take texts, not folders: training gets a TrainingText, the
// evaluation an EvaluationCorpus, the parse-rate probe the corpus's languages. The corpus folder format is
// the boundary between harvesting and the later stages, and only the command line crosses it (through
// CharRnnCode.Corpus), as nanoGPT's train.py reads train.bin without importing prepare.py.
// It does not train or evaluate.
using CharRnnCode.Common;
using CharRnnCode.Corpus;
using CharRnnCode.Evaluation;
using CharRnnCode.Model.Training;

namespace CharRnnCode.Cli;

public static class CorpusInputs
{
    /// <summary>The training and validation texts of a harvested folder (with manifest.json), or of a hand-made folder
    /// of train.txt, val.txt and test.txt, whose identity is computed from the files as a harvest computes it.</summary>
    public static TrainingText ForTraining(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(full, "manifest.json")))
        {
            var folder = CorpusFolder.Open(full);
            return Read(full, folder.TrainPath, folder.ValPath, folder.Manifest.CorpusId);
        }
        if (!Directory.Exists(full))
            throw new UserError($"corpus folder {full} does not exist. Create one with `charrnn harvest`, or point --corpus at a folder holding train.txt, val.txt and test.txt.");
        foreach (var split in CorpusSplits.All)
            if (!File.Exists(Path.Combine(full, split.TextFileName())))
                throw new UserError($"corpus folder {full} has no {split.TextFileName()}. A corpus folder holds train.txt, val.txt and test.txt (written by `charrnn harvest`).");
        return Read(full, Path.Combine(full, "train.txt"), Path.Combine(full, "val.txt"), CorpusIdentity.Compute(full));
    }

    private static TrainingText Read(string directory, string trainPath, string valPath, string corpusId)
    {
        var train = File.ReadAllText(trainPath);
        if (train.Length < 2)
            throw new UserError($"{trainPath} is empty; a model needs text to train on.");
        return new TrainingText(directory, train, File.ReadAllText(valPath), corpusId);
    }

    /// <summary>A harvested corpus folder as the evaluation reads it; its files are read one at a time when enumerated.</summary>
    public static EvaluationCorpus ForEvaluation(string directory)
    {
        var corpus = CorpusFolder.Open(directory);
        IEnumerable<SourceFile> Files(CorpusSplit split) => corpus.Files(split).Select(f => new SourceFile(f.Repo, f.Path, f.Text));
        return new EvaluationCorpus(corpus.Directory, corpus.Manifest.CorpusId, corpus.Languages(),
            File.ReadAllText(corpus.TrainPath), File.ReadAllText(corpus.ValPath), File.ReadAllText(corpus.TestPath),
            Files(CorpusSplit.Train), Files(CorpusSplit.Val), Files(CorpusSplit.Test),
            corpus.Manifest.Splits.TryGetValue("train", out var split) ? split.Files : 0);
    }

    /// <summary>The languages of a corpus folder (see CorpusFolder.Languages); C# for a hand-made folder without a manifest.</summary>
    public static IReadOnlyList<string> Languages(string directory) =>
        File.Exists(Path.Combine(directory, "manifest.json")) ? CorpusFolder.Open(directory).Languages() : ["csharp"];
}
