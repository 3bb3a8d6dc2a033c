// y[b] = W x[b] + bias for a block of weight rows and a few sequences, register-blocked: each pass over
// the columns multiplies 4 weight rows by up to 4 sequences, accumulating in 8-float vectors (FMA where
// the CPU has it) and summing each vector once, at the end of the pass. The 4 rows come from memory once
// and from L1 for every later group of sequences, so a batch costs about one read of the weights, not
// one per sequence, and no dot-product call is paid per (row, sequence). It does not thread
// (PlainRecurrentStepper splits rows across cores); without accelerated 256-bit vectors, and for rows
// left over after the groups of 4, it takes one dot product per (row, sequence).
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CharRnnCode.Inference;

internal static class BlockedMatrixKernel
{
    private const int RowsPerTile = 4;

    /// <summary>
    /// output[b * outputStride + r] = W[r] · input[b * inputStride ..][..cols] + bias[r], for r in [rowStart, rowEnd) and b in sequences.
    /// </summary>
    /// <param name="weight">(rows, cols) row-major</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(float[] weight, float[] bias, int cols, int rowStart, int rowEnd,
        float[] input, int inputStride, float[] output, int outputStride, ReadOnlySpan<int> sequences)
    {
        var row = rowStart;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; row + RowsPerTile <= rowEnd; row += RowsPerTile)
            {
                var tile = new Tile(weight, bias, cols, row, input, inputStride, output, outputStride);
                var s = 0;
                for (; s + 4 <= sequences.Length; s += 4) tile.Run<Four>(sequences.Slice(s, 4));
                switch (sequences.Length - s)
                {
                    case 3: tile.Run<Three>(sequences[s..]); break;
                    case 2: tile.Run<Two>(sequences[s..]); break;
                    case 1: tile.Run<One>(sequences[s..]); break;
                }
            }
        }
        for (; row < rowEnd; row++)
        {
            var weightRow = weight.AsSpan(row * cols, cols);
            foreach (var b in sequences)
                output[b * outputStride + row] = TensorPrimitives.Dot(weightRow, input.AsSpan(b * inputStride, cols)) + bias[row];
        }
    }

    // How many sequences a pass takes, as a type: each count gets its own compiled loop, with the
    // accumulators of absent sequences removed, so no branch is left in the inner loop.
    private interface ISequenceCount { static abstract int Count { get; } }
    private struct One : ISequenceCount { public static int Count => 1; }
    private struct Two : ISequenceCount { public static int Count => 2; }
    private struct Three : ISequenceCount { public static int Count => 3; }
    private struct Four : ISequenceCount { public static int Count => 4; }

    private readonly struct Tile(float[] weight, float[] bias, int cols, int row, float[] input, int inputStride, float[] output, int outputStride)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Run<TCount>(ReadOnlySpan<int> sequences) where TCount : struct, ISequenceCount
        {
            var n = TCount.Count;
            ref var w0 = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(weight), (nint)row * cols);
            ref var w1 = ref Unsafe.Add(ref w0, cols);
            ref var w2 = ref Unsafe.Add(ref w1, cols);
            ref var w3 = ref Unsafe.Add(ref w2, cols);
            ref var inputStart = ref MemoryMarshal.GetArrayDataReference(input);
            ref var x0 = ref Unsafe.Add(ref inputStart, (nint)sequences[0] * inputStride);
            ref var x1 = ref n > 1 ? ref Unsafe.Add(ref inputStart, (nint)sequences[1] * inputStride) : ref x0;
            ref var x2 = ref n > 2 ? ref Unsafe.Add(ref inputStart, (nint)sequences[2] * inputStride) : ref x0;
            ref var x3 = ref n > 3 ? ref Unsafe.Add(ref inputStart, (nint)sequences[3] * inputStride) : ref x0;
            // a{row}{sequence}
            Vector256<float> a00 = default, a10 = default, a20 = default, a30 = default;
            Vector256<float> a01 = default, a11 = default, a21 = default, a31 = default;
            Vector256<float> a02 = default, a12 = default, a22 = default, a32 = default;
            Vector256<float> a03 = default, a13 = default, a23 = default, a33 = default;
            var k = 0;
            for (; k <= cols - Vector256<float>.Count; k += Vector256<float>.Count)
            {
                var offset = (nuint)k;
                var m0 = Vector256.LoadUnsafe(ref w0, offset);
                var m1 = Vector256.LoadUnsafe(ref w1, offset);
                var m2 = Vector256.LoadUnsafe(ref w2, offset);
                var m3 = Vector256.LoadUnsafe(ref w3, offset);
                var v = Vector256.LoadUnsafe(ref x0, offset);
                a00 = MultiplyAdd(m0, v, a00); a10 = MultiplyAdd(m1, v, a10); a20 = MultiplyAdd(m2, v, a20); a30 = MultiplyAdd(m3, v, a30);
                if (n > 1)
                {
                    v = Vector256.LoadUnsafe(ref x1, offset);
                    a01 = MultiplyAdd(m0, v, a01); a11 = MultiplyAdd(m1, v, a11); a21 = MultiplyAdd(m2, v, a21); a31 = MultiplyAdd(m3, v, a31);
                }
                if (n > 2)
                {
                    v = Vector256.LoadUnsafe(ref x2, offset);
                    a02 = MultiplyAdd(m0, v, a02); a12 = MultiplyAdd(m1, v, a12); a22 = MultiplyAdd(m2, v, a22); a32 = MultiplyAdd(m3, v, a32);
                }
                if (n > 3)
                {
                    v = Vector256.LoadUnsafe(ref x3, offset);
                    a03 = MultiplyAdd(m0, v, a03); a13 = MultiplyAdd(m1, v, a13); a23 = MultiplyAdd(m2, v, a23); a33 = MultiplyAdd(m3, v, a33);
                }
            }
            // No call while the accumulators live: the JIT would spill them in the loop to keep them across it.
            ref var outputStart = ref MemoryMarshal.GetArrayDataReference(output);
            var biases = Vector128.LoadUnsafe(ref MemoryMarshal.GetArrayDataReference(bias), (nuint)row);
            Store(ref outputStart, sequences[0] * outputStride + row, biases, a00, a10, a20, a30);
            if (n > 1) Store(ref outputStart, sequences[1] * outputStride + row, biases, a01, a11, a21, a31);
            if (n > 2) Store(ref outputStart, sequences[2] * outputStride + row, biases, a02, a12, a22, a32);
            if (n > 3) Store(ref outputStart, sequences[3] * outputStride + row, biases, a03, a13, a23, a33);
            if (k < cols) AddTails(sequences[..n], k);
        }

        /// <summary>The columns from <paramref name="from"/> on, which the vectors did not cover, added one by one.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private void AddTails(ReadOnlySpan<int> sequences, int from)
        {
            foreach (var sequence in sequences)
            {
                var x = input.AsSpan(sequence * inputStride, cols);
                for (var tileRow = 0; tileRow < RowsPerTile; tileRow++)
                {
                    var w = weight.AsSpan((row + tileRow) * cols, cols);
                    var sum = 0f;
                    for (var k = from; k < cols; k++) sum += w[k] * x[k];
                    output[sequence * outputStride + row + tileRow] += sum;
                }
            }
        }
    }

    /// <summary>The 4 rows' results for one sequence, [sum(a0), sum(a1), sum(a2), sum(a3)] + biases, stored side by side.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store(ref float output, int offset, Vector128<float> biases, Vector256<float> a0, Vector256<float> a1, Vector256<float> a2, Vector256<float> a3)
    {
        Vector128<float> sums;
        if (Avx.IsSupported)
        {
            // Pairwise adds within each 128-bit half, then the two halves: four horizontal sums in four instructions.
            var pairs = Avx.HorizontalAdd(Avx.HorizontalAdd(a0, a1), Avx.HorizontalAdd(a2, a3));
            sums = pairs.GetLower() + pairs.GetUpper();
        }
        else
        {
            sums = Vector128.Create(Vector256.Sum(a0), Vector256.Sum(a1), Vector256.Sum(a2), Vector256.Sum(a3));
        }
        (sums + biases).StoreUnsafe(ref output, (nuint)offset);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) =>
        Fma.IsSupported ? Fma.MultiplyAdd(a, b, addend) : a * b + addend;
}
