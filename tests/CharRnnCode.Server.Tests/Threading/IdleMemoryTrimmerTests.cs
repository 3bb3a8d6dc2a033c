// The idle trim: after the client has been quiet for IdleAfter, and only when enough was allocated since
// the last trim, one aggressive collection runs and says so in the log; never while a message is handled.
// The clock is a fake one and the allocation counter the test's own: other tests in this process
// allocate and take time too, and must not decide whether a trim runs here.
using CharRnnCode.Server.Threading;
using Microsoft.Extensions.Time.Testing;

namespace CharRnnCode.Server.Tests.Threading;

public sealed class IdleMemoryTrimmerTests
{
    private const long Megabyte = 1L << 20;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    private sealed class Clocked
    {
        public FakeTimeProvider Time { get; } = new();
        public long Allocated { get; set; }
    }

    [Fact]
    public void After_a_quiet_period_one_trim_gives_memory_back_and_logs_it()
    {
        var logPath = Path.Combine(Path.GetTempPath(), $"charrnn-idle-{Guid.NewGuid():N}.log");
        try
        {
            var clocked = new Clocked();
            using (var log = new ServerLog(logPath, null))
            using (var trimmer = new IdleMemoryTrimmer(log, clocked.Time, () => clocked.Allocated))
            {
                trimmer.Enter();
                clocked.Allocated += 64 * Megabyte;   // what a burst of completions allocates
                clocked.Time.Advance(Second);
                trimmer.Leave();
                clocked.Time.Advance(Second);
                Assert.Equal(0, trimmer.Trims);        // quiet for 1 s only
                clocked.Time.Advance(2 * Second);
                Assert.Equal(1, trimmer.Trims);
                clocked.Time.Advance(10 * Second);
                Assert.Equal(1, trimmer.Trims);        // still quiet, but nothing new was allocated: no second trim
            }
            Assert.Matches(@"idle: gave back -?\d+ MB \(resident \d+ MB\)", File.ReadAllText(logPath));
        }
        finally
        {
            File.Delete(logPath);
        }
    }

    [Fact]
    public void No_trim_runs_while_a_message_is_being_handled()
    {
        var clocked = new Clocked();
        using var trimmer = new IdleMemoryTrimmer(ServerLog.None, clocked.Time, () => clocked.Allocated);
        trimmer.Enter();
        clocked.Allocated += 64 * Megabyte;
        clocked.Time.Advance(30 * Second);
        Assert.Equal(0, trimmer.Trims);
        trimmer.Leave();
        clocked.Time.Advance(3 * Second);
        Assert.Equal(1, trimmer.Trims);
    }

    [Fact]
    public void Each_quiet_period_trims_again_only_after_enough_new_allocation()
    {
        var clocked = new Clocked();
        using var trimmer = new IdleMemoryTrimmer(ServerLog.None, clocked.Time, () => clocked.Allocated);
        clocked.Allocated += 8 * Megabyte;     // too little to pay for the pause
        clocked.Time.Advance(5 * Second);
        Assert.Equal(0, trimmer.Trims);
        clocked.Allocated += 10 * Megabyte;    // 18 MB since the start
        clocked.Time.Advance(Second);
        Assert.Equal(1, trimmer.Trims);

        trimmer.Enter();
        clocked.Allocated += 20 * Megabyte;
        trimmer.Leave();
        clocked.Time.Advance(Second);
        Assert.Equal(1, trimmer.Trims);        // not quiet long enough yet
        clocked.Time.Advance(2 * Second);
        Assert.Equal(2, trimmer.Trims);
    }
}
