// The two test tiers. A plain `dotnet test` runs the fast tier: no model bigger or trained longer than the shared
// tiny model, no package installs. The slow tier (2x256 models, real long training, packing and installing the
// tools, the npm client) is marked [SlowFact] or [SlowTheory] and runs only when the environment variable
// RUN_SLOW_TESTS is 1 (tests/run-all.sh sets it); otherwise its tests are reported as skipped, with the reason.
// Slow tests also carry the trait Tier=Slow, so `RUN_SLOW_TESTS=1 dotnet test --filter Tier=Slow` runs only them.
using Xunit;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace CharRnnCode.TestSupport;

public static class SlowTests
{
    /// <summary>The switch: this variable set to 1 runs the slow tier.</summary>
    public const string Variable = "RUN_SLOW_TESTS";

    /// <summary>What a skipped slow test says.</summary>
    public const string SkipReason = "slow tier: runs only with RUN_SLOW_TESTS=1 (tests/run-all.sh sets it)";

    /// <summary>Whether this process runs the slow tier.</summary>
    public static bool Enabled => Environment.GetEnvironmentVariable(Variable) == "1";
}

/// <summary>A fact of the slow tier: skipped unless RUN_SLOW_TESTS=1; trait Tier=Slow.</summary>
[TraitDiscoverer("CharRnnCode.TestSupport.SlowTierTraitDiscoverer", "CharRnnCode.TestSupport")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SlowFactAttribute : FactAttribute, ITraitAttribute
{
    public SlowFactAttribute()
    {
        if (!SlowTests.Enabled) Skip = SlowTests.SkipReason;
    }
}

/// <summary>A theory of the slow tier: skipped unless RUN_SLOW_TESTS=1; trait Tier=Slow.</summary>
[TraitDiscoverer("CharRnnCode.TestSupport.SlowTierTraitDiscoverer", "CharRnnCode.TestSupport")]
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SlowTheoryAttribute : TheoryAttribute, ITraitAttribute
{
    public SlowTheoryAttribute()
    {
        if (!SlowTests.Enabled) Skip = SlowTests.SkipReason;
    }
}

/// <summary>The trait Tier=Slow of [SlowFact] and [SlowTheory] (xunit finds it by name, through TraitDiscoverer).</summary>
public sealed class SlowTierTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) => [new("Tier", "Slow")];
}
