using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Collector.Hosting;

/// <summary>What a route answers.</summary>
public readonly record struct HttpAnswer(int Status, string ContentType, string Body)
{
    public static HttpAnswer Text(string body, int status = 200) => new(status, "text/plain; charset=utf-8", body);
}

/// <summary>
/// The collector's one HTTP port (/healthz, /readyz, /metrics): a small HTTP/1.1 server on a socket, enough for
/// kubelet probes and Prometheus scrapes, without a web framework (which alone cost tens of MiB of memory).
/// Each connection carries one request (<c>Connection: close</c>); GET and HEAD only; requests are read with a
/// size and time limit, and at most <see cref="MaxConnections"/> are served at once.
/// </summary>
public sealed class HttpEndpoint : IAsyncDisposable
{
    public const int MaxConnections = 16;
    private const int MaxRequestBytes = 8 * 1024;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly TcpListener _listener;
    private readonly Func<string, HttpAnswer?> _route;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _slots = new(MaxConnections, MaxConnections);
    private readonly Task _accepting;

    private HttpEndpoint(TcpListener listener, Func<string, HttpAnswer?> route)
    {
        _listener = listener;
        _route = route;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The port listened on (useful when 0 asked for any free port).</summary>
    public int Port { get; }

    /// <summary>
    /// Listens on every address (IPv6 and IPv4 when the host has IPv6, else IPv4) at <paramref name="port"/>.
    /// <paramref name="route"/> maps a path (without query) to an answer, or null for 404.
    /// </summary>
    public static HttpEndpoint Start(int port, Func<string, HttpAnswer?> route)
    {
        ArgumentNullException.ThrowIfNull(route);
        TcpListener listener;
        try
        {
            listener = new TcpListener(IPAddress.IPv6Any, port);
            listener.Server.DualMode = true;
            listener.Start();
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressFamilyNotSupported or SocketError.AddressNotAvailable)
        {
            listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
        }

        return new HttpEndpoint(listener, route);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _accepting.ConfigureAwait(false);
        _stop.Dispose();
        _slots.Dispose();
    }

    /// <summary>Parses the request head; returns the method and path, or null when it is not a valid HTTP/1.x request line.</summary>
    public static (string Method, string Path)? ParseRequestLine(ReadOnlySpan<byte> head)
    {
        var end = head.IndexOf("\r\n"u8);
        if (end < 0)
        {
            return null;
        }

        var line = Encoding.ASCII.GetString(head[..end]);
        var parts = line.Split(' ');
        if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal) || parts[0].Length == 0 || !parts[1].StartsWith('/'))
        {
            return null;
        }

        var query = parts[1].IndexOf('?', StringComparison.Ordinal);
        return (parts[0], query < 0 ? parts[1] : parts[1][..query]);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException && _stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A connection reset before it was accepted: nothing to answer.
                continue;
            }

            if (!_slots.Wait(0))
            {
                // Too many at once: refuse rather than queue without bound.
                socket.Dispose();
                continue;
            }

            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            using (socket)
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                timeout.CancelAfter(RequestTimeout);
                var stream = new NetworkStream(socket, ownsSocket: false);
                await using (stream.ConfigureAwait(false))
                {
                    var head = await ReadHeadAsync(stream, timeout.Token).ConfigureAwait(false);
                    var answer = Answer(head, out var headOnly);
                    await WriteAsync(stream, answer, headOnly, timeout.Token).ConfigureAwait(false);
                }

                socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // The client went away, was too slow, or we are stopping: nothing more to do for it.
        }
        finally
        {
            try
            {
                _slots.Release();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }

    private HttpAnswer Answer(byte[]? head, out bool headOnly)
    {
        headOnly = false;
        if (head is null || ParseRequestLine(head) is not var (method, path))
        {
            return HttpAnswer.Text("bad request\n", 400);
        }

        if (method is not ("GET" or "HEAD"))
        {
            return HttpAnswer.Text("only GET and HEAD\n", 405);
        }

        headOnly = method == "HEAD";
        return _route(path) ?? HttpAnswer.Text("not found\n", 404);
    }

    private static async Task<byte[]?> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;
            var end = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return buffer[..(end + 4)];
            }
        }

        return null;
    }

    private static async Task WriteAsync(NetworkStream stream, HttpAnswer answer, bool headOnly, CancellationToken cancellationToken)
    {
        var body = Encoding.UTF8.GetBytes(answer.Body);
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {answer.Status} {Reason(answer.Status)}\r\nContent-Type: {answer.ContentType}\r\nContent-Length: {body.Length}\r\n"
            + (answer.Status == 405 ? "Allow: GET, HEAD\r\n" : "")
            + "Cache-Control: no-store\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        if (!headOnly)
        {
            await stream.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        503 => "Service Unavailable",
        _ => "Status",
    };
}
