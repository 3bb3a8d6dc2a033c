// Marks one required symbol version of an ELF shared library as weak (VER_FLG_WEAK in .gnu.version_r),
// so the dynamic loader warns instead of refusing the library when that version is missing.
// Only 64-bit little-endian ELF is handled; it never changes code, symbols or relocations.
// Why this exists: see TorchNativeLoader.
using System.Buffers.Binary;
using System.Text;

namespace CharRnnCode.Model.Runtime;

public static class ElfVersionPatcher
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Versions this library requires, as (file, version name, flags) triples.</summary>
    public static IReadOnlyList<(string File, string Version, ushort Flags)> RequiredVersions(ReadOnlySpan<byte> elf)
    {
        var result = new List<(string, string, ushort)>();
        Walk(elf, (file, version, flags, _) => result.Add((file, version, flags)));
        return result;
    }

    /// <summary>
    /// Sets the weak flag on every requirement of <paramref name="versionName"/>; returns how many
    /// entries changed (0 when they were already weak or the library does not require the version).
    /// </summary>
    public static int MarkWeak(Span<byte> elf, string versionName)
    {
        var flagOffsets = new List<int>();
        Walk(elf, (_, version, flags, flagsOffset) =>
        {
            if (version == versionName && (flags & VerFlagWeak) == 0) flagOffsets.Add(flagsOffset);
        });
        foreach (var offset in flagOffsets)
        {
            var flags = BinaryPrimitives.ReadUInt16LittleEndian(elf[offset..]);
            BinaryPrimitives.WriteUInt16LittleEndian(elf[offset..], (ushort)(flags | VerFlagWeak));
        }
        return flagOffsets.Count;
    }

    private delegate void VersionVisitor(string file, string version, ushort flags, int flagsOffset);

    private static void Walk(ReadOnlySpan<byte> elf, VersionVisitor visit)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            throw new InvalidDataException("Not an ELF file.");
        if (elf[4] != 2 || elf[5] != 1)
            throw new InvalidDataException("Only 64-bit little-endian ELF files are supported.");

        var sectionHeaderOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(elf[0x28..]));
        var sectionHeaderSize = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3A..]);
        var sectionCount = BinaryPrimitives.ReadUInt16LittleEndian(elf[0x3C..]);

        for (var i = 0; i < sectionCount; i++)
        {
            var header = elf.Slice(sectionHeaderOffset + i * sectionHeaderSize, sectionHeaderSize);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header[4..]) != ShtGnuVerneed) continue;

            var sectionOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(header[0x18..]));
            var stringTableIndex = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x28..]);
            var entryCount = (int)BinaryPrimitives.ReadUInt32LittleEndian(header[0x2C..]);
            var stringHeader = elf.Slice(sectionHeaderOffset + stringTableIndex * sectionHeaderSize, sectionHeaderSize);
            var stringTableOffset = checked((int)BinaryPrimitives.ReadUInt64LittleEndian(stringHeader[0x18..]));

            // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
            var needOffset = sectionOffset;
            for (var n = 0; n < entryCount; n++)
            {
                var need = elf[needOffset..];
                var auxCount = BinaryPrimitives.ReadUInt16LittleEndian(need[2..]);
                var file = ReadString(elf, stringTableOffset + (int)BinaryPrimitives.ReadUInt32LittleEndian(need[4..]));
                var auxOffset = needOffset + (int)BinaryPrimitives.ReadUInt32LittleEndian(need[8..]);
                // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                for (var a = 0; a < auxCount; a++)
                {
                    var aux = elf[auxOffset..];
                    var flags = BinaryPrimitives.ReadUInt16LittleEndian(aux[4..]);
                    var name = ReadString(elf, stringTableOffset + (int)BinaryPrimitives.ReadUInt32LittleEndian(aux[8..]));
                    visit(file, name, flags, auxOffset + 4);
                    var nextAux = (int)BinaryPrimitives.ReadUInt32LittleEndian(aux[12..]);
                    if (nextAux == 0) break;
                    auxOffset += nextAux;
                }
                var nextNeed = (int)BinaryPrimitives.ReadUInt32LittleEndian(need[12..]);
                if (nextNeed == 0) break;
                needOffset += nextNeed;
            }
        }
    }

    private static string ReadString(ReadOnlySpan<byte> elf, int offset)
    {
        var end = elf[offset..].IndexOf((byte)0);
        return Encoding.ASCII.GetString(elf.Slice(offset, end));
    }
}
