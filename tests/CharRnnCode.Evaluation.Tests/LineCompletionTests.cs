// The line-completion benchmark on two small real C# files of one repository: a stand-in model that writes
// the true line scores perfectly, one that writes noise scores near zero, Roslyn re-ranking prefers a
// candidate whose names exist over a likelier one that invents a name, an empty or comment-only completion is
// never parse-OK or clean, and names defined in files of other splits of the repository are not undefined.
namespace CharRnnCode.Evaluation.Tests;

public sealed class LineCompletionTests
{
    private static readonly SourceFile[] Files =
    [
        new("demo", "src/Shapes.cs", """
            namespace Demo;

            public static class Shapes
            {
                public static double Area(double width, double height)
                {
                    var area = width * height;
                    return area;
                }
            }

            """),
        new("demo", "src/Report.cs", """
            using System;
            using System.Collections.Generic;

            namespace Demo;

            public class Report
            {
                private readonly List<double> _areas = new();

                public void Add(double width, double height)
                {
                    // Areas are kept in insertion order.
                    _areas.Add(Shapes.Area(width, height));
                }

                public double Total
                {
                    get
                    {
                        double total = 0;
                        foreach (var area in _areas) total += area;
                        return total;
                    }
                }
            }

            """),
    ];

    private static readonly LineCompletionOptions Options = new() { Positions = 50, K = 4, MaxChars = 80, Seed = 7 };

    [Fact]
    public void Positions_are_the_lines_of_method_and_accessor_bodies()
    {
        var positions = LineCompletion.DrawPositions(Files, 50, seed: 3);
        Assert.Equal(
            ["var area = width * height;", "return area;", "_areas.Add(Shapes.Area(width, height));",
             "double total = 0;", "foreach (var area in _areas) total += area;", "return total;"],
            positions.Select(p => p.TrueLine));
        Assert.All(positions, p => Assert.Equal(p.TrueLine, Files[p.FileIndex].Text[p.Caret..p.LineEnd]));
        var three = LineCompletion.DrawPositions(Files, 3, seed: 3);
        Assert.Equal(three, LineCompletion.DrawPositions(Files, 3, seed: 3)); // the seed decides
        Assert.Equal(3, three.Intersect(positions).Count());
    }

    [Fact]
    public void A_model_that_writes_the_true_line_scores_full_marks()
    {
        var positions = LineCompletion.DrawPositions(Files, Options.Positions, Options.Seed);
        var result = LineCompletion.Run(new TrueLineModel(Files), Files, positions, Options);
        Assert.Equal(6, positions.Count);
        foreach (var summary in result.Summary)
            Assert.Equal((summary.Strategy, 6, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 1.0),
                (summary.Strategy, summary.Positions, summary.NonEmpty.Value, summary.ExactMatch.Value, summary.EditSimilarity.Value, summary.ParseOk.Value,
                 summary.UndefinedPerCompletion.Value, summary.UndefinedPerIdentifier.Value, summary.Clean.Value));
        // Every position scores the same, so every resample does too: the intervals have no width.
        Assert.All(result.Summary, summary => Assert.Equal((1.0, 1.0), (summary.Clean.Low, summary.Clean.High)));
        Assert.All(result.RerankedAgainstLikelihood.Differences, d => Assert.Equal(("no significant difference", 0.0), (d.Verdict, d.Difference.Value)));
    }

    [Fact]
    public void A_model_that_writes_noise_scores_near_zero()
    {
        var positions = LineCompletion.DrawPositions(Files, Options.Positions, Options.Seed);
        var result = LineCompletion.Run(new NoiseModel(), Files, positions, Options);
        var greedy = result.Summary.Single(s => s.Strategy == Strategies.Greedy);
        Assert.Equal(0.0, greedy.ExactMatch.Value);
        Assert.True(greedy.EditSimilarity.Value < 0.3, $"edit similarity {greedy.EditSimilarity.Value:F2}");
        Assert.True(greedy.ParseOk.Value <= 0.2, $"parse-OK {greedy.ParseOk.Value:F2}");
        Assert.True(greedy.ParseOk.Low <= greedy.ParseOk.Value && greedy.ParseOk.Value <= greedy.ParseOk.High);
    }

    [Fact]
    public void Roslyn_re_ranking_prefers_names_that_exist_over_likelihood()
    {
        var positions = LineCompletion.DrawPositions(Files, Options.Positions, Options.Seed)
            .Where(p => p.TrueLine == "return total;").ToList();
        var model = new FixedCandidatesModel(("return totl;", -1.0), ("return total;", -2.0), ("return total +;", -0.5));
        var result = LineCompletion.Run(model, Files, positions, Options);
        var outcomes = Assert.Single(result.Positions).Outcomes;
        Assert.Equal("return total +;", outcomes[Strategies.Likelihood].Text);
        Assert.False(outcomes[Strategies.Likelihood].ParseOk);
        Assert.Equal("return total;", outcomes[Strategies.Roslyn].Text);
        Assert.True(outcomes[Strategies.Roslyn].ExactMatch);
        Assert.Equal(["totl"], model.Score("return totl;", Files, positions[0]));
    }

    [Fact]
    public void Empty_and_comment_only_completions_are_never_parse_ok_or_clean()
    {
        var positions = LineCompletion.DrawPositions(Files, Options.Positions, Options.Seed)
            .Where(p => p.TrueLine == "return total;").ToList();
        var model = new FixedCandidatesModel(("// total is returned below", -0.1), ("", -0.05), ("   ", -0.2));
        var outcomes = Assert.Single(LineCompletion.Run(model, Files, positions, Options).Positions).Outcomes;
        Assert.All(outcomes.Values, outcome => Assert.Equal((false, false, false), (outcome.NonEmpty, outcome.ParseOk, outcome.Clean)));
        Assert.Equal("// total is returned below", outcomes[Strategies.Greedy].Text);
    }

    [Fact]
    public void Names_from_other_files_of_the_repository_are_defined_when_they_are_in_the_binding_context()
    {
        var positions = LineCompletion.DrawPositions(Files, Options.Positions, Options.Seed)
            .Where(p => p.TrueLine == "return total;").ToList();
        var model = new FixedCandidatesModel(("return Rounding.Round(total);", -1.0));
        var trainingFile = new SourceFile("demo", "src/Rounding.cs", """
            namespace Demo;

            public static class Rounding
            {
                public static double Round(double value) => System.Math.Round(value, 2);
            }

            """);

        var alone = Assert.Single(LineCompletion.Run(model, Files, positions, Options).Positions).Outcomes[Strategies.Greedy];
        Assert.Equal(["Rounding"], alone.UndefinedIntroduced);
        var withRepository = Assert.Single(LineCompletion.Run(model, Files, positions, Options,
            new RepositoryWorkspaces([.. Files, trainingFile])).Positions).Outcomes[Strategies.Greedy];
        Assert.Empty(withRepository.UndefinedIntroduced);
        Assert.Equal((true, 3), (withRepository.Clean, withRepository.IdentifiersWritten));
    }

    /// <summary>Writes the rest of the line the context stops in, from the files it was given.</summary>
    private sealed class TrueLineModel(IReadOnlyList<SourceFile> files) : ICharModel
    {
        public string Description => "true line";
        public double[] CharacterLogProbabilities(string text) => new double[text.Length];

        public IReadOnlyList<Continuation> Continue(string context, ContinuationRequest request, CancellationToken cancellationToken = default)
        {
            var text = files.Single(file => file.Text.StartsWith(context, StringComparison.Ordinal)).Text;
            var end = text.IndexOf('\n', context.Length);
            return [.. Enumerable.Repeat(new Continuation(text[context.Length..end], 0), request.Count)];
        }
    }

    private sealed class NoiseModel : ICharModel
    {
        public string Description => "noise";
        public double[] CharacterLogProbabilities(string text) => [.. text.Select(_ => Math.Log(1.0 / 16))];

        public IReadOnlyList<Continuation> Continue(string context, ContinuationRequest request, CancellationToken cancellationToken = default)
        {
            const string alphabet = "qz{(]);=+.,xk< ";
            var random = new Random(context.Length);
            return [.. Enumerable.Range(0, request.Count).Select(_ => new Continuation(
                new string([.. Enumerable.Range(0, random.Next(8, 30)).Select(_ => alphabet[random.Next(alphabet.Length)])]), -40))];
        }
    }

    private sealed class FixedCandidatesModel(params (string Text, double LogProbability)[] candidates) : ICharModel
    {
        public string Description => "fixed candidates";
        public double[] CharacterLogProbabilities(string text) => new double[text.Length];

        public IReadOnlyList<Continuation> Continue(string context, ContinuationRequest request, CancellationToken cancellationToken = default) =>
            request.Argmax ? [new Continuation(candidates[0].Text, candidates[0].LogProbability)]
                : [.. candidates.Select(c => new Continuation(c.Text, c.LogProbability))];

        public IReadOnlyList<string> Score(string line, IReadOnlyList<SourceFile> files, LinePosition position)
        {
            var scorer = new CharRnnCode.Scoring.CompletionScorer();
            var file = files[position.FileIndex];
            var context = scorer.Prepare(file.Path, file.Text[..position.Caret] + file.Text[position.LineEnd..], position.Caret);
            return scorer.ScoreExact(context, line).UndefinedIdentifiersIntroduced;
        }
    }
}
