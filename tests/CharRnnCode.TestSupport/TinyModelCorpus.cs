// The one generated C# corpus that the tests' tiny model learns, and the real harvest that makes a corpus
// folder of generated files. Small, regular classes (a field, an Add method that updates it and writes it
// with Console.WriteLine, a Get method that returns it): a 1x32 LSTM learns their indentation, braces and
// lines by heart in seconds, which is what tests that expect it to write its corpus back rely on. Its
// characters are all the tests may assume the tiny model knows. It does not train (SharedTinyModel does).
using System.Text;
using CharRnnCode.Corpus;
using LibGit2Sharp;

namespace CharRnnCode.TestSupport;

public static class TinyModelCorpus
{
    private static readonly string[] Nouns = ["Counter", "Buffer", "Parser", "Reader", "Writer", "Cache", "Queue", "Index"];
    private static readonly string[] Fields = ["count", "total", "size", "offset", "length", "limit"];

    /// <summary><paramref name="count"/> classes, each a whole C# file: the class name (a noun and its index) and the text, the same for the same seed.</summary>
    public static IEnumerable<(string ClassName, string Text)> Classes(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var name = Nouns[random.Next(Nouns.Length)] + i;
            var field = Fields[random.Next(Fields.Length)];
            yield return (name, $$"""
                using System;

                namespace Demo
                {
                    public class {{name}}
                    {
                        private int {{field}};

                        public void Add(int value)
                        {
                            {{field}} = {{field}} + value;
                            Console.WriteLine({{field}});
                        }

                        public int Get()
                        {
                            return {{field}};
                        }
                    }
                }

                """.Replace("\r\n", "\n"));
        }
    }

    /// <summary>The classes of <see cref="Classes"/> as one text, one after the other: a document of any length for editor tests.</summary>
    public static string CSharp(int seed, int classes)
    {
        var text = new StringBuilder();
        foreach (var (_, source) in Classes(seed, classes)) text.Append(source);
        return text.ToString();
    }

    /// <summary>A git repository of <paramref name="files"/> (path, text) under <paramref name="root"/>, harvested by the
    /// real harvester into root/corpus (a fifth of the files for validation, a fifth for test); returns the corpus folder.</summary>
    public static string HarvestedCorpus(string root, IEnumerable<(string Path, string Text)> files)
    {
        var repository = Path.Combine(root, "repo");
        Repository.Init(repository);
        using (var repo = new Repository(repository))
        {
            foreach (var (relative, text) in files)
            {
                var path = Path.Combine(repository, relative);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllText(path, text);
            }
            Commands.Stage(repo, "*");
            var author = new Signature("test", "test@example.com", DateTimeOffset.UnixEpoch);
            repo.Commit("files", author, author);
        }
        var corpus = Path.Combine(root, "corpus");
        new Harvester(new HarvestOptions { ValFraction = 0.2, TestFraction = 0.2 },
            new HarvestRuntime { CacheDirectory = Path.Combine(root, "cache"), Threads = 1, Progress = SilentProgress.Instance })
            .Run([RepositorySpec.Parse(repository, id: "demo")], corpus);
        return corpus;
    }
}
