// The ELF walk on the real shipped library: it finds the GCC 13 requirement and marks only it weak.
using CharRnnCode.Model.Runtime;

namespace CharRnnCode.Model.Tests.Runtime;

public sealed class ElfVersionPatcherTests
{
    [Fact]
    public void Marks_only_the_named_requirement_weak_and_is_idempotent()
    {
        var shipped = TorchNativeLoader.FindShippedLibrary();
        Assert.NotNull(shipped);
        var bytes = File.ReadAllBytes(shipped!);
        var before = ElfVersionPatcher.RequiredVersions(bytes);
        Assert.Contains(before, r => r.File == "libstdc++.so.6" && r.Version == TorchNativeLoader.MissingVersion && (r.Flags & 2) == 0);

        Assert.Equal(1, ElfVersionPatcher.MarkWeak(bytes, TorchNativeLoader.MissingVersion));
        Assert.Equal(0, ElfVersionPatcher.MarkWeak(bytes, TorchNativeLoader.MissingVersion));

        var after = ElfVersionPatcher.RequiredVersions(bytes);
        Assert.Equal(before.Count, after.Count);
        for (var i = 0; i < before.Count; i++)
        {
            var expectedFlags = before[i].Version == TorchNativeLoader.MissingVersion ? (ushort)(before[i].Flags | 2) : before[i].Flags;
            Assert.Equal((before[i].File, before[i].Version, expectedFlags), after[i]);
        }
    }

    [Fact]
    public void Rejects_a_file_that_is_not_ELF()
    {
        Assert.Throws<InvalidDataException>(() => ElfVersionPatcher.RequiredVersions("not an elf file, just text"u8.ToArray().Concat(new byte[64]).ToArray()));
    }
}
