// TorchSharp's random generator and thread count are process-wide: tests that train must not run
// side by side, or seeded runs stop being reproducible.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
