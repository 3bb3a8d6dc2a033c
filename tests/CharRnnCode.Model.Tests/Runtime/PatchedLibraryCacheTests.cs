// The cached patched copy of libLibTorchSharp.so on the real shipped library: its folders are the user's
// alone, and a cached file that was changed after it was written (replaced by the unpatched original, or by
// anything else) is written anew rather than handed to the loader.
using CharRnnCode.Model.Runtime;

namespace CharRnnCode.Model.Tests.Runtime;

[System.Runtime.Versioning.SupportedOSPlatform("linux")] // the fix and its cache exist on Linux x64 only
public sealed class PatchedLibraryCacheTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("charrnn-native-cache-");

    public void Dispose() => _cache.Delete(recursive: true);

    private static string Shipped() => TorchNativeLoader.FindShippedLibrary() ?? throw new InvalidOperationException("no shipped libLibTorchSharp.so");

    /// <summary>Whether the file needs GLIBCXX_3.4.32 weakly (flag 2, VER_FLG_WEAK), read by the ELF reader.</summary>
    private static bool RequiresTheVersionWeakly(string path) =>
        (ElfVersionPatcher.RequiredVersions(File.ReadAllBytes(path)).Single(r => r.Version == TorchNativeLoader.MissingVersion).Flags & 2) != 0;

    [Fact]
    public void The_copy_and_its_folders_are_the_users_alone()
    {
        var copy = TorchNativeLoader.EnsurePatchedCopy(Shipped(), _cache.FullName);
        Assert.True(RequiresTheVersionWeakly(copy));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.GetDirectoryName(copy)!));
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(Path.Combine(_cache.FullName, "native")));
        Assert.Equal(0, (int)(File.GetUnixFileMode(copy) & ~OwnerOnly));
        Assert.Equal([Path.GetFileName(copy)], Directory.GetFiles(Path.GetDirectoryName(copy)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Folders_left_open_by_an_earlier_version_are_narrowed()
    {
        var native = Path.Combine(_cache.FullName, "native");
        Directory.CreateDirectory(native);
        File.SetUnixFileMode(native, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        TorchNativeLoader.EnsurePatchedCopy(Shipped(), _cache.FullName);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(native));
    }

    [Fact]
    public void A_tampered_copy_is_written_anew_not_loaded()
    {
        var shipped = Shipped();
        var copy = TorchNativeLoader.EnsurePatchedCopy(shipped, _cache.FullName);
        var written = File.ReadAllBytes(copy);

        // Replaced by the unpatched original: the same size, one flag different.
        File.Copy(shipped, copy, overwrite: true);
        Assert.False(RequiresTheVersionWeakly(copy));
        Assert.Equal(copy, TorchNativeLoader.EnsurePatchedCopy(shipped, _cache.FullName));
        Assert.True(RequiresTheVersionWeakly(copy));
        Assert.Equal(written, File.ReadAllBytes(copy));

        // One byte changed in the middle.
        var tampered = (byte[])written.Clone();
        tampered[tampered.Length / 2] ^= 0xFF;
        File.WriteAllBytes(copy, tampered);
        TorchNativeLoader.EnsurePatchedCopy(shipped, _cache.FullName);
        Assert.Equal(written, File.ReadAllBytes(copy));

        // Cut short.
        File.WriteAllBytes(copy, written[..1000]);
        TorchNativeLoader.EnsurePatchedCopy(shipped, _cache.FullName);
        Assert.Equal(written, File.ReadAllBytes(copy));
    }
}
