using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Functions.Runtime;

/// <summary>
/// One keep-alive HTTP/1.1 connection to the Runtime API, used with blocking socket calls on the thread
/// that runs the invocation loop.
/// </summary>
/// <remarks>
/// The Runtime API is a local HTTP server that one loop talks to one request at a time, and a Lambda
/// process has nothing else to do while it waits for <c>next</c>. Through <see cref="HttpClient"/>, each
/// exchange went through the socket engine: a read that finds nothing, a wait in <c>epoll</c>, a wake-up
/// of the engine's thread, and the client's header collections and continuations; at one line per
/// delivery that was a measurable share of the process's CPU (docs/performance.md). Here a request is
/// one <c>send</c> and its response usually one <c>recv</c>, on the calling thread.
/// It understands what an HTTP/1.1 server may answer: a Content-Length body, a chunked body, a body that
/// ends when the server closes, <c>Connection: close</c>, and a kept-alive connection the server has
/// since closed (the request is sent again once, on a new connection, when nothing of its answer came).
/// </remarks>
internal sealed class RuntimeApiConnection(string hostAndPort) : IDisposable
{
    /// <summary>Response heads longer than this are refused (the Runtime API sends a few hundred bytes).</summary>
    internal const int MaxHeadLength = 64 * 1024;

    private readonly string _hostAndPort = hostAndPort;
    private Socket? _socket;
    private byte[] _received = new byte[8 * 1024]; // what came from the socket and is not consumed yet
    private int _start;
    private int _end;
    private byte[] _request = new byte[1024];
    private volatile bool _aborted;
    private bool _answered; // a byte of the current request's answer has arrived

    /// <summary>The header fields of the last response that callers asked for.</summary>
    internal sealed class Head
    {
        public int Status { get; set; }

        public string Reason { get; set; } = string.Empty;

        public long? ContentLength { get; set; }

        public bool Chunked { get; set; }

        public bool Close { get; set; }

        public Dictionary<string, string> Fields { get; } = new(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Sends a request and reads its answer. The body of the answer goes into <paramref name="body"/>,
    /// which is grown (and then reused by the caller) when it is too small.
    /// </summary>
    /// <param name="method">GET or POST.</param>
    /// <param name="path">The path, escaped.</param>
    /// <param name="headers">Extra header lines, each ending in CRLF; ASCII without control characters.</param>
    /// <param name="content">The request body (POST), or empty.</param>
    /// <param name="wanted">The response header fields to keep in <see cref="Head.Fields"/>.</param>
    /// <param name="body">Where the response body goes.</param>
    /// <param name="bodyLength">The body's length.</param>
    /// <param name="cancellationToken">Aborts the connection (and so a blocked read) when cancelled.</param>
    /// <returns>The response head.</returns>
    public Head Exchange(string method, string path, string headers, ReadOnlySpan<byte> content, string[] wanted, ref byte[] body, out int bodyLength, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var registration = cancellationToken.CanBeCanceled
            ? cancellationToken.UnsafeRegister(static state => ((RuntimeApiConnection)state!).Abort(), this)
            : default;
        try
        {
            var head = WriteRequestHead(method, path, headers, content.Length);
            for (var attempt = 0; ; attempt++)
            {
                var reused = _socket is not null;
                var socket = _socket ?? Connect();
                _answered = false;
                try
                {
                    Send(socket, _request.AsSpan(0, head), content);
                    if (!TryReadHead(socket, wanted, out var response))
                    {
                        // Closed before a byte of the answer: a kept-alive connection the server had closed.
                        throw new IOException("The Runtime API closed the connection before answering.");
                    }

                    bodyLength = ReadBody(socket, response, ref body);
                    if (response.Close)
                    {
                        Drop();
                    }

                    return response;
                }
                catch (Exception ex) when (ex is SocketException or IOException && reused && attempt == 0 && !_answered && !_aborted)
                {
                    // Once, as HttpClient does for a pooled connection: the request may never have been read.
                    Drop();
                }
            }
        }
        catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is SocketException or IOException or ObjectDisposedException)
        {
            Drop();
            throw new OperationCanceledException("The Runtime API request was cancelled.", ex, cancellationToken);
        }
        catch
        {
            // What is left of a half-read answer would be taken for the next one.
            Drop();
            throw;
        }
        finally
        {
            _aborted = false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => Drop();

    private void Abort()
    {
        _aborted = true;
        try
        {
            // shutdown wakes a thread blocked in recv on the socket; closing it alone would not.
            _socket?.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed: nothing is blocked on it.
        }
    }

    private void Drop()
    {
        _socket?.Dispose();
        _socket = null;
        _start = _end = 0;
    }

    private Socket Connect()
    {
        var separator = _hostAndPort.LastIndexOf(':');
        if (separator <= 0 || !int.TryParse(_hostAndPort.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is 0 or > 65535)
        {
            throw new InvalidOperationException($"AWS_LAMBDA_RUNTIME_API is '{_hostAndPort}', not host:port.");
        }

        var host = _hostAndPort[..separator].Trim('[', ']');
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            // A blocking connect: the API listens on the loopback interface, so it answers at once or refuses.
            // (An asynchronous one would leave the socket in the engine's non-blocking mode for good.)
            socket.Connect(IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port));
            _socket = socket;
            _start = _end = 0;
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private int WriteRequestHead(string method, string path, string headers, int contentLength)
    {
        var length = method.Length + path.Length + _hostAndPort.Length + headers.Length + 64;
        if (_request.Length < length)
        {
            _request = new byte[length * 2];
        }

        var written = Encoding.ASCII.GetBytes($"{method} {path} HTTP/1.1\r\nHost: {_hostAndPort}\r\n{headers}", _request);
        if (method == "POST")
        {
            written += Encoding.ASCII.GetBytes("Content-Length: ", _request.AsSpan(written));
            Utf8Formatter.TryFormat(contentLength, _request.AsSpan(written), out var digits);
            written += digits;
            written += Encoding.ASCII.GetBytes("\r\n", _request.AsSpan(written));
        }

        written += Encoding.ASCII.GetBytes("\r\n", _request.AsSpan(written));
        return written;
    }

    private void Send(Socket socket, ReadOnlySpan<byte> head, ReadOnlySpan<byte> content)
    {
        // A small body goes in the same send as the head.
        if (content.Length > 0 && head.Length + content.Length <= _request.Length)
        {
            content.CopyTo(_request.AsSpan(head.Length));
            SendAll(socket, _request.AsSpan(0, head.Length + content.Length));
            return;
        }

        SendAll(socket, head);
        SendAll(socket, content);
    }

    private static void SendAll(Socket socket, ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            bytes = bytes[socket.Send(bytes, SocketFlags.None)..];
        }
    }

    /// <summary>Reads more bytes after the unread ones; false at the end of the stream.</summary>
    private bool Fill(Socket socket)
    {
        if (_start == _end)
        {
            // All consumed: the whole buffer is free again.
            _start = _end = 0;
        }
        else if (_end == _received.Length)
        {
            if (_start > 0)
            {
                _received.AsSpan(_start, _end - _start).CopyTo(_received);
                _end -= _start;
                _start = 0;
            }
            else
            {
                Array.Resize(ref _received, _received.Length * 2);
            }
        }

        var read = socket.Receive(_received.AsSpan(_end), SocketFlags.None);
        _end += read;
        _answered |= read > 0;
        return read > 0;
    }

    /// <summary>Reads the status line and the header fields; false when the stream ends before the first byte.</summary>
    private bool TryReadHead(Socket socket, string[] wanted, out Head head)
    {
        head = new Head();
        int end;
        while ((end = _received.AsSpan(_start, _end - _start).IndexOf("\r\n\r\n"u8)) < 0 || end > MaxHeadLength)
        {
            if (_end - _start > MaxHeadLength)
            {
                throw new IOException($"The Runtime API sent a response head longer than {MaxHeadLength} bytes.");
            }

            if (!Fill(socket))
            {
                if (_start == _end)
                {
                    return false;
                }

                throw new IOException("The Runtime API closed the connection in the middle of a response head.");
            }
        }

        var text = Encoding.ASCII.GetString(_received, _start, end);
        _start += end + 4;
        var lines = text.Split("\r\n");
        var status = lines[0].Split(' ', 3);
        if (status.Length < 2 || !status[0].StartsWith("HTTP/1.", StringComparison.Ordinal) || status[1].Length != 3
            || !int.TryParse(status[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code))
        {
            throw new IOException($"The Runtime API answered with '{Excerpt(lines[0])}', not an HTTP/1.x status line.");
        }

        head.Status = code;
        head.Reason = status.Length > 2 ? status[2] : string.Empty;
        head.Close = status[0] == "HTTP/1.0";
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new IOException($"The Runtime API sent a header line that is not 'name: value': '{Excerpt(line)}'.");
            }

            var name = line.AsSpan(0, colon);
            var value = line.AsSpan(colon + 1).Trim(" \t");
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || (head.ContentLength is { } earlier && earlier != length))
                {
                    throw new IOException($"The Runtime API sent Content-Length '{Excerpt(value.ToString())}', which is not one length.");
                }

                head.ContentLength = length;
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                head.Chunked = value.EndsWith("chunked", StringComparison.OrdinalIgnoreCase);
            }
            else if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                head.Close |= value.Contains("close", StringComparison.OrdinalIgnoreCase);
            }
            else
            {
                foreach (var field in wanted)
                {
                    if (name.Equals(field, StringComparison.OrdinalIgnoreCase))
                    {
                        head.Fields.TryAdd(field, value.ToString());
                    }
                }
            }
        }

        return true;
    }

    private int ReadBody(Socket socket, Head head, ref byte[] body)
    {
        if (head.Status is (>= 100 and < 200) or 204 or 304)
        {
            return 0;
        }

        if (head.Chunked)
        {
            return ReadChunked(socket, ref body);
        }

        if (head.ContentLength is not { } announced)
        {
            // Neither a length nor chunks: the body is everything until the server closes.
            head.Close = true;
            var length = 0;
            while (true)
            {
                length += Take(ref body, length, int.MaxValue);
                if (!Fill(socket))
                {
                    return length;
                }
            }
        }

        if (announced > Array.MaxLength)
        {
            throw new IOException($"The Runtime API announced a {announced}-byte body, more than a buffer holds.");
        }

        var total = (int)announced;
        if (body.Length < total)
        {
            body = new byte[total];
        }

        var copied = Take(ref body, 0, total);
        while (copied < total)
        {
            // The rest goes from the socket straight into the body.
            var read = socket.Receive(body.AsSpan(copied, total - copied), SocketFlags.None);
            if (read == 0)
            {
                throw new IOException($"The Runtime API closed the connection after {copied} of {total} announced bytes.");
            }

            copied += read;
        }

        return total;
    }

    /// <summary>Moves up to <paramref name="most"/> unread bytes into <paramref name="body"/> at <paramref name="at"/>.</summary>
    private int Take(ref byte[] body, int at, int most)
    {
        var count = Math.Min(most, _end - _start);
        if (body.Length < at + count)
        {
            Array.Resize(ref body, (int)Math.Min(Array.MaxLength, Math.Max(2L * body.Length, (long)at + count)));
        }

        _received.AsSpan(_start, count).CopyTo(body.AsSpan(at));
        _start += count;
        return count;
    }

    private int ReadChunked(Socket socket, ref byte[] body)
    {
        var length = 0;
        while (true)
        {
            var line = ReadLine(socket);
            var extension = line.IndexOf(';', StringComparison.Ordinal);
            var size = (extension < 0 ? line : line[..extension]).Trim(" \t");
            if (!long.TryParse(size, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var chunk) || chunk < 0 || length + chunk > Array.MaxLength)
            {
                throw new IOException($"The Runtime API sent a chunk size '{Excerpt(line)}' that is not a hexadecimal length.");
            }

            if (chunk == 0)
            {
                // Trailer fields, if any, end with an empty line.
                while (ReadLine(socket).Length > 0)
                {
                }

                return length;
            }

            var left = (int)chunk;
            while (left > 0)
            {
                if (_start == _end && !Fill(socket))
                {
                    throw new IOException("The Runtime API closed the connection in the middle of a chunk.");
                }

                var taken = Take(ref body, length, left);
                length += taken;
                left -= taken;
            }

            if (ReadLine(socket).Length != 0)
            {
                throw new IOException("The Runtime API sent a chunk longer than its size.");
            }
        }
    }

    private string ReadLine(Socket socket)
    {
        int end;
        while ((end = _received.AsSpan(_start, _end - _start).IndexOf("\r\n"u8)) < 0)
        {
            if (_end - _start > MaxHeadLength)
            {
                throw new IOException($"The Runtime API sent a line longer than {MaxHeadLength} bytes in a chunked body.");
            }

            if (!Fill(socket))
            {
                throw new IOException("The Runtime API closed the connection in the middle of a chunked body.");
            }
        }

        var line = Encoding.ASCII.GetString(_received, _start, end);
        _start += end + 2;
        return line;
    }

    private static string Excerpt(string text) => text.Length <= 100 ? text : text[..100] + "…";
}
