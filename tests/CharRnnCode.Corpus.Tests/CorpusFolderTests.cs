// CorpusFolder refuses what is not a whole corpus, with a message saying what to do.
using CharRnnCode.Common;

namespace CharRnnCode.Corpus.Tests;

public sealed class CorpusFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-corpus").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Missing_folder_manifest_or_split_is_a_user_error()
    {
        Assert.Contains("does not exist", Assert.ThrowsAny<UserError>(() => CorpusFolder.Open(Path.Combine(_folder, "none"))).Message);
        Assert.Contains("no manifest.json", Assert.ThrowsAny<UserError>(() => CorpusFolder.Open(_folder)).Message);
        File.WriteAllText(Path.Combine(_folder, "manifest.json"), "{}");
        Assert.Contains("train.txt is missing", Assert.ThrowsAny<UserError>(() => CorpusFolder.Open(_folder)).Message);
        foreach (var split in CorpusSplits.All)
        {
            File.WriteAllText(Path.Combine(_folder, split.TextFileName()), "");
            File.WriteAllText(Path.Combine(_folder, split.IndexFileName()), "");
        }
        Assert.Contains("cannot be read", Assert.ThrowsAny<UserError>(() => CorpusFolder.Open(_folder)).Message);
    }

    [Fact]
    public void Writer_refuses_to_replace_a_folder_that_is_not_a_corpus()
    {
        File.WriteAllText(Path.Combine(_folder, "notes.txt"), "mine");
        var error = Assert.ThrowsAny<UserError>(() => CorpusWriter.Create(_folder));
        Assert.Contains("holds something other than a corpus", error.Message);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(_folder, "notes.txt")));
    }
}
