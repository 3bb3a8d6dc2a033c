// The corpus identity checkpoints record: SHA-256 over the SHA-256 of each split file, in the order
// train, val, test, as 32 hex characters. It depends on the bytes of the corpus only, never on paths,
// times or the manifest, so two harvests that wrote the same text share an identity.
using System.Security.Cryptography;
using System.Text;

namespace CharRnnCode.Corpus;

public static class CorpusIdentity
{
    /// <summary>Combines the SHA-256 digests of train, val and test (in that order) into a corpus id.</summary>
    public static string Combine(byte[] trainDigest, byte[] valDigest, byte[] testDigest)
    {
        var text = $"train {Convert.ToHexStringLower(trainDigest)}\nval {Convert.ToHexStringLower(valDigest)}\ntest {Convert.ToHexStringLower(testDigest)}\n";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(text)))[..32];
    }

    /// <summary>Recomputes the identity of the split files in <paramref name="directory"/>.</summary>
    public static string Compute(string directory)
    {
        byte[] Digest(CorpusSplit split)
        {
            using var stream = File.OpenRead(Path.Combine(directory, split.TextFileName()));
            return SHA256.HashData(stream);
        }
        return Combine(Digest(CorpusSplit.Train), Digest(CorpusSplit.Val), Digest(CorpusSplit.Test));
    }
}
