// Whether the process that left a temporary file or staging folder (its id is in the name) still runs:
// leftovers of a live writer are in use, those of a dead one are garbage to remove.
namespace CharRnnCode.Common;

public static class ProcessLiveness
{
    /// <summary>True for this process and any other that exists and has not exited (a reused id counts as running).</summary>
    public static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }
}
