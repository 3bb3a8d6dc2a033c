// charrnn-server: the language server's entry point. Parses its few flags, then serves LSP on
// stdin/stdout until `exit`; `charrnn-server bench ...` is handed to the benchmarks (Bench/BenchCommand).
using CharRnnCode.Inference.Checkpoints;
using CharRnnCode.Server;
using CharRnnCode.Server.Bench;
using CharRnnCode.Server.Features.Configuration;
using CharRnnCode.Server.Features.Lifecycle;

const string usage = """
    Usage: charrnn-server [--checkpoint PATH] [--log FILE]    serve LSP on stdin/stdout
           charrnn-server bench --checkpoint PATH [--file FILE.cs] [--requests N] [--repeats N] [--out FILE.json]
           charrnn-server bench lines --checkpoint PATH --repo DIR [--requests N] [--seed N] [--out FILE.json]
           charrnn-server bench first-request --checkpoint PATH --files DIR [--requests N] [--seed N] [--trigger invoked|automatic] [--out FILE.json]
           charrnn-server bench cost --checkpoint PATH [--requests N] [--repeats N] [--workspace DIR] [--out FILE.json]
           charrnn-server bench typing --repo DIR [--lines N] [--checkpoint PATH] [--hold-out] [--out FILE.json]
           charrnn-server bench [lines|first-request|cost|typing] --help    every option of a benchmark
           charrnn-server --version
    """;

if (args.Contains("--version"))
{
    Console.WriteLine($"charrnn-server {ServerInfoVersion.Current}");
    return 0;
}
// A benchmark's own --help lists its options with their descriptions.
if (args is ["bench", .. var benchArguments])
    return await BenchCommand.RunAsync(benchArguments);
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(usage);
    return 0;
}

string? checkpoint = null, logPath = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--checkpoint" when i + 1 < args.Length: checkpoint = args[++i]; break;
        case "--log" when i + 1 < args.Length: logPath = args[++i]; break;
        case "--stdio": break; // what vscode-languageclient passes for the stdio transport
        default:
            Console.Error.WriteLine($"charrnn-server: unknown argument '{args[i]}'.\n{usage}");
            return 2;
    }
}

// Editors start the server with no arguments; CHARRNN_SERVER_LOG asks for the log file without touching their settings.
logPath ??= Environment.GetEnvironmentVariable("CHARRNN_SERVER_LOG") is { Length: > 0 } fromEnvironment ? fromEnvironment : null;
using var log = new ServerLog(logPath, Console.Error);
log.Info($"charrnn-server {ServerInfoVersion.Current} starting (pid {Environment.ProcessId})");
// A configured checkpoint (this flag, initializationOptions, a settings change) always wins over the default model.
var settings = new ServerSettings { Checkpoint = checkpoint, DefaultCheckpoint = DefaultModel.BesideProgram() };
using var server = new LanguageServer(Console.OpenStandardInput(), Console.OpenStandardOutput(), settings, log);
var exitCode = await server.RunAsync();
log.Info($"charrnn-server exiting with {exitCode}");
return exitCode;
