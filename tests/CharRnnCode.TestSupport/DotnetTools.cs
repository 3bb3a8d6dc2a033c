// One of the solution's programs packed as a .NET tool (`dotnet pack`) into a test's folder and installed from
// there (`dotnet tool install --tool-path`), as a user installs it from a local folder. It does not run the
// installed command (the tests do) and does not remove the folder.
using System.Diagnostics;
using System.Reflection;

namespace CharRnnCode.TestSupport;

/// <param name="Project">the project file, relative to the repository root</param>
/// <param name="PackageId">the tool package that `dotnet tool install` asks for</param>
/// <param name="CommandName">the command the package installs</param>
/// <param name="Build">false: pack what building the tests already built (--no-build); true: let pack build what it
/// needs, as a platform-specific tool package does (its platform's build is not one the tests make)</param>
public sealed record ToolPackage(string Project, string PackageId, string CommandName, bool Build);

/// <param name="ToolPath">the --tool-path folder: the command's launcher, and the installed package under .store</param>
/// <param name="Command">the launcher `dotnet tool install` put in <paramref name="ToolPath"/></param>
/// <param name="PackageFiles">the .nupkg files that `dotnet pack` wrote</param>
public sealed record InstalledTool(string ToolPath, string Command, IReadOnlyList<string> PackageFiles)
{
    /// <summary>Where the installed program runs from (its AppContext.BaseDirectory): the folder of <paramref name="assemblyFile"/> in the store.</summary>
    public string ProgramFolder(string assemblyFile) =>
        Path.GetDirectoryName(Directory.EnumerateFiles(Path.Combine(ToolPath, ".store"), assemblyFile, SearchOption.AllDirectories).Single())!;

    /// <summary>Runs the installed command to its end (at most 3 minutes) in <paramref name="workingDirectory"/>.</summary>
    public ToolRun Run(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(Command, arguments) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Command} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Command} {string.Join(' ', arguments)} did not finish in 3 minutes");
        }
        return new ToolRun(process.ExitCode, output.Result, errors.Result);
    }
}

public sealed record ToolRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}

public static class DotnetTools
{
    /// <summary>The configuration these tests were built in, so the programs beside them were too.</summary>
    public static string Configuration =>
        typeof(DotnetTools).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";

    public static InstalledTool PackAndInstall(ToolPackage package, string folder)
    {
        var root = RepositoryRoot();
        var packages = Path.Combine(folder, "packages");
        // No build server may outlive the command: it would hold the test process's output pipes open.
        List<string> pack = ["pack", Path.Combine(root, package.Project), "-c", Configuration, "-o", packages, "--disable-build-servers", "--nologo", "-v", "q"];
        if (!package.Build) pack.Add("--no-build");
        Run(pack, root);

        // Only the folder just packed: the test installs what it packed, never a package of the same name from a registry.
        var config = Path.Combine(folder, "nuget.config");
        File.WriteAllText(config, $"""
            <configuration>
              <packageSources>
                <clear />
                <add key="packed" value="{packages}" />
              </packageSources>
            </configuration>
            """);
        var toolPath = Path.Combine(folder, "tools");
        // Detailed: an install that fails has been seen to exit 1 with nothing on stdout or stderr at the default verbosity.
        Run(["tool", "install", "--tool-path", toolPath, "--configfile", config, "--verbosity", "detailed", package.PackageId], folder);
        return new InstalledTool(toolPath, Path.Combine(toolPath, package.CommandName), Directory.GetFiles(packages, "*.nupkg"));
    }

    /// <summary>The folder that holds CharRnnCode.sln, above the tests' own folder.</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "CharRnnCode.sln"))) return directory.FullName;
        throw new InvalidOperationException("CharRnnCode.sln not found above the test's folder.");
    }

    /// <summary>Runs `dotnet` with <paramref name="arguments"/> to its end (at most 5 minutes); an exit other than 0 throws with its output.</summary>
    public static void Run(IEnumerable<string> arguments, string workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', start.ArgumentList)} did not finish in 5 minutes");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"dotnet {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}:\n{output.Result}\n{errors.Result}");
    }
}
