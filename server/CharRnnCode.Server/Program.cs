// charrnn-server: the language server's entry point. Parses its few flags and hands stdin/stdout to the server.
using System.Reflection;

var version = typeof(Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";
if (args.Contains("--version"))
{
    Console.WriteLine($"charrnn-server {version}");
    return 0;
}
Console.Error.WriteLine("charrnn-server: the language server is not built yet.");
return 1;
