// One place that prepares TorchSharp for this process: native library fix, OpenMP and thread
// settings, device choice. Every entry point (CLI, server, tests) calls Initialize before any tensor.
// It does not pick hyperparameters or seeds; training and sampling do that.
using System.Runtime.InteropServices;
using TorchSharp;

namespace CharRnnCode.Model.Runtime;

public sealed record TorchRuntimeInfo(
    string TorchSharpVersion,
    string LibTorchVersion,
    string Backend,
    bool CudaAvailable,
    int IntraOpThreads,
    int InteropThreads,
    string OmpWaitPolicy,
    string OmpNumThreads,
    NativeFixState NativeFix,
    string NativeFixDetail);

public static class TorchRuntime
{
    /// <summary>
    /// libgomp's wait policy when the user has not set one. Measured with `charrnn bench train` on
    /// 2 vCPUs; see README "Threads". libgomp reads it once when it loads, so it must be set first.
    /// </summary>
    public const string DefaultOmpWaitPolicy = "PASSIVE";

    /// <summary>
    /// Intra-op threads when none are asked for: one per CPU. On an idle 2-vCPU machine `charrnn bench train`
    /// measured two threads 1.3x (2x256) to 2x (2x512) faster than one for training (README "Threads");
    /// on a machine busy with other work one thread can win, which is what --threads 1 is for.
    /// </summary>
    public static int DefaultThreads => Environment.ProcessorCount;

    /// <summary>Set to 1 to leave OMP_WAIT_POLICY unset (libgomp's own default), e.g. to measure that default.</summary>
    public const string KeepLibgompDefaultVariable = "CHARRNN_KEEP_OMP_DEFAULT";

    private static readonly object Gate = new();
    private static bool _initialized;

    /// <summary>Prepares TorchSharp; idempotent. <paramref name="threads"/> null means <see cref="DefaultThreads"/> on the first call, and no change later.</summary>
    public static void Initialize(int? threads = null)
    {
        lock (Gate)
        {
            if (!_initialized)
            {
                TorchNativeLoader.Register();
                if (OperatingSystem.IsLinux() && !string.IsNullOrEmpty(DefaultOmpWaitPolicy) &&
                    Environment.GetEnvironmentVariable(KeepLibgompDefaultVariable) != "1" &&
                    string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OMP_WAIT_POLICY")))
                    SetNativeEnvironment("OMP_WAIT_POLICY", DefaultOmpWaitPolicy);
                try
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                }
                catch (Exception error) when (error is NotSupportedException or TypeInitializationException or DllNotFoundException)
                {
                    throw new InvalidOperationException(
                        $"TorchSharp's native library could not be loaded ({TorchNativeLoader.Detail}). " +
                        "Run `charrnn doctor` for details; rebuilding (`dotnet build`) restores the native packages.", error);
                }
                _initialized = true;
                if (threads is null) SetThreads(DefaultThreads);
            }
            // Without a count, later calls keep what an earlier call chose (ResolveDevice and CudaAvailable call this too).
            if (threads is not null) SetThreads(threads.Value);
        }
    }

    private static void SetThreads(int wanted)
    {
        if (wanted < 1) throw new ArgumentOutOfRangeException(nameof(wanted), "threads must be at least 1");
        if (torch.get_num_threads() != wanted) torch.set_num_threads(wanted);
    }

    /// <summary>Resolves `auto|cpu|cuda` to a device, failing clearly where CUDA is asked for and absent.</summary>
    public static torch.Device ResolveDevice(string spec)
    {
        Initialize();
        switch (spec.Trim().ToLowerInvariant())
        {
            case "cpu":
                return torch.CPU;
            case "auto":
                return CudaAvailable() ? torch.CUDA : torch.CPU;
            case "cuda":
            case var s when s.StartsWith("cuda:", StringComparison.Ordinal):
                if (!CudaAvailable())
                    throw new Common.InvalidInputError("device",
                        "{device} cuda was asked for, but CUDA is not available: this build uses the CPU backend " +
                        "(TorchSharp-cpu) or no NVIDIA GPU and driver were found. Use {device} cpu or auto, or rebuild " +
                        "with -p:TorchBackend=cuda on a machine with CUDA (see README, Troubleshooting).");
                return new torch.Device(spec.Trim().ToLowerInvariant());
            default:
                throw new Common.UserError($"Unknown device '{spec}'. Use auto, cpu or cuda.");
        }
    }

    public static bool CudaAvailable()
    {
        Initialize();
        try { return torch.cuda.is_available(); }
        catch (Exception) { return false; }
    }

    public static TorchRuntimeInfo Describe()
    {
        Initialize();
        return new TorchRuntimeInfo(
            TorchSharpVersion: typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            LibTorchVersion: torch.__version__,
            Backend: TorchBackendName,
            CudaAvailable: CudaAvailable(),
            IntraOpThreads: torch.get_num_threads(),
            InteropThreads: torch.get_num_interop_threads(),
            OmpWaitPolicy: Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is { Length: > 0 } policy
                ? policy
                : string.IsNullOrEmpty(DefaultOmpWaitPolicy) ? "(libgomp default)" : $"{DefaultOmpWaitPolicy} (CharRnnCode default)",
            OmpNumThreads: Environment.GetEnvironmentVariable("OMP_NUM_THREADS") ?? "(unset)",
            NativeFix: TorchNativeLoader.State,
            NativeFixDetail: TorchNativeLoader.Detail);
    }

    public const string TorchBackendName =
#if TORCH_CUDA
        "cuda (TorchSharp-cuda-linux)";
#else
        "cpu (TorchSharp-cpu)";
#endif

    // .NET keeps its own copy of the environment on Unix; native libraries read the C runtime's.
    private static void SetNativeEnvironment(string name, string value)
    {
        Environment.SetEnvironmentVariable(name, value);
        if (setenv(name, value, 0) != 0)
            throw new InvalidOperationException($"setenv({name}) failed");
    }

    [DllImport("libc", EntryPoint = "setenv")]
    private static extern int setenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name, [MarshalAs(UnmanagedType.LPUTF8Str)] string value, int overwrite);
}
