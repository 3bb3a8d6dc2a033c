// The idle trim: after the client has been quiet for IdleAfter, and only when enough was allocated since
// the last trim, one aggressive collection runs and says so in the log; never while a message is handled.
// Real time: each test waits a few seconds for the timer.
using CharRnnCode.Server.Threading;

namespace CharRnnCode.Server.Tests.Threading;

public sealed class IdleMemoryTrimmerTests
{
    private static readonly TimeSpan Wait = IdleMemoryTrimmer.IdleAfter + TimeSpan.FromSeconds(2);

    [Fact]
    public async Task After_a_quiet_period_one_trim_gives_memory_back_and_logs_it()
    {
        var logPath = Path.Combine(Path.GetTempPath(), $"charrnn-idle-{Guid.NewGuid():N}.log");
        try
        {
            using (var log = new ServerLog(logPath, null))
            using (var trimmer = new IdleMemoryTrimmer(log))
            {
                trimmer.Enter();
                Allocate(64 << 20);   // what a burst of completions allocates
                trimmer.Leave();
                await Task.Delay(Wait);
                Assert.Equal(1, trimmer.Trims);
                await Task.Delay(TimeSpan.FromSeconds(2));
                Assert.Equal(1, trimmer.Trims);   // quiet, but nothing new was allocated: no second trim
            }
            Assert.Matches(@"idle: gave back -?\d+ MB \(resident \d+ MB\)", await File.ReadAllTextAsync(logPath));
        }
        finally
        {
            File.Delete(logPath);
        }
    }

    [Fact]
    public async Task No_trim_runs_while_a_message_is_being_handled()
    {
        using var trimmer = new IdleMemoryTrimmer(ServerLog.None);
        trimmer.Enter();
        Allocate(64 << 20);
        await Task.Delay(Wait);
        Assert.Equal(0, trimmer.Trims);
        trimmer.Leave();
    }

    private static void Allocate(long bytes)
    {
        for (long done = 0; done < bytes; done += 1 << 16) GC.KeepAlive(new byte[1 << 16]);
    }
}
