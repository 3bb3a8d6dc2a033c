// Ctrl+C (SIGINT) and SIGTERM (kill, systemd, a container stop) both ask a long verb to stop cleanly:
// training validates and saves, a harvest stops between files and deletes its staging folder, instead of
// the process dying with half its work lost.
using System.Runtime.InteropServices;

namespace CharRnnCode.Cli;

internal static class Interrupts
{
    /// <summary>A token that SIGINT and SIGTERM cancel, linked to <paramref name="outer"/>; dispose the registrations when done.</summary>
    public static CancellationTokenSource CancelOnSignals(CancellationToken outer, out IDisposable registrations)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            source.Cancel();
        }
        registrations = new Registrations(PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel));
        return source;
    }

    private sealed class Registrations(params IDisposable[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var item in items) item.Dispose();
        }
    }
}
