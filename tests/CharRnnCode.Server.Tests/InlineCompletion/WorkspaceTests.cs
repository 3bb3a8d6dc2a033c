// Roslyn sees the workspace, not just the open file: a real folder with a restored project that
// references a NuGet package (Newtonsoft.Json) and a second source file that is never opened. Through
// the real server with a real 2x256 model and constrained decoding, a member of the package's type and
// a member of the unopened file's class are completed as Roslyn knows them. Properties, not the model's
// text: after `JsonConvert.Seri` every member goes on with "alize"; after `Totals.Comp` the only one is
// ComputeGrandSum (a name the test model can spell: its corpus has no capital T).
namespace CharRnnCode.Server.Tests.InlineCompletion;

[Collection(UserSizedCheckpointCollection.Name)]
public sealed class WorkspaceTests(UserSizedCheckpoint checkpoint) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("charrnn-workspace-").FullName;

    private void WriteProject()
    {
        File.WriteAllText(Path.Combine(_folder, "Demo.csproj"), """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><OutputType>Library</OutputType></PropertyGroup>
              <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_folder, "Totals.cs"), "namespace Demo;\n\npublic static class Totals\n{\n    public static int ComputeGrandSum(int[] values) => values.Sum();\n}\n");
        DotnetTools.Run(["restore", _folder], _folder);
    }

    private async Task<string> CompleteAsync(string marked)
    {
        var snippet = CaretSnippet.Parse(marked);
        await using var server = await ReadyServer.StartAsync(new { checkpoint = checkpoint.Path, temperature = 0, rerank = false, timeBudgetMs = 2000, constrainWaitMs = 10_000 },
            rootUri: new Uri(_folder).AbsoluteUri, warmReranker: true);
        Assert.Equal(1, await server.Context.WorkspaceLoading);
        var result = await server.OpenAndCompleteAsync(new Uri(Path.Combine(_folder, "Program.cs")).AbsoluteUri, snippet.Text, snippet.Position);
        Assert.True(server.LastTrace.Constrained);
        return ReadyServer.FirstText(result);
    }

    [SlowFact]
    public async Task A_packages_type_and_an_unopened_files_class_are_known_to_the_constraint()
    {
        WriteProject();
        var package = await CompleteAsync("using Newtonsoft.Json;\nnamespace Demo;\nclass Program\n{\n    string M(object o)\n    {\n        return JsonConvert.Seri{|caret:|}\n    }\n}\n");
        Assert.StartsWith("alize", package, StringComparison.Ordinal);
        var unopened = await CompleteAsync("namespace Demo;\nclass Program\n{\n    int M(int[] values)\n    {\n        return Totals.Comp{|caret:|}\n    }\n}\n");
        Assert.StartsWith("uteGrandSum", unopened, StringComparison.Ordinal);
    }

    public void Dispose() => TemporaryFolders.Remove(_folder);
}
