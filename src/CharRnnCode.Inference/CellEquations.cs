// The cell equations of PyTorch's LSTM, GRU and Elman RNN for one sequence, given both matrix products:
// the one statement of them that both plain steppers use. It works on a range of hidden units, so that
// the parts of a split step can each finish their own units. It does not multiply matrices.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;

namespace CharRnnCode.Inference;

internal static class CellEquations
{
    /// <summary>Gate blocks per hidden unit, in PyTorch's order: LSTM i, f, g, o; GRU r, z, n; RNN one.</summary>
    public static int Gates(string cell) => cell switch { "lstm" => 4, "gru" => 3, _ => 1 };

    /// <summary>
    /// The new state of units [start, start + hNext.Length) of one sequence.
    /// </summary>
    /// <param name="gates">(G*H) W_ih x + b_ih; the range's entries are overwritten</param>
    /// <param name="hiddenGates">(G*H) W_hh h + b_hh</param>
    /// <param name="hPrevious">the range's state before the step; may be the same memory as hNext</param>
    /// <param name="hNext">the range's new state</param>
    /// <param name="cellState">the range's LSTM cell state, updated in place; empty for GRU and RNN</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Update(string cell, Span<float> gates, ReadOnlySpan<float> hiddenGates, int hidden, int start,
        ReadOnlySpan<float> hPrevious, Span<float> hNext, Span<float> cellState)
    {
        var n = hNext.Length;
        switch (cell)
        {
            case "lstm":
                {
                    // c' = f*c + i*g, h' = o*tanh(c')
                    var i = AddHidden(gates, hiddenGates, hidden, start, n, 0);
                    var f = AddHidden(gates, hiddenGates, hidden, start, n, 1);
                    var g = AddHidden(gates, hiddenGates, hidden, start, n, 2);
                    var o = AddHidden(gates, hiddenGates, hidden, start, n, 3);
                    TensorPrimitives.Sigmoid(i, i);
                    TensorPrimitives.Sigmoid(f, f);
                    TensorPrimitives.Tanh(g, g);
                    TensorPrimitives.Sigmoid(o, o);
                    TensorPrimitives.Multiply(f, cellState, cellState);
                    TensorPrimitives.MultiplyAdd(i, g, cellState, cellState);
                    TensorPrimitives.Tanh(cellState, hNext);
                    TensorPrimitives.Multiply(o, hNext, hNext);
                    break;
                }
            case "gru":
                {
                    // n = tanh(x_n + r*(h_n)), h' = (1-z)*n + z*h = n + z*(h - n); the reset gate applies to W_hh h + b_hh.
                    var r = AddHidden(gates, hiddenGates, hidden, start, n, 0);
                    var z = AddHidden(gates, hiddenGates, hidden, start, n, 1);
                    var candidate = gates.Slice(2 * hidden + start, n);
                    TensorPrimitives.Sigmoid(r, r);
                    TensorPrimitives.Sigmoid(z, z);
                    TensorPrimitives.MultiplyAdd(r, hiddenGates.Slice(2 * hidden + start, n), candidate, candidate);
                    TensorPrimitives.Tanh(candidate, candidate);
                    TensorPrimitives.Subtract(hPrevious, candidate, hNext);
                    TensorPrimitives.MultiplyAdd(z, hNext, candidate, hNext);
                    break;
                }
            default:
                // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
                TensorPrimitives.Add(gates.Slice(start, n), hiddenGates.Slice(start, n), hNext);
                TensorPrimitives.Tanh(hNext, hNext);
                break;
        }
    }

    /// <summary>Gate block <paramref name="gate"/>'s range with the hidden side added in place.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Span<float> AddHidden(Span<float> gates, ReadOnlySpan<float> hiddenGates, int hidden, int start, int n, int gate)
    {
        var slice = gates.Slice(gate * hidden + start, n);
        TensorPrimitives.Add(slice, hiddenGates.Slice(gate * hidden + start, n), slice);
        return slice;
    }
}
