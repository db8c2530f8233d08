using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Functions.Runtime.Tests.Doubles;

/// <summary>A request as the server read it off the wire.</summary>
public sealed record RecordedRequest(int Connection, string Method, string Target, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// An HTTP/1.1 server on loopback whose answers a test writes byte by byte: in pieces, with any framing,
/// malformed, or not at all; and which can close a connection whenever the test says. Kestrel (behind
/// <c>RuntimeApiDouble</c>) always answers well; a client must also survive a server that does not.
/// </summary>
public sealed class ScriptedHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Func<ServerConnection, Task> _serve;
    private readonly List<Task> _serving = [];
    private readonly Task _accepting;
    private int _connections;

    /// <summary>Starts a server that runs <paramref name="serve"/> for each connection it accepts.</summary>
    public ScriptedHttpServer(Func<ServerConnection, Task> serve)
    {
        _serve = serve;
        _listener.Start();
        HostAndPort = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accepting = AcceptAsync();
    }

    /// <summary>host:port, the value of AWS_LAMBDA_RUNTIME_API.</summary>
    public string HostAndPort { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every request read, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>A server that answers each request on a connection with <paramref name="answer"/>, until the client closes.</summary>
    public static ScriptedHttpServer Answering(Func<RecordedRequest, ServerConnection, Task> answer) => new(async connection =>
    {
        while (await connection.ReadRequestAsync() is { } request)
        {
            await answer(request, connection);
        }
    });

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] serving;
        lock (_serving)
        {
            serving = [.. _serving];
        }

        await Task.WhenAll(serving);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                socket.NoDelay = true;
                var connection = new ServerConnection(this, Interlocked.Increment(ref _connections), socket, _stop.Token);
                lock (_serving)
                {
                    _serving.Add(ServeAsync(connection));
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
            // Stopped (an accept after Stop says "not listening").
        }
    }

    private async Task ServeAsync(ServerConnection connection)
    {
        using (connection)
        {
            try
            {
                await _serve(connection);
            }
            catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away, or the server is stopping.
            }
        }
    }

    /// <summary>One accepted connection.</summary>
    public sealed class ServerConnection : IDisposable
    {
        private readonly ScriptedHttpServer _server;
        private readonly Socket _socket;
        private readonly CancellationToken _stopping;
        private byte[] _buffer = new byte[8192];
        private int _start;
        private int _end;

        internal ServerConnection(ScriptedHttpServer server, int number, Socket socket, CancellationToken stopping)
        {
            _server = server;
            Number = number;
            _socket = socket;
            _stopping = stopping;
        }

        /// <summary>1 for the first connection accepted, 2 for the second, …</summary>
        public int Number { get; }

        /// <summary>Reads the next request (head and Content-Length body); null when the client closed.</summary>
        public async Task<RecordedRequest?> ReadRequestAsync()
        {
            int end;
            while ((end = _buffer.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (!await FillAsync())
                {
                    return null;
                }
            }

            var lines = Encoding.ASCII.GetString(_buffer, _start, end).Split("\r\n");
            _start += end + 4;
            var requestLine = lines[0].Split(' ');
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                headers[line[..colon]] = line[(colon + 1)..].Trim();
            }

            var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
            var body = new byte[length];
            var copied = 0;
            while (copied < length)
            {
                if (_start == _end && !await FillAsync())
                {
                    return null;
                }

                var count = Math.Min(length - copied, _end - _start);
                _buffer.AsSpan(_start, count).CopyTo(body.AsSpan(copied));
                _start += count;
                copied += count;
            }

            var request = new RecordedRequest(Number, requestLine[0], requestLine[1], headers, body);
            _server.Requests.Enqueue(request);
            return request;
        }

        /// <summary>Writes <paramref name="bytes"/> in sends of at most <paramref name="piece"/> bytes, yielding between them.</summary>
        public async Task WriteAsync(ReadOnlyMemory<byte> bytes, int piece = int.MaxValue)
        {
            for (var at = 0; at < bytes.Length; at += piece)
            {
                var part = bytes[at..Math.Min(bytes.Length, at + piece)];
                while (part.Length > 0)
                {
                    part = part[await _socket.SendAsync(part, SocketFlags.None, _stopping)..];
                }

                if (at + piece < bytes.Length)
                {
                    // Give the client a chance to read what is there, so pieces arrive apart (most of the time).
                    await Task.Delay(1, _stopping);
                }
            }
        }

        /// <summary>Writes ASCII text.</summary>
        public Task WriteAsync(string text, int piece = int.MaxValue) => WriteAsync(Encoding.ASCII.GetBytes(text), piece);

        /// <summary>Waits until the server stops: a request left unanswered.</summary>
        public Task HangAsync() => Task.Delay(Timeout.Infinite, _stopping);

        /// <summary>Closes the connection (FIN).</summary>
        public void Close() => _socket.Shutdown(SocketShutdown.Both);

        /// <inheritdoc />
        public void Dispose() => _socket.Dispose();

        private async Task<bool> FillAsync()
        {
            if (_start == _end)
            {
                _start = _end = 0;
            }

            if (_end == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, _stopping);
            _end += read;
            return read > 0;
        }
    }
}
