// Which scorer a corpus's samples get, from its languages (CorpusFolder.Languages: those its manifest names, or the
// presets its files' extensions match): C# (Roslyn) whenever C# is among them, so a C# corpus with
// TypeScript beside it keeps C# scoring; C (libclang) for a C corpus, headers-only ones included; no scorer for
// any other language, with the sentence that says what is then not measured.
// It does not score anything itself.
using CharRnnCode.Scoring;

namespace CharRnnCode.Evaluation;

/// <summary>How the samples of an evaluation were scored.</summary>
/// <param name="Languages">the corpus's languages, as its manifest names them or as its files' extensions match presets</param>
/// <param name="Language">the language scored ("csharp", "c"), or null when none of them has a scorer</param>
/// <param name="Scorer">what scored it, e.g. "libclang, clang version 22.1.8 (C)"</param>
/// <param name="BindsNames">whether the scorer resolves names against declarations and so reports undefined ones (C# only)</param>
public sealed record CodeScoring(IReadOnlyList<string> Languages, string? Language, string? Scorer, bool BindsNames)
{
    /// <summary>What was not measured and why, when no scorer fits the corpus.</summary>
    public string? NotMeasured { get; init; }
    /// <summary>Distinct names in the training split, against which invented names are counted.</summary>
    public int TrainingNames { get; init; }
}

public static class CorpusLanguage
{
    /// <summary>The scorer for a corpus of <paramref name="languages"/> (null when they have none) and how it was chosen.
    /// The caller disposes the scorer when it is disposable (libclang's index).</summary>
    public static (ICodeScorer? Scorer, CodeScoring Scoring) Choose(IReadOnlyList<string> languages)
    {
        ICodeScorer? scorer = languages.Contains("csharp") ? new CSharpScorer() : languages.Contains("c") ? new CScorer() : null;
        if (scorer is not null) return (scorer, new CodeScoring(languages, scorer.Language, scorer.Name, scorer.ReportsUndefinedNames));
        var named = languages.Count == 0 ? "this corpus's files (no known language)" : string.Join(" + ", languages);
        return (null, new CodeScoring(languages, null, null, false)
        {
            NotMeasured = $"no scorer for {named}: parse rate, undefined names and invented names not measured (scorers exist for csharp and c)",
        });
    }
}
