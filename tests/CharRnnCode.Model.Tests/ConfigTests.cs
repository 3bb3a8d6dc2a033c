// Presets and overrides: every shipped preset loads; unknown keys and wrong types are errors that say what is valid.
using CharRnnCode.Common;
using CharRnnCode.Inference;

namespace CharRnnCode.Model.Tests;

public sealed class ConfigTests
{
    [Fact]
    public void Every_shipped_preset_loads_and_validates()
    {
        Assert.Equal(["lstm-2x512", "lstm-3x512", "small-cpu", "tiny"], RunConfig.PresetNames());
        var presets = RunConfig.PresetNames().ToDictionary(n => n, n => RunConfig.LoadPreset(n));
        Assert.Equal("lstm 2x512", presets["lstm-2x512"].Model.Shape);
        Assert.Equal("lstm 3x512", presets["lstm-3x512"].Model.Shape);
        Assert.Equal("rmsprop", presets["lstm-3x512"].Train.Optimizer);
    }

    [Fact]
    public void Overrides_apply_by_plain_or_qualified_key_with_types_checked()
    {
        var config = RunConfig.LoadPreset("tiny", ["hidden=48", "train.learningRate=0.5", "cell=gru", "model.layers=3"]);
        Assert.Equal(new ModelConfig { Cell = "gru", Layers = 3, Hidden = 48, Embedding = 16, Dropout = 0.0 }, config.Model);
        Assert.Equal(0.5, config.Train.LearningRate);
    }

    [Fact]
    public void An_unknown_key_is_an_error_that_lists_the_valid_keys()
    {
        var error = Assert.Throws<InvalidInputError>(() => RunConfig.LoadPreset("tiny", ["hiden=48"]));
        Assert.Contains("unknown {set} key 'hiden'", error.Problem);
        Assert.Contains("hidden", error.Message);

        var presetPath = Path.Combine(TestCorpus.TemporaryDirectory("preset"), "bad.json");
        File.WriteAllText(presetPath, """{ "model": { "layerz": 2 } }""");
        Assert.Contains("'layerz'", Assert.ThrowsAny<UserError>(() => RunConfig.LoadPreset(presetPath)).Message);
    }

    [Theory]
    [InlineData("layers=two", "set layers=two: layers must be a whole number")]
    [InlineData("layers=2.5", "set layers=2.5: layers must be a whole number")]
    [InlineData("learningRate=NaN", "set learningRate=NaN: learningRate must be a finite number")]
    [InlineData("cell=7", "cell '7' is unknown")]
    [InlineData("cell=lstmm", "cell 'lstmm' is unknown")]
    [InlineData("dropout=1.5", "dropout must be in [0, 1)")]
    [InlineData("learningRate", "must look like key=value")]
    public void A_value_of_the_wrong_type_or_range_is_an_error(string assignment, string expected)
    {
        Assert.Contains(expected, Assert.ThrowsAny<UserError>(() => RunConfig.LoadPreset("tiny", [assignment])).Message);
    }

    [Fact]
    public void An_unknown_preset_names_the_known_ones() =>
        Assert.Contains("small-cpu", Assert.ThrowsAny<UserError>(() => RunConfig.LoadPreset("huge")).Message);

    [Fact]
    public void The_vocabulary_reserves_an_unknown_id_and_reports_coverage()
    {
        var vocabulary = Vocabulary.Build("abca");
        Assert.Equal(4, vocabulary.Size);
        Assert.Equal([1, 2, 3, 0], vocabulary.Encode("abcz"));
        Assert.Equal('b', vocabulary.Decode(2));
        Assert.Equal(Vocabulary.UnknownCharacter, vocabulary.Decode(vocabulary.UnknownId));
        Assert.Equal(0.75, vocabulary.Coverage("abcz"));
        Assert.Equal(vocabulary.Encode("cab"), Vocabulary.Deserialize(vocabulary.Serialize()).Encode("cab"));
    }
}
