// Runs an optimizer step with no garbage collection inside it. TorchSharp's optimizers (and its tensor
// operators) convert plain numbers to Scalars implicitly and pass the Scalar's native handle to libtorch
// without keeping the Scalar alive; a collection during that native call lets the finalizer thread free
// the Scalar while libtorch reads it: "Unknown scalar type" from AdamW's add_, or a corrupted heap that
// aborts the process later. A no-collection region closes that window for the whole process, whichever
// thread allocates. Starting one collects first (about 0.1 ms beside a training step of milliseconds to
// seconds). It does not make other TorchSharp calls safe; the step is where the implicit Scalars are.
using System.Runtime;

namespace CharRnnCode.Model.Runtime;

public static class ScalarSafeRegion
{
    /// <summary>What the process may allocate inside the region, every thread together; past it a collection runs after all.</summary>
    private const long AllocationBudget = 16L << 20;

    /// <summary>Runs <paramref name="work"/> with no garbage collection inside it (see the file's header).</summary>
    public static void Run(Action work)
    {
        var started = GC.TryStartNoGCRegion(AllocationBudget);
        try
        {
            work();
        }
        finally
        {
            // Allocating past the budget ends the region early: there is then nothing to end.
            if (started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
        }
    }
}
