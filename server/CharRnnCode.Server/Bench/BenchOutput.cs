// What every `charrnn-server bench` measurement does around its work, in one place: a user's mistake (a missing
// checkpoint, nothing to measure) is one line on stderr and its exit code, never a stack trace; a report is the
// protocol's camelCase JSON, indented for reading, written whole or not at all. It measures nothing itself.
using System.Text.Json;
using CharRnnCode.Common;
using CharRnnCode.Server.Protocol;

namespace CharRnnCode.Server.Bench;

public static class BenchOutput
{
    private static readonly JsonSerializerOptions Indented = new(LspJson.Options) { WriteIndented = true };

    /// <summary>Runs a measurement: 0 when it completes, the error's exit code when it stops on the user's mistake.</summary>
    /// <param name="command">the command as the user typed it (`charrnn-server bench lines`), to begin the error line</param>
    public static async Task<int> RunAsync(string command, Func<Task> measure)
    {
        try
        {
            await measure();
            return 0;
        }
        catch (UserError error)
        {
            Console.Error.WriteLine($"{command}: {error.Describe(InvalidInputError.AsOption)}");
            return error.ExitCode;
        }
    }

    public static void WriteReport<T>(string path, T report) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, Indented));
}
