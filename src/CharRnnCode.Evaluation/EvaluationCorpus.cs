// What an evaluation reads of a corpus, handed to it by its caller (`charrnn eval` opens the corpus folder through
// CharRnnCode.Corpus): the three splits as texts and as files, the corpus's languages and identity. The evaluation
// never reads a corpus folder itself. It does not check the corpus; whoever opens the folder does.

namespace CharRnnCode.Evaluation;

/// <param name="Directory">where the corpus is, for messages and the report</param>
/// <param name="Languages">the corpus's languages (csharp, c, ...): they choose the scorer</param>
/// <param name="TrainFiles">the training split's files, enumerated lazily (one file at a time), as the other two</param>
/// <param name="TrainFileCount">how many files <paramref name="TrainFiles"/> yields, for progress</param>
public sealed record EvaluationCorpus(
    string Directory, string CorpusId, IReadOnlyList<string> Languages,
    string Train, string Validation, string Test,
    IEnumerable<SourceFile> TrainFiles, IEnumerable<SourceFile> ValidationFiles, IEnumerable<SourceFile> TestFiles, long TrainFileCount);
