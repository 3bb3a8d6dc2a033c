// Header-delimited JSON-RPC framing (`Content-Length: N\r\n\r\n` + body) for StreamJsonRpc, written
// to survive hostile input: a malformed header is skipped up to the next header terminator, an
// oversized body is read and dropped without being held in memory, and a body that is not a JSON-RPC
// message gets an error response (the request's id when one can be read, else null) instead of
// tearing the connection down as the stock handler does; a response to a request this server never sent
// is dropped (JsonRpc would end the connection). It does not otherwise interpret messages: JsonRpc does.
using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace CharRnnCode.Server.Protocol;

internal sealed class LspMessageHandler : MessageHandlerBase
{
    /// <summary>Bodies above this are dropped: no editor sends a 64 MB message for a source file.</summary>
    public const int MaxMessageBytes = 64 << 20;
    private const int MaxHeaderBytes = 8 << 10;
    private static readonly byte[] HeaderTerminator = "\r\n\r\n"u8.ToArray();

    private readonly PipeReader _reader;
    private readonly PipeWriter _writer;
    private readonly SystemTextJsonFormatter _formatter;
    private readonly ServerLog _log;
    private readonly ArrayBufferWriter<byte> _body = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<RequestId, byte> _pendingRequests = new();

    public LspMessageHandler(Stream input, Stream output, SystemTextJsonFormatter formatter, ServerLog log)
        : base(formatter)
    {
        _reader = PipeReader.Create(input, new StreamPipeReaderOptions(leaveOpen: true));
        _writer = PipeWriter.Create(output, new StreamPipeWriterOptions(leaveOpen: true));
        _formatter = formatter;
        _log = log;
    }

    public override bool CanRead => true;
    public override bool CanWrite => true;

    /// <summary>How many incoming frames could not be used (for the status request and tests).</summary>
    public int RejectedMessages { get; private set; }

    protected override async ValueTask<JsonRpcMessage?> ReadCoreAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var body = await ReadFrameAsync(cancellationToken);
            if (body is null) return null; // end of input
            if (body.Length == 0) continue; // frame dropped (bad header or oversized), already logged
            try
            {
                // The formatter may keep a reference to the buffer it parses: give it its own array.
                var message = _formatter.Deserialize(new ReadOnlySequence<byte>(body));
                // JsonRpc ends the connection on a response to nothing it asked; such a response is dropped here.
                if (message is JsonRpcResult or JsonRpcError && !_pendingRequests.TryRemove(ResponseId(message), out _))
                {
                    RejectedMessages++;
                    _log.Warn($"dropped a response to no request of this server ({ResponseId(message)})");
                    continue;
                }
                return message;
            }
            catch (Exception error) when (error is not OperationCanceledException)
            {
                RejectedMessages++;
                _log.Warn($"unreadable message ({error.GetType().Name}: {Truncate(error.Message)})");
                await ReplyToUnreadableAsync(body, cancellationToken);
            }
        }
    }

    protected override ValueTask WriteCoreAsync(JsonRpcMessage content, CancellationToken cancellationToken)
    {
        if (content is JsonRpcRequest { RequestId.IsEmpty: false } request) _pendingRequests[request.RequestId] = 0;
        _body.ResetWrittenCount();
        _formatter.Serialize(_body, content);
        var header = Encoding.ASCII.GetBytes($"Content-Length: {_body.WrittenCount}\r\n\r\n");
        _writer.Write(header);
        _writer.Write(_body.WrittenSpan);
        return default;
    }

    protected override async ValueTask FlushAsync(CancellationToken cancellationToken) =>
        await _writer.FlushAsync(cancellationToken);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Complete();
            _writer.Complete();
        }
        base.Dispose(disposing);
    }

    /// <summary>
    /// Reads one frame: its body, an empty array when the frame had to be dropped, null at end of input.
    /// </summary>
    private async ValueTask<byte[]?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        // 1. The header block, up to the blank line.
        ReadOnlySequence<byte> header;
        while (true)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var terminator = IndexOf(buffer, HeaderTerminator);
            if (terminator >= 0)
            {
                header = buffer.Slice(0, terminator);
                var headerText = Encoding.ASCII.GetString(header);
                _reader.AdvanceTo(buffer.GetPosition(terminator + HeaderTerminator.Length));
                var length = ParseContentLength(headerText);
                if (length is null)
                {
                    RejectedMessages++;
                    _log.Warn($"dropped a frame with a malformed header: {Truncate(headerText)}");
                    return [];
                }
                return await ReadBodyAsync(length.Value, cancellationToken);
            }
            if (buffer.Length > MaxHeaderBytes)
            {
                // Garbage without a header terminator: drop all but the tail that could start one.
                RejectedMessages++;
                _log.Warn($"dropped {buffer.Length - 3} bytes that are not a message header");
                _reader.AdvanceTo(buffer.GetPosition(buffer.Length - 3), buffer.End);
                continue;
            }
            if (result.IsCompleted)
            {
                _reader.AdvanceTo(buffer.End);
                return null;
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private async ValueTask<byte[]?> ReadBodyAsync(long length, CancellationToken cancellationToken)
    {
        var keep = length <= MaxMessageBytes;
        var body = keep ? new byte[length] : null;
        long copied = 0;
        while (copied < length)
        {
            var result = await _reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var take = Math.Min(buffer.Length, length - copied);
            if (keep) buffer.Slice(0, take).CopyTo(body.AsSpan((int)copied));
            copied += take;
            _reader.AdvanceTo(buffer.GetPosition(take));
            if (copied < length && result.IsCompleted) return null;
        }
        if (!keep)
        {
            RejectedMessages++;
            _log.Warn($"dropped a {length}-byte message: larger than {MaxMessageBytes} bytes");
            return [];
        }
        return body;
    }

    private static long? ParseContentLength(string header)
    {
        // Bytes of a broken frame may precede a good header: resynchronise on the last Content-Length.
        var start = header.LastIndexOf("Content-Length:", StringComparison.OrdinalIgnoreCase);
        if (start > 0) header = header[start..];
        long? length = null;
        foreach (var line in header.Split("\r\n"))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0) return null;
            var name = line[..colon].Trim();
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) continue;
            if (!long.TryParse(line[(colon + 1)..].Trim(), System.Globalization.NumberStyles.None, null, out var value) || value <= 0)
                return null;
            length = value;
        }
        return length;
    }

    /// <summary>
    /// JSON-RPC says: a body that is not JSON gets a parse error with a null id; JSON that is not a
    /// valid request gets an invalid-request error, with the request's id when it has a readable one.
    /// </summary>
    private async ValueTask ReplyToUnreadableAsync(byte[] body, CancellationToken cancellationToken)
    {
        RequestId id = RequestId.Null;
        int code;
        string message;
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
            code = (int)JsonRpcErrorCode.InvalidRequest;
            message = "The message is JSON but not a valid JSON-RPC 2.0 request, response or notification.";
            if (document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("id", out var idElement))
            {
                if (idElement.ValueKind == JsonValueKind.Number && idElement.TryGetInt64(out var number)) id = new RequestId(number);
                else if (idElement.ValueKind == JsonValueKind.String) id = new RequestId(idElement.GetString());
                if (document.RootElement.TryGetProperty("method", out var method) && method.ValueKind != JsonValueKind.String)
                    message = "The request's method must be a string.";
            }
            // A notification (no id) that cannot be read gets no reply.
            if (id.IsNull && document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.TryGetProperty("method", out _) && !document.RootElement.TryGetProperty("id", out _))
                return;
        }
        catch (JsonException)
        {
            code = (int)JsonRpcErrorCode.ParseError;
            message = "The message body is not valid JSON.";
        }
        var error = new JsonRpcError
        {
            RequestId = id,
            Error = new JsonRpcError.ErrorDetail { Code = (JsonRpcErrorCode)code, Message = message },
        };
        await WriteAsync(error, cancellationToken);
    }

    private static RequestId ResponseId(JsonRpcMessage message) => message switch
    {
        JsonRpcResult result => result.RequestId,
        JsonRpcError error => error.RequestId,
        _ => RequestId.NotSpecified,
    };

    private static long IndexOf(ReadOnlySequence<byte> buffer, byte[] value)
    {
        if (buffer.IsSingleSegment)
            return buffer.FirstSpan.IndexOf(value);
        var reader = new SequenceReader<byte>(buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> before, value, advancePastDelimiter: false) ? before.Length : -1;
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
