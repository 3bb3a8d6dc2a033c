// Damaged and crafted checkpoints made from a real one, for the tests that every reader of checkpoints
// (the library, the server, charrnn) answers with a clear error. A file is taken apart by the layout the
// format documents (8-byte signature, uint32 version, uint32 header length, JSON header, entry bytes,
// SHA-256 of everything before it), changed, and put back together with a fresh SHA-256, so that the
// change gets past the integrity check and reaches the checks behind it. It does not use the code under
// test to read or write the file.
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CharRnnCode.TestSupport;

/// <summary>A checkpoint file's parts: its version, its header as JSON, and its entry bytes.</summary>
public sealed class CheckpointParts
{
    private const int SignatureLength = 8, HashLength = 32;

    public required byte[] Signature { get; init; }
    public uint Version { get; set; }
    public required JsonObject Header { get; set; }
    public required byte[] Data { get; set; }

    public static CheckpointParts Parse(byte[] file)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(SignatureLength + 4));
        var headerStart = SignatureLength + 8;
        return new CheckpointParts
        {
            Signature = file[..SignatureLength],
            Version = BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(SignatureLength)),
            Header = (JsonObject)JsonNode.Parse(file.AsSpan(headerStart, headerLength))!,
            Data = file[(headerStart + headerLength)..^HashLength],
        };
    }

    public CheckpointParts Clone() => new() { Signature = Signature, Version = Version, Header = (JsonObject)Header.DeepClone(), Data = Data };

    /// <summary>The file: its parts with <paramref name="headerBytes"/> (or the header as JSON) and a SHA-256 over them.</summary>
    public byte[] ToFile(byte[]? headerBytes = null)
    {
        var header = headerBytes ?? Encoding.UTF8.GetBytes(Header.ToJsonString());
        var body = new byte[SignatureLength + 8 + header.Length + Data.Length];
        Signature.CopyTo(body, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(SignatureLength), Version);
        BinaryPrimitives.WriteUInt32LittleEndian(body.AsSpan(SignatureLength + 4), (uint)header.Length);
        header.CopyTo(body, SignatureLength + 8);
        Data.CopyTo(body, SignatureLength + 8 + header.Length);
        return [.. body, .. SHA256.HashData(body)];
    }

    /// <summary>Any bytes with a SHA-256 of them appended, as the format ends a file.</summary>
    public static byte[] Rehashed(byte[] body) => [.. body, .. SHA256.HashData(body)];

    public JsonArray Entries => Header["entries"]!.AsArray();

    public JsonObject Entry(string name) => Entries.Select(e => e!.AsObject()).Single(e => (string?)e["name"] == name);

    public JsonObject Run => Header["facts"]!["run"]!.AsObject();

    public JsonObject Model => Run["config"]!["model"]!.AsObject();

    /// <summary>Cuts <paramref name="bytes"/> off the end of entry <paramref name="name"/>: its shape still says the old size, or
    /// (<paramref name="keepShapeConsistent"/>) its first dimension shrinks with it. Later entries' offsets follow.</summary>
    public CheckpointParts TruncateEntry(string name, int bytes, bool keepShapeConsistent)
    {
        var copy = Clone();
        var entry = copy.Entry(name);
        var offset = (long)entry["offset"]!;
        var length = (long)entry["length"]!;
        var cut = Math.Min(bytes, length);
        copy.Data = [.. Data.AsSpan(0, (int)(offset + length - cut)), .. Data.AsSpan((int)(offset + length))];
        entry["length"] = length - cut;
        if (keepShapeConsistent)
        {
            var shape = entry["shape"]!.AsArray();
            var rowBytes = length / (long)shape[0]!;
            shape[0] = (length - cut) / rowBytes;
        }
        foreach (var other in copy.Entries.Select(e => e!.AsObject()))
            if ((long)other["offset"]! > offset) other["offset"] = (long)other["offset"]! - cut;
        return copy;
    }
}

/// <summary>Representative crafted checkpoints: each should be refused with a clear error, never crash a reader.</summary>
public static class CraftedCheckpoints
{
    /// <summary>(what was done, the file's bytes) for the real checkpoint <paramref name="original"/>.</summary>
    public static IReadOnlyList<(string Name, byte[] File)> Representative(byte[] original)
    {
        var parts = CheckpointParts.Parse(original);
        var recurrent = "model.recurrent.weight_hh_l0";
        var result = new List<(string, byte[])>
        {
            ("recurrent weight 64 bytes short, shape unchanged", parts.TruncateEntry(recurrent, 64, keepShapeConsistent: false).ToFile()),
            ("recurrent weight one row short, shape consistent", parts.TruncateEntry(recurrent, RowBytes(parts, recurrent), keepShapeConsistent: true).ToFile()),
            ("head weight one row short, shape consistent", parts.TruncateEntry("model.head.weight", RowBytes(parts, "model.head.weight"), keepShapeConsistent: true).ToFile()),
            ("hidden size doubled", With(parts, p => p.Model["hidden"] = (int)p.Model["hidden"]! * 2)),
            ("hidden size int.MaxValue", With(parts, p => p.Model["hidden"] = int.MaxValue)),
            ("layers 1,000,000", With(parts, p => p.Model["layers"] = 1_000_000)),
            ("embedding -1", With(parts, p => p.Model["embedding"] = -1)),
            ("vocabulary one character longer", With(parts, p => p.Run["vocabulary"] = (string)p.Run["vocabulary"]! + "\u00a7")),
            ("configuration null", With(parts, p => p.Run["config"] = null)),
            ("entry length past the data", With(parts, p => p.Entry(recurrent)["length"] = 1L << 40)),
            ("file cut in the middle, hash recomputed", CheckpointParts.Rehashed(original[..(original.Length / 2)])),
        };
        return result;
    }

    private static int RowBytes(CheckpointParts parts, string name)
    {
        var entry = parts.Entry(name);
        return (int)((long)entry["length"]! / (long)entry["shape"]!.AsArray()[0]!);
    }

    private static byte[] With(CheckpointParts parts, Action<CheckpointParts> change)
    {
        var copy = parts.Clone();
        change(copy);
        return copy.ToFile();
    }
}
