// The optimizer step's no-collection region: no collection starts inside it, it ends after the work
// (also when the work throws or allocates past the budget), and the trainer still trains through it.
// Alone in its collection: other tests' allocations count against the process-wide budget.
using System.Runtime;
using CharRnnCode.Model.Runtime;

namespace CharRnnCode.Model.Tests.Runtime;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScalarSafeRegionCollection
{
    public const string Name = "no-collection region";
}

[Collection(ScalarSafeRegionCollection.Name)]
public sealed class ScalarSafeRegionTests
{
    [Fact]
    public void No_collection_starts_inside_the_region_and_the_region_ends_with_the_work()
    {
        var collectionsInside = -1;
        var modeInside = GCLatencyMode.Batch;
        ScalarSafeRegion.Run(() =>
        {
            modeInside = GCSettings.LatencyMode;
            var before = GC.CollectionCount(0);
            for (var i = 0; i < 1000; i++) GC.KeepAlive(new byte[1000]);    // 1 MB, well inside the budget
            collectionsInside = GC.CollectionCount(0) - before;
        });
        Assert.Equal(GCLatencyMode.NoGCRegion, modeInside);
        Assert.Equal(0, collectionsInside);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void Work_that_throws_or_allocates_past_the_budget_still_leaves_no_region_behind()
    {
        Assert.Throws<InvalidOperationException>(() => ScalarSafeRegion.Run(() => throw new InvalidOperationException("from the work")));
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);

        ScalarSafeRegion.Run(() =>
        {
            for (var i = 0; i < 64; i++) GC.KeepAlive(new byte[1 << 20]);   // 64 MB: the region ends early
        });
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        ScalarSafeRegion.Run(() => { });                                       // and a new one starts
    }
}
