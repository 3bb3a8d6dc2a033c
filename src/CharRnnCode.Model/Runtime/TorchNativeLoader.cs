// Makes TorchSharp 0.107's native glue load on Linux systems whose libstdc++ predates GCC 13
// (Debian 12, Ubuntu 22.04), with no manual step.
//
// libLibTorchSharp.so declares a need for GLIBCXX_3.4.32 only to pin its libstdc++ version: the one
// symbol bound to it (_ZSt21ios_base_library_initv) has no relocation, so nothing ever calls it.
// Where the system libstdc++ lacks that version, we make a private copy of the library with that
// requirement marked weak, keep it in the user's cache (written to a temporary file, then renamed, in
// folders only the user can open; checked against a fresh patch of the original before every load),
// and load it before TorchSharp asks for the library. The NuGet cache and build outputs are never
// modified. Where the system has the version, nothing is done.
//
// It runs when TorchSharp's managed assembly loads (a module initializer of this assembly watches for
// it), so anything that uses TorchSharp gets it first, and a process that never does (the language
// server's plain C# inference) never maps libtorch; entry points also call TorchRuntime.Initialize()
// explicitly before touching torch.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CharRnnCode.Common;

namespace CharRnnCode.Model.Runtime;

public enum NativeFixState
{
    /// <summary>Not Linux, or not yet looked at.</summary>
    NotApplicable,
    /// <summary>The system libstdc++ has every version TorchSharp needs: the shipped library is used.</summary>
    NotNeeded,
    /// <summary>A private copy with the GCC 13 version requirement marked weak is used.</summary>
    Applied,
    /// <summary>The fix was needed but could not be made; <see cref="TorchNativeLoader.Detail"/> says why.</summary>
    Failed,
}

public static class TorchNativeLoader
{
    public const string MissingVersion = "GLIBCXX_3.4.32";
    private const string PinningSymbol = "_ZSt21ios_base_library_initv";
    private const string LibraryFile = "libLibTorchSharp.so";

    private static readonly object Gate = new();
    private static bool _registered;

    public static NativeFixState State { get; private set; } = NativeFixState.NotApplicable;

    /// <summary>The library in use and why, for `charrnn doctor` and error messages.</summary>
    public static string Detail { get; private set; } = "not initialised";

    public static string? PatchedLibraryPath { get; private set; }

#pragma warning disable CA2255 // A module initializer is the one place that runs before TorchSharp can be touched.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterWhenTorchSharpLoads()
    {
        // TorchSharp's natives load from its managed assembly's code, so seeing that assembly load is early
        // enough; its name is compared as text so that watching for it does not load it.
        AppDomain.CurrentDomain.AssemblyLoad += (_, loaded) =>
        {
            if (IsTorchSharp(loaded.LoadedAssembly)) Register();
        };
        if (AppDomain.CurrentDomain.GetAssemblies().Any(IsTorchSharp)) Register();
    }

    private static bool IsTorchSharp(System.Reflection.Assembly assembly) => assembly.GetName().Name == "TorchSharp";

    /// <summary>Registers the resolver once. Safe to call many times, from any thread.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            _registered = true;
            if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture != Architecture.X64)
            {
                State = NativeFixState.NotApplicable;
                Detail = "not Linux x64: the shipped library is used";
                return;
            }
            if (SystemLibStdCxxHas(MissingVersion))
            {
                State = NativeFixState.NotNeeded;
                Detail = $"system libstdc++ provides {MissingVersion}: the shipped library is used";
                return;
            }
            PreloadPatchedCopy();
        }
    }

    // TorchSharp asks the runtime for "LibTorchSharp" by name. The runtime first tries the shipped file
    // by absolute path (which the loader refuses, harmlessly), then the bare name, which the dynamic
    // loader matches against the SONAME of the copy we loaded here: so TorchSharp and all its
    // P/Invokes bind to the patched copy without knowing about it.
    private static void PreloadPatchedCopy()
    {
        try
        {
            var original = FindShippedLibrary()
                ?? throw new FileNotFoundException($"{LibraryFile} was not found next to the application or TorchSharp.dll.");
            var patched = EnsurePatchedCopy(original);
            // The private copy lives outside the shipped folder, so its $ORIGIN run path no longer
            // finds libtorch: load its libtorch dependencies from the shipped folder first.
            var shippedFolder = Path.GetDirectoryName(original)!;
            foreach (var dependency in new[] { "libc10.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so" })
            {
                var path = Path.Combine(shippedFolder, dependency);
                if (File.Exists(path)) NativeLibrary.Load(path);
            }
            NativeLibrary.Load(patched);
            State = NativeFixState.Applied;
            PatchedLibraryPath = patched;
            Detail = $"system libstdc++ lacks {MissingVersion}; loaded patched copy {patched} of {original}";
        }
        catch (Exception error)
        {
            State = NativeFixState.Failed;
            Detail = $"system libstdc++ lacks {MissingVersion} and the patched copy could not be loaded: {error.Message}";
        }
    }

    /// <summary>Asks the libstdc++ the loader actually resolves whether it defines the version.</summary>
    public static bool SystemLibStdCxxHas(string version)
    {
        if (!NativeLibrary.TryLoad("libstdc++.so.6", out var handle)) return false;
        return dlvsym(handle, PinningSymbol, version) != IntPtr.Zero || HasAnyVersionedSymbol(handle, version);
    }

    // The pinning symbol is the one defined at GLIBCXX_3.4.32; a later libstdc++ that renamed it would
    // still define the version, so fall back to a symbol every libstdc++ exports.
    private static bool HasAnyVersionedSymbol(IntPtr handle, string version) =>
        dlvsym(handle, "_ZNSt13runtime_errorD1Ev", version) != IntPtr.Zero;

    [DllImport("libc", EntryPoint = "dlvsym")]
    private static extern IntPtr dlvsym(IntPtr handle, [MarshalAs(UnmanagedType.LPUTF8Str)] string symbol, [MarshalAs(UnmanagedType.LPUTF8Str)] string version);

    /// <summary>Where the shipped libLibTorchSharp.so is, probing the same places the runtime does.</summary>
    public static string? FindShippedLibrary()
    {
        var candidates = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
            candidates.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        candidates.Add(AppContext.BaseDirectory);
        candidates.Add(Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native"));
        var torchSharpFolder = Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchSharpFolder))
        {
            candidates.Add(torchSharpFolder);
            candidates.Add(Path.GetFullPath(Path.Combine(torchSharpFolder, "..", "..", "runtimes", "linux-x64", "native")));
        }
        return candidates.Select(folder => Path.Combine(folder, LibraryFile)).FirstOrDefault(File.Exists);
    }

    /// <summary>
    /// The patched copy for this exact original, keyed by the original's hash so that an upgrade of
    /// TorchSharp gets its own copy. Written atomically: a killed process never leaves a half file.
    /// A copy found in the cache is loaded only if it is byte for byte the patch of the original (the patch
    /// is recomputed from the shipped file each time, which is cheap next to loading libtorch): a file that was
    /// changed after it was written, by accident or by someone else, is written anew, never loaded. The
    /// cache folders are the user's alone (0700), so the copy cannot be swapped between the check and the load.
    /// </summary>
    public static string EnsurePatchedCopy(string original) => EnsurePatchedCopy(original, CachePaths.Root);

    /// <summary><see cref="EnsurePatchedCopy(string)"/> with the cache under <paramref name="cacheRoot"/>.</summary>
    public static string EnsurePatchedCopy(string original, string cacheRoot)
    {
        var bytes = File.ReadAllBytes(original);
        var key = Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant();
        var changed = ElfVersionPatcher.MarkWeak(bytes, MissingVersion);
        if (changed == 0)
            throw new InvalidDataException($"{original} does not require {MissingVersion}; this TorchSharp build needs a newer libstdc++ for another reason.");
        Directory.CreateDirectory(cacheRoot);
        var folder = PrivateFolder(PrivateFolder(Path.Combine(cacheRoot, "native")), key);
        var target = Path.Combine(folder, LibraryFile);
        if (File.Exists(target) && SameBytes(target, bytes)) return target;
        AtomicFile.WriteAllBytes(target, bytes);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return target;
    }

    /// <summary>Creates <paramref name="name"/> under <paramref name="parent"/> readable by its owner alone, and narrows
    /// an existing one (made by an earlier version with the default permissions) to the same.</summary>
    private static string PrivateFolder(string parent, string name) => PrivateFolder(Path.Combine(parent, name));

    private static string PrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return path;
        }
        const UnixFileMode ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        Directory.CreateDirectory(path, ownerOnly);
        if (File.GetUnixFileMode(path) != ownerOnly) File.SetUnixFileMode(path, ownerOnly);
        return path;
    }

    private static bool SameBytes(string path, byte[] expected)
    {
        try
        {
            var info = new FileInfo(path);
            if (info.Length != expected.Length) return false;
            return SHA256.HashData(File.ReadAllBytes(path)).AsSpan().SequenceEqual(SHA256.HashData(expected));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
