// The version string `charrnn --version` prints: the product version and the informational suffix.
using System.Reflection;

namespace CharRnnCode.Cli;

internal static class VersionInfo
{
    public static string Text =>
        typeof(VersionInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(VersionInfo).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
