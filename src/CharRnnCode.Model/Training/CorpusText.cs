// The text a run trains on: a corpus folder's train.txt and val.txt, and the corpus identity a
// checkpoint records. A harvested folder (with manifest.json) is opened through CorpusFolder, which
// checks it is complete; a hand-made folder of the three split files works too, its identity computed
// from the files the same way. It does not enumerate files: training sees each split as one text.
using CharRnnCode.Common;
using CharRnnCode.Corpus;

namespace CharRnnCode.Model.Training;

public sealed record CorpusText(string Directory, string Train, string Validation, string CorpusId)
{
    public static CorpusText Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (File.Exists(Path.Combine(full, "manifest.json")))
        {
            var folder = CorpusFolder.Open(full);
            return Read(full, folder.TrainPath, folder.ValPath, folder.Manifest.CorpusId);
        }
        if (!System.IO.Directory.Exists(full))
            throw new UserError($"corpus folder {full} does not exist. Create one with `charrnn harvest`, or point --corpus at a folder holding train.txt, val.txt and test.txt.");
        foreach (var split in CorpusSplits.All)
            if (!File.Exists(Path.Combine(full, split.TextFileName())))
                throw new UserError($"corpus folder {full} has no {split.TextFileName()}. A corpus folder holds train.txt, val.txt and test.txt (written by `charrnn harvest`).");
        return Read(full, Path.Combine(full, "train.txt"), Path.Combine(full, "val.txt"), CorpusIdentity.Compute(full));
    }

    private static CorpusText Read(string directory, string trainPath, string valPath, string corpusId)
    {
        var train = File.ReadAllText(trainPath);
        if (train.Length < 2)
            throw new UserError($"{trainPath} is empty; a model needs text to train on.");
        return new CorpusText(directory, train, File.ReadAllText(valPath), corpusId);
    }
}
