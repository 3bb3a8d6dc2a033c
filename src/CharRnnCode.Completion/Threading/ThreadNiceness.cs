// Lowers the scheduling priority of the calling thread, so that work which must never slow a
// completion (encoding ahead, Roslyn's preparation) yields the CPU to the model thread on a small
// machine. On Linux that is the thread's nice value (setpriority on its thread id), which any user may
// raise; elsewhere .NET's thread priority. Failure to lower is harmless and not reported.
using System.Runtime.InteropServices;

namespace CharRnnCode.Completion.Threading;

public static class ThreadNiceness
{
    private const int PrioProcess = 0;

    /// <summary>Makes the calling thread nicer: <paramref name="niceness"/> from 1 to 19 on Linux.</summary>
    public static void LowerCurrentThread(int niceness)
    {
        try
        {
            if (OperatingSystem.IsLinux())
            {
                SetPriority(PrioProcess, GetThreadId(), niceness);
                return;
            }
            Thread.CurrentThread.Priority = niceness >= 10 ? ThreadPriority.Lowest : ThreadPriority.BelowNormal;
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or PlatformNotSupportedException) { }
    }

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int priority);

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetThreadId();
}
