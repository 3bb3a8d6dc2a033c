// Raw bytes to and from the server: for messages no well-behaved client library would send
// (broken headers, invalid JSON, random bytes) and for reading the exact responses. Everything the
// server sends is read continuously in the background, as a real client does: a client that stopped
// reading would stall the server's writes and, through them, its reading.
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace CharRnnCode.Server.Tests.Infrastructure;

public sealed class RawLspConnection
{
    private readonly Stream _stream;
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();

    public RawLspConnection(Stream stream)
    {
        _stream = stream;
        _ = Task.Run(ReadLoopAsync);
    }

    public async Task SendBytesAsync(byte[] bytes)
    {
        await _stream.WriteAsync(bytes);
        await _stream.FlushAsync();
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
            var message = await _messages.Reader.ReadAsync(timeout.Token);
            if (match(message)) return message;
        }
    }

    private async Task ReadLoopAsync()
    {
        var pending = new MemoryStream();
        var buffer = new byte[1 << 16];
        try
        {
            while (true)
            {
                var read = await _stream.ReadAsync(buffer);
                if (read == 0) break;
                pending.Write(buffer, 0, read);
                while (TryTakeFrame(pending, out var body))
                    _messages.Writer.TryWrite(JsonDocument.Parse(body).RootElement.Clone());
            }
        }
        catch (Exception error) when (error is IOException or ObjectDisposedException) { }
        _messages.Writer.TryComplete();
    }

    private static bool TryTakeFrame(MemoryStream pending, out byte[] body)
    {
        body = [];
        var data = pending.ToArray();
        var text = Encoding.ASCII.GetString(data);
        var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (headerEnd < 0) return false;
        var lengthLine = text[..headerEnd].Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        var length = int.Parse(lengthLine["Content-Length:".Length..].Trim());
        var bodyStart = headerEnd + 4;
        if (data.Length < bodyStart + length) return false;
        body = data.AsSpan(bodyStart, length).ToArray();
        pending.SetLength(0);
        pending.Write(data, bodyStart + length, data.Length - bodyStart - length);
        return true;
    }
}
