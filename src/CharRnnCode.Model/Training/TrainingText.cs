// The text a run trains on, handed to the trainer by its caller (`charrnn train` opens the corpus folder):
// the training and validation splits, the corpus's identity that a checkpoint records, and the folder it
// came from (a hint for --resume). The trainer never reads a corpus folder itself, as nanoGPT's train.py
// reads train.bin without importing prepare.py.
namespace CharRnnCode.Model.Training;

/// <param name="Directory">the corpus folder, recorded in checkpoints so that --resume can find it again</param>
/// <param name="CorpusId">the corpus's identity; a resumed run refuses a corpus with another one</param>
public sealed record TrainingText(string Directory, string Train, string Validation, string CorpusId);
