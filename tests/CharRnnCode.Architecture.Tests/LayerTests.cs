// The allowed arrows between the solution's projects, and the libraries each may use, checked twice: on the
// project files (what a build would link) and on the built assemblies (what the compiler actually referenced),
// plus the server's dependency closure (what its self-contained publish ships). A forbidden arrow fails with
// every offending edge named. It does not check the tests' own references: a test may reach anything.
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.Json;
using System.Xml.Linq;

namespace CharRnnCode.Architecture.Tests;

public sealed class LayerTests
{
    /// <summary>Which projects each project may reference (Common is a leaf everyone may use); a project absent here may reference nothing.</summary>
    private static readonly Dictionary<string, string[]> AllowedProjects = new()
    {
        ["CharRnnCode.Common"] = [],
        ["CharRnnCode.Corpus"] = ["CharRnnCode.Common"],
        ["CharRnnCode.Inference"] = ["CharRnnCode.Common"],
        ["CharRnnCode.Scoring"] = ["CharRnnCode.Common"],
        ["CharRnnCode.Typing"] = ["CharRnnCode.Common"],
        ["CharRnnCode.Model"] = ["CharRnnCode.Common", "CharRnnCode.Inference"],
        ["CharRnnCode.Completion"] = ["CharRnnCode.Common", "CharRnnCode.Inference", "CharRnnCode.Scoring"],
        ["CharRnnCode.Evaluation"] = ["CharRnnCode.Common", "CharRnnCode.Inference", "CharRnnCode.Model", "CharRnnCode.Scoring", "CharRnnCode.Completion", "CharRnnCode.Typing"],
        ["CharRnnCode.Server"] = ["CharRnnCode.Common", "CharRnnCode.Inference", "CharRnnCode.Scoring", "CharRnnCode.Completion", "CharRnnCode.Typing"],
        ["CharRnnCode.Cli"] =
        [
            "CharRnnCode.Common", "CharRnnCode.Corpus", "CharRnnCode.Inference", "CharRnnCode.Scoring", "CharRnnCode.Model",
            "CharRnnCode.Evaluation", "CharRnnCode.Completion", "CharRnnCode.Typing",
        ],
    };

    /// <summary>The one conditional arrow: the server's CUDA build adds the training assembly, whose TorchSharp stepper inference finds by name.</summary>
    private const string CudaOnlyArrow = "CharRnnCode.Server -> CharRnnCode.Model";

    /// <summary>Libraries (package or assembly name prefixes) a project must not use, directly or through what it references.</summary>
    private static readonly Dictionary<string, string[]> ForbiddenLibraries = new()
    {
        ["CharRnnCode.Inference"] = ["TorchSharp", "libtorch", "ScottPlot", "SkiaSharp", "LibGit2Sharp", "Microsoft.CodeAnalysis"],
        ["CharRnnCode.Model"] = ["ScottPlot", "SkiaSharp", "LibGit2Sharp", "Microsoft.CodeAnalysis"],
        ["CharRnnCode.Scoring"] = ["TorchSharp", "libtorch"],
        ["CharRnnCode.Typing"] = ["TorchSharp", "libtorch", "ScottPlot", "SkiaSharp", "LibGit2Sharp"],
        ["CharRnnCode.Completion"] = ["TorchSharp", "libtorch", "ScottPlot", "SkiaSharp", "LibGit2Sharp"],
        ["CharRnnCode.Server"] = ["TorchSharp", "libtorch", "ScottPlot", "SkiaSharp", "LibGit2Sharp"],
    };

    [Fact]
    public void Project_files_reference_only_the_allowed_projects_and_libraries()
    {
        var violations = new List<string>();
        foreach (var (name, path) in Projects())
        {
            var project = XDocument.Load(path);
            if (!AllowedProjects.TryGetValue(name, out var allowed))
            {
                violations.Add($"{name} is a project the layer table does not know; add it to LayerTests.AllowedProjects");
                continue;
            }
            foreach (var reference in project.Descendants("ProjectReference"))
            {
                var target = Path.GetFileNameWithoutExtension(reference.Attribute("Include")!.Value.Replace('\\', '/'));
                var arrow = $"{name} -> {target}";
                var condition = reference.Attribute("Condition")?.Value;
                if (allowed.Contains(target)) continue;
                if (arrow == CudaOnlyArrow && condition is not null && condition.Replace(" ", "") == "'$(TorchBackend)'=='cuda'") continue;
                violations.Add($"{arrow} (project reference{(condition is null ? "" : $" when {condition}")}) is not allowed");
            }
            var packages = project.Descendants("PackageReference").Select(p => p.Attribute("Include")!.Value).ToList();
            if (project.Descendants("UsesTorch").Any(u => u.Value.Trim() == "true")) packages.Add("TorchSharp (UsesTorch)");
            foreach (var package in packages)
                if (Forbidden(name, package) is { } library)
                    violations.Add($"{name} uses {package}, which it must not ({library})");
        }
        Assert.True(violations.Count == 0, "forbidden arrows in the project files:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void Built_assemblies_reference_only_the_allowed_assemblies()
    {
        var violations = new List<string>();
        foreach (var (name, path) in Projects())
        {
            var assembly = BuiltAssembly(name, path);
            using var stream = File.OpenRead(assembly);
            using var pe = new PEReader(stream);
            var metadata = pe.GetMetadataReader();
            var references = metadata.AssemblyReferences.Select(handle => metadata.GetString(metadata.GetAssemblyReference(handle).Name)).ToList();
            foreach (var reference in references)
            {
                var target = reference == "charrnn" ? "CharRnnCode.Cli" : reference == "charrnn-server" ? "CharRnnCode.Server" : reference;
                if (target.StartsWith("CharRnnCode.", StringComparison.Ordinal) && !AllowedProjects[name].Contains(target) && $"{name} -> {target}" != CudaOnlyArrow)
                    violations.Add($"{Path.GetFileName(assembly)} references {reference}, which {name} must not");
                if (Forbidden(name, reference) is { } library)
                    violations.Add($"{Path.GetFileName(assembly)} references {reference}, which {name} must not ({library})");
            }
            if (name == "CharRnnCode.Inference" && HasModuleInitializer(metadata))
                violations.Add($"{Path.GetFileName(assembly)} has a module initializer; inference must not run code when it loads");
        }
        Assert.True(violations.Count == 0, "forbidden arrows in the built assemblies:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void The_servers_dependency_closure_holds_no_torch_plots_or_git()
    {
        // deps.json lists everything the server loads and a publish ships, transitive references included.
        var (_, project) = Projects().Single(p => p.Name == "CharRnnCode.Server");
        var deps = Path.ChangeExtension(BuiltAssembly("CharRnnCode.Server", project), ".deps.json");
        using var document = JsonDocument.Parse(File.ReadAllText(deps));
        var libraries = document.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name.Split('/')[0]).ToList();
        var shipped = libraries.Where(l => Forbidden("CharRnnCode.Server", l) is not null || l is "CharRnnCode.Model" or "CharRnnCode.Corpus" or "CharRnnCode.Evaluation").ToList();
        Assert.True(shipped.Count == 0, $"{deps} lists {string.Join(", ", shipped)}");
        Assert.Contains("CharRnnCode.Inference", libraries);
    }

    private static string? Forbidden(string project, string library) =>
        ForbiddenLibraries.TryGetValue(project, out var forbidden)
            ? forbidden.FirstOrDefault(prefix => library.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            : null;

    private static bool HasModuleInitializer(MetadataReader metadata) =>
        metadata.CustomAttributes.Select(metadata.GetCustomAttribute).Any(attribute =>
            attribute.Constructor.Kind == HandleKind.MemberReference &&
            metadata.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent is { Kind: HandleKind.TypeReference } parent &&
            metadata.GetString(metadata.GetTypeReference((TypeReferenceHandle)parent).Name) == "ModuleInitializerAttribute");

    /// <summary>Every product project (src/ and server/), by project name.</summary>
    private static IEnumerable<(string Name, string Path)> Projects()
    {
        var root = Repository.Root();
        return new[] { "src", "server" }
            .SelectMany(folder => Directory.GetFiles(Path.Combine(root, folder), "*.csproj", SearchOption.AllDirectories))
            .Where(path => !path.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !path.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"))
            .Select(path => (Path.GetFileNameWithoutExtension(path), path))
            .OrderBy(p => p.Item1, StringComparer.Ordinal);
    }

    /// <summary>The project's assembly as this configuration built it (the tests run after the solution's build).</summary>
    private static string BuiltAssembly(string name, string projectPath)
    {
        var project = XDocument.Load(projectPath);
        var assemblyName = project.Descendants("AssemblyName").FirstOrDefault()?.Value ?? name;
        // This test runs from tests/<project>/bin/<configuration>/<framework>/; the product was built the same way.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(Path.GetDirectoryName(projectPath)!, "bin", framework.Parent!.Name, framework.Name, assemblyName + ".dll");
        Assert.True(File.Exists(path), $"{path} is missing; build the solution (dotnet build CharRnnCode.sln -c {framework.Parent.Name}) before this test");
        return path;
    }
}
