// The checkpoint file format: versioned, self-describing, safe to load (plain JSON and raw little-endian
// arrays, nothing that executes on load), checked end to end with SHA-256. Written atomically.
//
//   "CHARRNN\n"            8-byte magic
//   uint32 version         format version (readers refuse newer versions with a clear message): 1, or 2 when
//                          an entry is float16 (an exported checkpoint), so that a reader without float16
//                          says "update charrnn" instead of failing on the entry
//   uint32 headerLength    UTF-8 JSON header: run facts and the table of entries (name, dtype, shape, offset, length)
//   header bytes
//   entry bytes            concatenated, offsets relative to the end of the header
//   SHA-256                of everything before it
//
// It does not know about TorchSharp: entries are bytes; Checkpoint.cs maps them to tensors.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using CharRnnCode.Common;

namespace CharRnnCode.Inference.Checkpoints;

public sealed class CheckpointException(string message, Exception? inner = null) : UserError(message, inner);

/// <summary>One named array: "f32" (float32 with a shape), "f16" (float16 with a shape, read back as float32) or
/// "u8" (opaque bytes, e.g. optimizer or RNG state).</summary>
public sealed record CheckpointEntry(string DType, long[] Shape, byte[] Data)
{
    public const string Float32 = "f32";
    public const string Float16 = "f16";

    public static CheckpointEntry Floats(float[] values, params long[] shape)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).CopyTo(bytes);
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("checkpoints are little-endian");
        return new CheckpointEntry(Float32, shape, bytes);
    }

    /// <summary>The values rounded to the nearest float16 (IEEE 754 binary16): half the bytes of float32.</summary>
    public static CheckpointEntry Halves(float[] values, params long[] shape)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("checkpoints are little-endian");
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++) halves[i] = (Half)values[i];
        return new CheckpointEntry(Float16, shape, System.Runtime.InteropServices.MemoryMarshal.AsBytes(halves.AsSpan()).ToArray());
    }

    /// <summary>Bytes per element of a numeric dtype; null for opaque bytes.</summary>
    public static int? ElementSize(string dtype) => dtype switch { Float32 => sizeof(float), Float16 => 2, _ => null };

    public static CheckpointEntry Bytes(byte[] data) => new("u8", [data.LongLength], data);

    public float[] ToFloats()
    {
        switch (DType)
        {
            case Float32:
                return System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(Data).ToArray();
            case Float16:
                var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(Data);
                var floats = new float[halves.Length];
                for (var i = 0; i < halves.Length; i++) floats[i] = (float)halves[i];
                return floats;
            default:
                throw new CheckpointException($"checkpoint entry has dtype {DType}, expected {Float32} or {Float16}.");
        }
    }
}

internal sealed record EntryRecord(string Name, string DType, long[] Shape, long Offset, long Length);

internal sealed record FileHeader(string Format, Dictionary<string, JsonElement> Facts, List<EntryRecord> Entries);

public static class CheckpointFile
{
    /// <summary>The newest format version this reads (and writes, for a file with float16 entries).</summary>
    public const int Version = 2;
    private static readonly byte[] Magic = "CHARRNN\n"u8.ToArray();
    private const string FormatName = "charrnncode-checkpoint";

    /// <summary>Whether the file at <paramref name="path"/> begins as a checkpoint does (its magic bytes); an output that
    /// replaces only checkpoints asks this, not whether the whole file is intact.</summary>
    public static bool StartsAsCheckpoint(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var head = new byte[Magic.Length];
            return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length && head.AsSpan().SequenceEqual(Magic);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return false; }
    }
    private const int HashLength = 32;

    /// <summary>Writes facts (any JSON-serialisable values) and entries atomically to <paramref name="path"/>.</summary>
    public static void Write(string path, IReadOnlyDictionary<string, object?> facts, IReadOnlyDictionary<string, CheckpointEntry> entries)
    {
        var records = new List<EntryRecord>();
        long offset = 0;
        foreach (var (name, entry) in entries)
        {
            records.Add(new EntryRecord(name, entry.DType, entry.Shape, offset, entry.Data.LongLength));
            offset += entry.Data.LongLength;
        }
        var factElements = facts.ToDictionary(f => f.Key, f => JsonSerializer.SerializeToElement(f.Value, RunConfig.Json));
        var header = JsonSerializer.SerializeToUtf8Bytes(new FileHeader(FormatName, factElements, records), RunConfig.Json);

        AtomicFile.Write(path, stream =>
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            void Put(ReadOnlySpan<byte> bytes) { stream.Write(bytes); hash.AppendData(bytes); }
            Span<byte> word = stackalloc byte[4];
            Put(Magic);
            BinaryPrimitives.WriteUInt32LittleEndian(word, VersionFor(entries.Values)); Put(word);
            BinaryPrimitives.WriteUInt32LittleEndian(word, (uint)header.Length); Put(word);
            Put(header);
            foreach (var entry in entries.Values) Put(entry.Data);
            stream.Write(hash.GetHashAndReset());
        });
    }

    /// <summary>The oldest version that can hold <paramref name="entries"/>: a training checkpoint stays readable by older charrnn.</summary>
    private static uint VersionFor(IEnumerable<CheckpointEntry> entries) => entries.Any(e => e.DType == CheckpointEntry.Float16) ? 2u : 1u;

    /// <summary>The most bytes a checkpoint may have: what one array holds (a 2x256 model is about 3 MB, so no real one comes near).</summary>
    public static readonly long MaxFileBytes = Array.MaxLength;

    /// <summary>
    /// The whole file, if it is a regular one (through symbolic links, which a run folder may hold), read no further
    /// than its length says: a device such as /dev/zero would otherwise be read until memory ran out, and a FIFO
    /// would block the reader for good. A file that is longer than its length said is refused as well.
    /// </summary>
    private static byte[] ReadBounded(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new CheckpointException("no checkpoint path was given; give a checkpoint file written by `charrnn train` (e.g. RUN_DIR/best.ckpt).");
        FileFacts facts;
        try { facts = BoundedFile.Inspect(path, followLinks: true); }
        catch (Exception error) when (error is ArgumentException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new CheckpointException($"checkpoint {path} cannot be opened: {error.Message}", error);
        }
        var through = facts.IsLink ? $" (a link to {facts.Target})" : "";
        switch (facts.Kind)
        {
            case FileKind.Folder:
                throw new CheckpointException($"{path}{through} is a folder; give a checkpoint file (e.g. {Path.Combine(path, RunFolder.BestCheckpoint)}).");
            case FileKind.Missing:
                throw new CheckpointException($"checkpoint {path}{through} does not exist. Train one with `charrnn train`, or check the path.");
            case FileKind.EmptyOrSpecial:
                throw new CheckpointException($"checkpoint {path}{through} is empty or not a regular file (a device, pipe or socket has no length to read); give a checkpoint file written by " +
                    $"`charrnn train`.");
        }
        if (facts.Length > MaxFileBytes)
            throw new CheckpointException($"checkpoint {path}{through} has {facts.Length} bytes, more than a checkpoint can ({MaxFileBytes}); it is not a CharRnnCode checkpoint.");
        BoundedBytes read;
        try { read = BoundedFile.ReadAtMost(facts.Target, (int)facts.Length); }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"checkpoint {path} could not be read: {error.Message}", error);
        }
        if (read.More || read.Bytes.LongLength != facts.Length)
            throw new CheckpointException($"checkpoint {path} changed while it was read ({facts.Length} bytes when it was opened, {(read.More ? "more" : read.Bytes.LongLength.ToString())} when " +
                $"read); read it again once whatever writes it has finished.");
        return read.Bytes;
    }

    /// <summary>Whether <paramref name="shape"/> of elements of <paramref name="elementSize"/> bytes is <paramref name="length"/> bytes, without a product that wraps round.</summary>
    private static bool ShapeHolds(long[] shape, int elementSize, long length)
    {
        if (shape.Any(d => d < 0)) return false;
        try { return checked(ParameterShapes.Elements(shape) * elementSize) == length; }
        catch (OverflowException) { return false; }
    }

    /// <summary>Reads and verifies a checkpoint; every way it can be wrong is a <see cref="CheckpointException"/>.</summary>
    public static (IReadOnlyDictionary<string, JsonElement> Facts, IReadOnlyDictionary<string, CheckpointEntry> Entries) Read(string path)
    {
        var bytes = ReadBounded(path);
        if (bytes.Length < Magic.Length || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException($"{path} is not a CharRnnCode checkpoint (its first bytes are not the checkpoint signature).");
        if (bytes.Length < Magic.Length + 8 + HashLength)
            throw new CheckpointException($"checkpoint {path} is truncated ({bytes.Length} bytes); use the run's other checkpoint ({RunFolder.BestCheckpoint} / {RunFolder.LastCheckpoint}) or train " +
                $"again.");
        var version = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(Magic.Length));
        if (version > Version)
            throw new CheckpointException($"checkpoint {path} has format version {version}, newer than this charrnn reads ({Version}); update charrnn.");
        if (version == 0)
            throw new CheckpointException($"checkpoint {path} has an invalid format version 0; the file is damaged.");
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(Magic.Length + 4));
        var headerStart = Magic.Length + 8;
        if (headerStart + (long)headerLength + HashLength > bytes.Length)
            throw new CheckpointException($"checkpoint {path} is truncated (its header runs past the end of the file); use the run's other checkpoint or train again.");

        var expectedHash = bytes.AsSpan(bytes.Length - HashLength);
        var actualHash = SHA256.HashData(bytes.AsSpan(0, bytes.Length - HashLength));
        FileHeader? header = null;
        try { header = JsonSerializer.Deserialize<FileHeader>(bytes.AsSpan(headerStart, (int)headerLength), RunConfig.Json); }
        catch (JsonException) { }
        var dataStart = headerStart + (long)headerLength;
        long dataLength;
        if (header?.Entries is { } listed && listed.Any(e => e is null))
            throw new CheckpointException($"checkpoint {path} has an empty entry in its table; the file is damaged.");
        try { dataLength = header?.Entries?.Sum(e => e.Length) ?? -1; }
        catch (OverflowException) { throw new CheckpointException($"checkpoint {path} has entry lengths that add up past any file size; the file is damaged."); }
        if (header is not null && dataStart + dataLength + HashLength > bytes.Length)
            throw new CheckpointException($"checkpoint {path} is truncated ({bytes.Length} bytes, expected {dataStart + dataLength + HashLength}); use the run's other checkpoint or train again.");
        if (!actualHash.AsSpan().SequenceEqual(expectedHash) || header is null || dataStart + dataLength + HashLength != bytes.Length)
            throw new CheckpointException($"checkpoint {path} is corrupt (its integrity check failed); use the run's other checkpoint ({RunFolder.BestCheckpoint} / {RunFolder.LastCheckpoint}) or " +
                $"train again.");
        if (header.Format != FormatName)
            throw new CheckpointException($"{path} is not a CharRnnCode checkpoint (format '{header.Format}').");
        if (header.Entries is null || header.Facts is null)
            throw new CheckpointException($"checkpoint {path} has no table of entries or facts; the file is damaged.");

        // The hash proves the file is as written, not that whoever wrote it wrote a sane table: a crafted file can
        // carry a valid hash over entries that point outside the data or overlap. Each must lie inside it.
        var entries = new Dictionary<string, CheckpointEntry>();
        foreach (var record in header.Entries)
        {
            if (record.Name is null || record.Shape is null || record.DType is null)
                throw new CheckpointException($"checkpoint {path} has an entry without a name, type or shape; the file is damaged.");
            if (record.Offset < 0 || record.Length < 0 || record.Offset > dataLength - record.Length)
                throw new CheckpointException($"checkpoint {path}: entry '{record.Name}' (offset {record.Offset}, length {record.Length}) lies outside the file's {dataLength} data bytes; the file " +
                    $"is damaged.");
            if (CheckpointEntry.ElementSize(record.DType) is int elementSize && !ShapeHolds(record.Shape, elementSize, record.Length))
                throw new CheckpointException($"checkpoint {path}: entry '{record.Name}' has shape [{string.Join(", ", record.Shape)}] but {record.Length} bytes; the file is damaged.");
            if (!entries.TryAdd(record.Name, new CheckpointEntry(record.DType, record.Shape, bytes.AsSpan((int)(dataStart + record.Offset), (int)record.Length).ToArray())))
                throw new CheckpointException($"checkpoint {path} names entry '{record.Name}' twice; the file is damaged.");
        }
        return (header.Facts, entries);
    }
}
