// Opening a repository runs none of its code unless the client says the workspace is trusted. A real,
// restored project whose targets run commands (an Exec before CoreCompile and one after
// ResolveAssemblyReferences, each creating a file in a folder outside the workspace) is opened by the
// built server as its own process over stdio. Initialized as a bare client initializes it (no trust
// option), it loads the workspace, answers a completion, and no file appears; the project's NuGet package
// is known to Roslyn all the same (after `JsonConvert.Seri` every member goes on with "alize", which the
// constraint can only know from the package). When trust is granted afterwards (workspace/didChangeConfiguration
// with trustedWorkspace true), MSBuild's design-time build runs and the targets' files appear: the gate is
// the only thing that kept them away.
using System.Diagnostics;

namespace CharRnnCode.Server.Tests.EndToEnd;

public sealed class WorkspaceTrustTests : IDisposable
{
    private readonly string _workspace = Directory.CreateTempSubdirectory("charrnn-hostile-").FullName;
    private readonly string _markers = Directory.CreateTempSubdirectory("charrnn-hostile-markers-").FullName;

    private string BeforeCompileMarker => Path.Combine(_markers, "before-core-compile");
    private string AfterReferencesMarker => Path.Combine(_markers, "after-resolve-assembly-references");

    private void WriteHostileProject()
    {
        File.WriteAllText(Path.Combine(_workspace, "Hostile.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><TargetFramework>net10.0</TargetFramework><OutputType>Library</OutputType></PropertyGroup>
              <ItemGroup><PackageReference Include="Newtonsoft.Json" Version="13.0.3" /></ItemGroup>
              <Target Name="P" BeforeTargets="CoreCompile"><Exec Command="touch {BeforeCompileMarker}" /></Target>
              <Target Name="Q" AfterTargets="ResolveAssemblyReferences"><Exec Command="touch {AfterReferencesMarker}" /></Target>
            </Project>
            """);
        File.WriteAllText(Path.Combine(_workspace, "Totals.cs"), "namespace Hostile;\n\npublic static class Totals\n{\n    public static int Sum(int[] values) => values.Sum();\n}\n");
        DotnetTools.Run(["restore", _workspace], _workspace);
        Assert.True(File.Exists(Path.Combine(_workspace, "obj", "project.assets.json")), "the restore wrote no assets file");
        // The restore itself runs neither target; otherwise the checks below would prove nothing.
        Assert.Empty(Directory.EnumerateFiles(_markers));
    }

    [SlowFact]
    public async Task Untrusted_nothing_runs_and_the_package_is_still_known_then_trust_lets_ms_build_run_the_targets()
    {
        WriteHostileProject();
        using var server = new ServerProcess(ServerProcess.BuiltServer);
        var client = server.Client;
        // No trustedWorkspace: what any LSP client that knows nothing of it gets.
        await client.InitializeAsync(new { checkpoint = "", seed = 1, temperature = 0, rerank = false, timeBudgetMs = 10_000, constrainWaitMs = 10_000 },
            rootUri: new Uri(_workspace).AbsoluteUri);
        await client.WaitForStatusAsync(s => s.GetProperty("state").GetString() == "ready" && s.GetProperty("workspaceLoaded").GetBoolean(), TimeSpan.FromMinutes(2));

        var snippet = CaretSnippet.Parse("using Newtonsoft.Json;\nnamespace Hostile;\nclass Program\n{\n    string M(object o)\n    {\n        return JsonConvert.Seri{|caret:|}\n    }\n}\n");
        var uri = new Uri(Path.Combine(_workspace, "Program.cs")).AbsoluteUri;
        await client.OpenAsync(uri, snippet.Text);
        var items = (await client.InlineCompletionAsync(uri, snippet.Position)).GetProperty("items");
        Assert.True(items.GetArrayLength() > 0, "no completion was served");
        Assert.StartsWith("alize", items[0].GetProperty("insertText").GetString(), StringComparison.Ordinal);

        // MSBuild would have run both targets by now (the workspace load, references included, is done).
        Assert.False(File.Exists(BeforeCompileMarker), "a target hooked before CoreCompile ran in an untrusted workspace");
        Assert.False(File.Exists(AfterReferencesMarker), "a target hooked after ResolveAssemblyReferences ran in an untrusted workspace");

        // The user trusts the workspace: now MSBuild's design-time build may run, and with it the targets.
        await client.NotifyAsync(Methods.DidChangeConfiguration, new { settings = new { trustedWorkspace = true } });
        for (var clock = Stopwatch.StartNew(); clock.Elapsed < TimeSpan.FromMinutes(3) && !(File.Exists(BeforeCompileMarker) && File.Exists(AfterReferencesMarker));)
            await Task.Delay(200);
        Assert.True(File.Exists(AfterReferencesMarker), "trusted, MSBuild's design-time build did not run the project's targets");
        Assert.True(File.Exists(BeforeCompileMarker), "trusted, MSBuild's design-time build did not run the target before CoreCompile");
        await client.WaitForStatusAsync(s => s.GetProperty("workspaceLoaded").GetBoolean(), TimeSpan.FromMinutes(2));
        await server.ShutdownAsync();
    }

    public void Dispose() => TemporaryFolders.Remove(_workspace, _markers);
}
