// The harvest's parts on their own: globs, repository names, normalisation, license names, recipes.
using System.Text;
using CharRnnCode.Common;

namespace CharRnnCode.Corpus.Tests;

public sealed class PartsTests
{
    [Theory]
    [InlineData("*.cs", "a.cs", true)]
    [InlineData("*.cs", "src/deep/a.cs", true)]
    [InlineData("*.cs", "a.csx", false)]
    [InlineData("src/*.cs", "src/a.cs", true)]
    [InlineData("src/*.cs", "src/x/a.cs", false)]
    [InlineData("src/**/*.cs", "src/x/y/a.cs", true)]
    [InlineData("src/**/*.cs", "src/a.cs", true)]
    [InlineData("docs/", "docs/a/b.md", true)]
    [InlineData("*.{c,h}", "lib/x.h", true)]
    [InlineData("t?st.c", "test.c", true)]
    [InlineData("t?st.c", "t/st.c", false)]
    public void Globs_follow_gitignore_rules(string pattern, string path, bool matches) =>
        Assert.Equal(matches, new PathGlob(pattern).IsMatch(path));

    [Fact]
    public void Repository_names_are_parsed()
    {
        Assert.Equal(("torvalds/linux", "https://github.com/torvalds/linux.git", false), Describe(RepositorySpec.Parse("torvalds/linux")));
        Assert.Equal(("gitlab.com/a/b", "https://gitlab.com/a/b.git", false), Describe(RepositorySpec.Parse("https://gitlab.com/a/b.git")));
        Assert.Equal(("mono/mono", "git@github.com:mono/mono.git", false), Describe(RepositorySpec.Parse("git@github.com:mono/mono.git")));
        Assert.Equal(("r", "file:///tmp/x/r.git", false), Describe(RepositorySpec.Parse("file:///tmp/x/r.git")));
        var local = Path.GetTempPath();
        Assert.True(RepositorySpec.Parse(local).IsLocal);
        Assert.ThrowsAny<UserError>(() => RepositorySpec.Parse("./no/such/folder"));
    }

    private static (string, string, bool) Describe(RepositorySpec spec) => (spec.Id, spec.Url, spec.IsLocal);

    [Theory]
    [InlineData("a\r\nb\r\n\r\n", "a\nb\n", 1)]
    [InlineData("\uFEFFx", "x\n", 1)]
    [InlineData("a\rb\r", "a\nb\n", 1)]
    [InlineData("\n\r\n", "", 0)]
    [InlineData("long line\nx", "long line\nx\n", 9)]
    public void Normalisation_folds_line_endings_and_trailing_newlines(string input, string expected, int longest)
    {
        var (buffer, length, longestLine) = SourceText.Normalise(Encoding.UTF8.GetBytes(input), latin1: false);
        Assert.Equal((expected, longest), (Encoding.UTF8.GetString(buffer, 0, length), longestLine));
    }

    [Theory]
    [InlineData("Permission is hereby granted, free of charge, to any person", "MIT")]
    [InlineData("Apache License\nVersion 2.0, January 2004", "Apache-2.0")]
    [InlineData("GNU GENERAL PUBLIC LICENSE\nVersion 2, June 1991", "GPL-2.0")]
    [InlineData("Redistribution and use in source and binary forms ... Neither the name", "BSD-3-Clause")]
    [InlineData("All rights reserved.", null)]
    public void Well_known_licenses_are_named(string text, string? spdx) => Assert.Equal(spdx, LicenseDetector.Identify(text));

    [Fact]
    public void Recipe_resolves_local_paths_against_its_folder()
    {
        var folder = Directory.CreateTempSubdirectory("charrnn-recipe").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "repo"));
            Directory.CreateDirectory(Path.Combine(folder, "corpora"));
            var file = Path.Combine(folder, "corpora", "x.json");
            File.WriteAllText(file, """
                { // comments are allowed
                  "lang": ["c"], "val": 0.1, "test": 0.2, "sampleFiles": 0.5,
                  "repositories": [ { "repo": "../repo", "id": "mine", "rev": "v1", "include": ["src/**"], "exclude": ["*.h"], "license": "MIT" }, { "repo": "torvalds/linux" } ]
                }
                """);
            var recipe = HarvestRecipe.Load(file);
            var specs = recipe.Specs();
            Assert.Equal(["c"], recipe.Lang);
            Assert.Equal((Path.Combine(folder, "repo"), "mine", "v1", true), (specs[0].Url, specs[0].Id, specs[0].Revision, specs[0].IsLocal));
            Assert.Equal(["src/**"], specs[0].Include);
            Assert.Equal(("MIT", null), (specs[0].DeclaredLicense, specs[1].DeclaredLicense));
            Assert.Equal((0.1, 0.2, 0.5), (recipe.Val, recipe.Test, recipe.SampleFiles));
            Assert.Equal("https://github.com/torvalds/linux.git", specs[1].Url);
            Assert.Equal("v2", recipe.Specs("v2")[1].Revision);
            File.WriteAllText(file, """{ "repositories": [], "unknown": 1 }""");
            Assert.ThrowsAny<UserError>(() => HarvestRecipe.Load(file));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Project_recipes_load()
    {
        var corpora = Path.Combine(FindRepositoryRoot(), "corpora");
        foreach (var file in Directory.GetFiles(corpora, "*.json"))
        {
            var recipe = HarvestRecipe.Load(file);
            // A recipe over local sources that are not unpacked yet names the command that unpacks them.
            try { Assert.NotEmpty(recipe.Specs()); }
            catch (UserError missing) when (recipe.Prepare is not null) { Assert.EndsWith($"put in place by: {recipe.Prepare}", missing.Message); }
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "CharRnnCode.sln"))) return folder.FullName;
        throw new InvalidOperationException("the solution folder is not above the test binaries");
    }
}
