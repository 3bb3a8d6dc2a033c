// B parallel streams over one text, cut into windows of T characters for truncated backpropagation
// through time: stream b reads the b-th contiguous slice, so batch k+1 continues where batch k ended
// and the hidden state carried between them is meaningful (char-rnn's and torch-rnn's layout).
using static TorchSharp.torch;

namespace CharRnnCode.Model.Training;

public sealed class TextStreams
{
    private readonly int[] _ids;
    private readonly int _streamLength;

    public int Streams { get; }
    public int Window { get; }
    /// <summary>Batches in one pass; the last T+1 characters of each stream are the final window's targets.</summary>
    public int BatchesPerEpoch { get; }
    public long CharactersPerBatch => (long)Streams * Window;

    /// <summary>Fewer streams than asked for when the text is too short to give each one a full window.</summary>
    public TextStreams(int[] ids, int streams, int window)
    {
        _ids = ids;
        Window = window;
        Streams = Math.Max(1, Math.Min(streams, (ids.Length - 1) / window));
        _streamLength = ids.Length / Streams;
        BatchesPerEpoch = Math.Max(0, (_streamLength - 1) / window);
    }

    /// <summary>Inputs and targets of batch <paramref name="index"/>: (B, T) int64 each, targets shifted by one.</summary>
    public (Tensor Input, Tensor Target) Batch(int index, Device device)
    {
        var input = new long[Streams * Window];
        var target = new long[Streams * Window];
        for (var b = 0; b < Streams; b++)
        {
            var start = b * _streamLength + index * Window;
            for (var t = 0; t < Window; t++)
            {
                input[b * Window + t] = _ids[start + t];
                target[b * Window + t] = _ids[start + t + 1];
            }
        }
        return (tensor(input, [Streams, Window], device: device), tensor(target, [Streams, Window], device: device));
    }
}
