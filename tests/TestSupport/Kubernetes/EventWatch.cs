using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace TestSupport.Kubernetes;

/// <summary>
/// An open watch connection: the changes still to be written to it and the connection, which
/// <see cref="KubernetesApiDouble.CutOpenWatches"/> resets.
/// </summary>
internal sealed class EventWatch(HttpContext context)
{
    /// <summary>
    /// Unbounded: the double never blocks its writers, like the API server's watch cache (which would
    /// instead drop a too-slow watcher; the client then resumes).
    /// </summary>
    public Channel<EventChange> Changes { get; } = Channel.CreateUnbounded<EventChange>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>The watch's HTTP request.</summary>
    public HttpContext Context { get; } = context;
}
