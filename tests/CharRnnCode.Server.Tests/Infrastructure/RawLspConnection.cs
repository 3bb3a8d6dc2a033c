// Raw bytes to and from the server: for messages no well-behaved client library would send
// (broken headers, invalid JSON, random bytes) and for reading the exact responses.
using System.Text;
using System.Text.Json;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed class RawLspConnection(Stream stream)
{
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly MemoryStream _pending = new();

    public async Task SendBytesAsync(byte[] bytes)
    {
        await stream.WriteAsync(bytes);
        await stream.FlushAsync();
    }

    public Task SendFrameAsync(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return SendBytesAsync([.. Encoding.ASCII.GetBytes($"Content-Length: {bytes.Length}\r\n\r\n"), .. bytes]);
    }

    /// <summary>Reads messages until one satisfies <paramref name="match"/>; earlier ones are skipped.</summary>
    public async Task<JsonElement> ReadUntilAsync(Func<JsonElement, bool> match, int timeoutMs = 60_000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        while (true)
        {
            var message = await ReadMessageAsync(timeout.Token);
            if (match(message)) return message;
        }
    }

    public async Task<JsonElement> ReadMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var data = _pending.ToArray();
            var text = Encoding.ASCII.GetString(data);
            var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd >= 0)
            {
                var lengthLine = text[..headerEnd].Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var length = int.Parse(lengthLine["Content-Length:".Length..].Trim());
                var bodyStart = headerEnd + 4;
                if (data.Length >= bodyStart + length)
                {
                    var body = data.AsSpan(bodyStart, length).ToArray();
                    _pending.SetLength(0);
                    _pending.Write(data, bodyStart + length, data.Length - bodyStart - length);
                    return JsonDocument.Parse(body).RootElement.Clone();
                }
            }
            var read = await stream.ReadAsync(_buffer, cancellationToken);
            if (read == 0) throw new EndOfStreamException("The server closed the connection.");
            _pending.Write(_buffer, 0, read);
        }
    }
}
