// The buffers file contents pass through during a harvest. A pool of its own rather than
// ArrayPool<byte>.Shared: the shared pool keeps arrays per thread and per core for the life of the
// process, which on a seed-scale harvest (many thread-pool threads, files up to --max-file-kb) adds
// up to more memory than everything else together. This one keeps a bounded number per size.
using System.Buffers;

namespace CharRnnCode.Corpus;

public static class FileBuffers
{
    /// <summary>Arrays up to 4 MiB are pooled, at most 32 of each size; larger ones come and go with the GC.</summary>
    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(maxArrayLength: 4 << 20, maxArraysPerBucket: 32);
}
