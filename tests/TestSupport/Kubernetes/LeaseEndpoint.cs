using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TestSupport.Kubernetes;

/// <summary>
/// coordination.k8s.io/v1 Leases: GET, POST (create) and PUT (replace) with the API server's optimistic
/// concurrency (a stale resourceVersion on replace is 409 Conflict, creating an existing lease is 409
/// AlreadyExists, a missing one is 404), which is all a leader elector relies on; plus the writes of
/// other clients and injected failures.
/// </summary>
internal sealed class LeaseEndpoint(ResourceVersionCounter versions)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, JsonObject> _leases = new(StringComparer.Ordinal);
    private int _conflicts;

    /// <summary>Consulted for every lease request before it is served: a status to answer instead, or null.</summary>
    public Func<LeaseRequest, int?>? Fault { get; set; }

    /// <summary>How many lease writes were refused with 409 (stale resourceVersion, or the lease already exists).</summary>
    public int Conflicts => Volatile.Read(ref _conflicts);

    /// <summary>Routes the namespaced lease paths here.</summary>
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}", (HttpContext c, string ns, string name) => GetAsync(c, ns, name));
        routes.MapPost("/apis/coordination.k8s.io/v1/namespaces/{ns}/leases", (HttpContext c, string ns) => CreateAsync(c, ns));
        routes.MapPut("/apis/coordination.k8s.io/v1/namespaces/{ns}/leases/{name}", (HttpContext c, string ns, string name) => ReplaceAsync(c, ns, name));
    }

    /// <summary>A copy of the stored lease, or null.</summary>
    public JsonObject? Get(string @namespace, string name)
    {
        lock (_gate)
        {
            return _leases.TryGetValue(Key(@namespace, name), out var lease) ? (JsonObject)lease.DeepClone() : null;
        }
    }

    /// <summary>Stores a lease whatever resourceVersion it carries, then gives it a new one; returns a copy of what is stored.</summary>
    public JsonObject Set(string @namespace, JsonObject lease)
    {
        lock (_gate)
        {
            var stored = (JsonObject)lease.DeepClone();
            var metadata = (JsonObject)stored["metadata"]!;
            var name = metadata["name"]!.GetValue<string>();
            metadata["namespace"] = @namespace;
            metadata["resourceVersion"] = ResourceVersionCounter.Format(versions.Next());
            _leases[Key(@namespace, name)] = stored;
            return (JsonObject)stored.DeepClone();
        }
    }

    /// <summary>Changes a stored lease in place and gives it a new resourceVersion; returns a copy of what is stored.</summary>
    public JsonObject Update(string @namespace, string name, Action<JsonObject> change)
    {
        lock (_gate)
        {
            var stored = _leases[Key(@namespace, name)];
            change(stored);
            stored["metadata"]!["resourceVersion"] = ResourceVersionCounter.Format(versions.Next());
            return (JsonObject)stored.DeepClone();
        }
    }

    private static string Key(string @namespace, string name) => @namespace + "/" + name;

    private static string? HolderOf(JsonObject lease) =>
        lease["spec"] is JsonObject spec && spec["holderIdentity"] is JsonValue holder && holder.TryGetValue<string>(out var identity) ? identity : null;

    /// <summary>Answers with the status <see cref="Fault"/> asks for, if it asks for one.</summary>
    private async Task<bool> FaultedAsync(HttpContext context, LeaseRequest request)
    {
        if (Fault?.Invoke(request) is not { } status)
        {
            return false;
        }

        var reason = status switch
        {
            409 => "Conflict",
            429 => "TooManyRequests",
            500 => "InternalError",
            503 => "ServiceUnavailable",
            _ => "Failure",
        };
        await KubernetesStatus.WriteFailureAsync(context, status, reason, "injected lease fault");
        return true;
    }

    private async Task GetAsync(HttpContext context, string @namespace, string name)
    {
        if (await FaultedAsync(context, new LeaseRequest("GET", @namespace, name, null)))
        {
            return;
        }

        string? json;
        lock (_gate)
        {
            json = _leases.TryGetValue(Key(@namespace, name), out var lease) ? lease.ToJsonString() : null;
        }

        if (json is null)
        {
            await KubernetesStatus.WriteFailureAsync(context, 404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
            return;
        }

        await KubernetesStatus.WriteObjectAsync(context, json);
    }

    private async Task CreateAsync(HttpContext context, string @namespace)
    {
        var lease = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        var name = lease?["metadata"]?["name"]?.GetValue<string>();
        if (lease is null || name is null)
        {
            await KubernetesStatus.WriteFailureAsync(context, 400, "BadRequest", "a lease needs metadata.name");
            return;
        }

        if (await FaultedAsync(context, new LeaseRequest("POST", @namespace, name, HolderOf(lease))))
        {
            return;
        }

        string? json = null;
        lock (_gate)
        {
            var key = Key(@namespace, name);
            if (_leases.ContainsKey(key))
            {
                _conflicts++;
            }
            else
            {
                lease["apiVersion"] = "coordination.k8s.io/v1";
                lease["kind"] = "Lease";
                var metadata = (JsonObject)lease["metadata"]!;
                metadata["namespace"] = @namespace;
                metadata["uid"] = Guid.NewGuid().ToString();
                metadata["resourceVersion"] = ResourceVersionCounter.Format(versions.Next());
                metadata["creationTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                _leases[key] = lease;
                json = lease.ToJsonString();
            }
        }

        if (json is null)
        {
            await KubernetesStatus.WriteFailureAsync(context, 409, "AlreadyExists", $"leases.coordination.k8s.io \"{name}\" already exists");
            return;
        }

        await KubernetesStatus.WriteObjectAsync(context, json, StatusCodes.Status201Created);
    }

    private async Task ReplaceAsync(HttpContext context, string @namespace, string name)
    {
        var lease = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted) as JsonObject;
        if (lease?["metadata"] is not JsonObject metadata)
        {
            await KubernetesStatus.WriteFailureAsync(context, 400, "BadRequest", "a lease needs metadata");
            return;
        }

        if (await FaultedAsync(context, new LeaseRequest("PUT", @namespace, name, HolderOf(lease))))
        {
            return;
        }

        int status;
        string json = "";
        lock (_gate)
        {
            var key = Key(@namespace, name);
            if (!_leases.TryGetValue(key, out var stored))
            {
                status = 404;
            }
            else if (metadata["resourceVersion"]?.GetValue<string>() != stored["metadata"]!["resourceVersion"]!.GetValue<string>())
            {
                // Optimistic concurrency: someone else renewed or took the lease since this client read it.
                _conflicts++;
                status = 409;
            }
            else
            {
                metadata["resourceVersion"] = ResourceVersionCounter.Format(versions.Next());
                _leases[key] = lease;
                json = lease.ToJsonString();
                status = 200;
            }
        }

        switch (status)
        {
            case 404:
                await KubernetesStatus.WriteFailureAsync(context, 404, "NotFound", $"leases.coordination.k8s.io \"{name}\" not found");
                return;
            case 409:
                await KubernetesStatus.WriteFailureAsync(context, 409, "Conflict", $"Operation cannot be fulfilled on leases.coordination.k8s.io \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
                return;
        }

        await KubernetesStatus.WriteObjectAsync(context, json);
    }
}
