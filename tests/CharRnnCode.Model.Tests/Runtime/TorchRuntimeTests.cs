// TorchSharp loads and trains in this process: the native fix (where needed) and a real optimisation step.
using CharRnnCode.Model.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace CharRnnCode.Model.Tests.Runtime;

public sealed class TorchRuntimeTests
{
    [Fact]
    public void A_real_LSTM_training_step_runs_and_lowers_the_loss()
    {
        TorchRuntime.Initialize(threads: 1);
        torch.manual_seed(7);
        using var scope = torch.NewDisposeScope();
        var lstm = nn.LSTM(inputSize: 8, hiddenSize: 16, numLayers: 2, batchFirst: true);
        var head = nn.Linear(16, 8);
        var parameters = lstm.parameters().Concat(head.parameters()).ToList();
        var optimizer = optim.Adam(parameters, lr: 0.05);
        var input = randn(4, 10, 8);                       // (B, T, C)
        var target = randint(0, 8, [4, 10]);              // (B, T)

        double Step()
        {
            optimizer.zero_grad();
            var (output, _, _) = lstm.call(input);         // (B, T, H)
            var logits = head.call(output);                // (B, T, C)
            var loss = nn.functional.cross_entropy(logits.reshape(-1, 8), target.reshape(-1));
            loss.backward();
            optimizer.step();
            return loss.item<float>();
        }

        var first = Step();
        var last = first;
        for (var i = 0; i < 20; i++) last = Step();
        Assert.True(last < first * 0.9, $"loss went from {first} to {last}");
        Assert.NotEqual(NativeFixState.Failed, TorchNativeLoader.State);
    }

    [Fact]
    public void The_native_fix_is_applied_exactly_where_libstdcxx_lacks_the_version()
    {
        TorchRuntime.Initialize(threads: 1);
        var expected = TorchNativeLoader.SystemLibStdCxxHas(TorchNativeLoader.MissingVersion)
            ? NativeFixState.NotNeeded
            : NativeFixState.Applied;
        Assert.Equal(expected, TorchNativeLoader.State);
        if (expected == NativeFixState.Applied)
        {
            var patched = File.ReadAllBytes(TorchNativeLoader.PatchedLibraryPath!);
            var requirement = ElfVersionPatcher.RequiredVersions(patched).Single(r => r.Version == TorchNativeLoader.MissingVersion);
            Assert.Equal(2, requirement.Flags & 2);
            Assert.DoesNotContain(Path.GetFullPath(TorchNativeLoader.PatchedLibraryPath!), Path.GetFullPath(NuGetRoot()));
        }
    }

    [SkippableFact]
    public void Cuda_on_a_machine_without_it_fails_with_a_clear_message()
    {
        Skip.If(TorchRuntime.CudaAvailable(), "this machine has CUDA: there is no missing CUDA to refuse");
        var error = Assert.ThrowsAny<Common.UserError>(() => TorchRuntime.ResolveDevice("cuda"));
        Assert.Contains("CUDA is not available", error.Message);
        Assert.Equal(torch.CPU.type, TorchRuntime.ResolveDevice("auto").type);
    }

    private static string NuGetRoot() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
}
