// Reads blobs straight from libgit2's object database: one git_odb_read per blob. LibGit2Sharp's Blob
// looks an uncached blob up again for its size and again for its content, inflating it each time; on
// a seed-scale tree that is most of a harvest's time. This uses the very libgit2 build LibGit2Sharp
// ships (same file, loaded through LibGit2Sharp's own resolution), opened on its own handles.
// One instance per thread: libgit2 repository handles are not shared across threads here.
using System.Runtime.InteropServices;
using LibGit2Sharp;

namespace CharRnnCode.Corpus;

internal sealed class NativeObjectReader : IDisposable
{
    private const string Library = "charrnn-libgit2";
    private IntPtr _repository;
    private IntPtr _odb;

    static NativeObjectReader()
    {
        NativeLibrary.SetDllImportResolver(typeof(NativeObjectReader).Assembly, (name, _, _) =>
            name == Library ? NativeLibrary.Load(LibGit2SharpNativeName, typeof(Repository).Assembly, DllImportSearchPath.AssemblyDirectory) : IntPtr.Zero);
    }

    /// <summary>The native library name LibGit2Sharp itself imports: git2-&lt;first 7 hex of the libgit2 commit&gt;.</summary>
    private static string LibGit2SharpNativeName => "git2-" + GlobalSettings.Version.LibGit2CommitSha[..7];

    public NativeObjectReader(string gitDirectory)
    {
        _ = GlobalSettings.Version; // LibGit2Sharp initialises libgit2 (git_libgit2_init) when first used
        Check(git_repository_open(out _repository, gitDirectory), "open", gitDirectory);
        Check(git_repository_odb(out _odb, _repository), "open the object database of", gitDirectory);
    }

    /// <summary>The size of an object from its header, without inflating its content (for packed objects).</summary>
    public long Size(ObjectId id)
    {
        Check(git_odb_read_header(out var length, out _, _odb, id.RawId), "read the header of", id.Sha);
        return (long)length;
    }

    /// <summary>Reads a blob into a buffer rented from <see cref="FileBuffers.Pool"/>; returns it with its length.</summary>
    public (byte[] Buffer, int Length) Read(ObjectId id)
    {
        Check(git_odb_read(out var handle, _odb, id.RawId), "read", id.Sha);
        try
        {
            var length = checked((int)git_odb_object_size(handle));
            var buffer = FileBuffers.Pool.Rent(Math.Max(1, length));
            if (length > 0) Marshal.Copy(git_odb_object_data(handle), buffer, 0, length);
            return (buffer, length);
        }
        finally
        {
            git_odb_object_free(handle);
        }
    }

    // libgit2 maps pack files in windows of 1 GiB up to 8 GiB by default (64-bit); every page it touches
    // counts as resident memory. Smaller windows and a cap keep a seed-scale harvest's footprint flat.
    private const int SetMwindowSize = 1;
    private const int SetMwindowMappedLimit = 3;
    private const int SetCacheMaxSize = 7;
    /// <summary>libgit2's object cache (trees and commits; blobs are never cached) defaults to 256 MiB per
    /// repository; a tree walk visits each tree once, so a small cache costs nothing.</summary>
    public const long ObjectCacheBytes = 32L << 20;
    public const long PackWindowBytes = 16L << 20;
    public const long PackMappedLimitBytes = 64L << 20;

    /// <summary>Caps how much of the pack files libgit2 keeps mapped, and its object cache (process-wide;
    /// call before repositories are opened).</summary>
    public static void LimitNativeMemory()
    {
        if (!IsAvailable) return;
        git_libgit2_opts(SetMwindowSize, (UIntPtr)PackWindowBytes);
        git_libgit2_opts(SetMwindowMappedLimit, (UIntPtr)PackMappedLimitBytes);
        git_libgit2_opts(SetCacheMaxSize, (UIntPtr)ObjectCacheBytes);
    }

    /// <summary>Whether this process can call libgit2 directly; false falls back to LibGit2Sharp's Blob.</summary>
    public static bool IsAvailable { get; } = Probe();

    private static bool Probe()
    {
        try
        {
            _ = GlobalSettings.Version;
            return NativeLibrary.TryLoad(LibGit2SharpNativeName, typeof(Repository).Assembly, DllImportSearchPath.AssemblyDirectory, out _);
        }
        catch (Exception error) when (error is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or ArgumentException)
        {
            return false;
        }
    }

    private static void Check(int result, string action, string subject)
    {
        if (result < 0) throw new LibGit2SharpException($"libgit2 could not {action} {subject} (error {result})");
    }

    public void Dispose()
    {
        if (_odb != IntPtr.Zero) git_odb_free(_odb);
        if (_repository != IntPtr.Zero) git_repository_free(_repository);
        _odb = _repository = IntPtr.Zero;
    }

    // Variadic in C; with one integer argument the x86-64 and arm64 calling conventions pass it like a fixed one.
    [DllImport(Library)] private static extern int git_libgit2_opts(int option, UIntPtr value);
    [DllImport(Library)] private static extern int git_repository_open(out IntPtr repository, [MarshalAs(UnmanagedType.LPUTF8Str)] string path);
    [DllImport(Library)] private static extern int git_repository_odb(out IntPtr odb, IntPtr repository);
    [DllImport(Library)] private static extern int git_odb_read(out IntPtr obj, IntPtr odb, byte[] oid);
    [DllImport(Library)] private static extern int git_odb_read_header(out UIntPtr length, out int type, IntPtr odb, byte[] oid);
    [DllImport(Library)] private static extern IntPtr git_odb_object_data(IntPtr obj);
    [DllImport(Library)] private static extern UIntPtr git_odb_object_size(IntPtr obj);
    [DllImport(Library)] private static extern void git_odb_object_free(IntPtr obj);
    [DllImport(Library)] private static extern void git_odb_free(IntPtr odb);
    [DllImport(Library)] private static extern void git_repository_free(IntPtr repository);
}

/// <summary>Blob access as the harvest's workers need it: size from the header, then the content.</summary>
internal interface IBlobReader : IDisposable
{
    long Size(ObjectId id);

    /// <summary>The blob's bytes in a buffer rented from <see cref="FileBuffers.Pool"/>, and their length.</summary>
    (byte[] Buffer, int Length) Read(ObjectId id);

    /// <summary>The fastest reader this process can use for <paramref name="gitDirectory"/>.</summary>
    static IBlobReader Open(string gitDirectory) =>
        NativeObjectReader.IsAvailable ? new NativeBlobReader(gitDirectory) : new ManagedBlobReader(gitDirectory);
}

internal sealed class NativeBlobReader(string gitDirectory) : IBlobReader
{
    private readonly NativeObjectReader _reader = new(gitDirectory);
    public long Size(ObjectId id) => _reader.Size(id);
    public (byte[] Buffer, int Length) Read(ObjectId id) => _reader.Read(id);
    public void Dispose() => _reader.Dispose();
}

/// <summary>The portable path through LibGit2Sharp, for a platform where the direct calls cannot be bound.</summary>
internal sealed class ManagedBlobReader(string gitDirectory) : IBlobReader
{
    private readonly Repository _repository = new(gitDirectory);

    public long Size(ObjectId id) => _repository.ObjectDatabase.RetrieveObjectMetadata(id).Size;

    public (byte[] Buffer, int Length) Read(ObjectId id)
    {
        var blob = _repository.Lookup<Blob>(id);
        var length = checked((int)blob.Size);
        var buffer = FileBuffers.Pool.Rent(Math.Max(1, length));
        using (var stream = blob.GetContentStream()) stream.ReadExactly(buffer, 0, length);
        return (buffer, length);
    }

    public void Dispose() => _repository.Dispose();
}
