using System.Net.Http.Headers;

namespace Collector.Kubernetes.LeaderElection;

/// <summary>
/// <see cref="ILeaseApi"/> over KubernetesClient's authenticated HttpClient (in-cluster service-account
/// token with rotation, or the kubeconfig's credentials). It uses only <c>HttpClient</c>, <c>BaseUri</c> and
/// <c>Credentials</c>, which both KubernetesClient and KubernetesClient.Aot have, and reads and writes the
/// JSON itself (<see cref="LeaseJson"/>), so it needs neither the typed models nor reflection.
/// </summary>
public sealed class KubernetesLeaseApi(k8s.Kubernetes client) : ILeaseApi
{
    private static readonly MediaTypeWithQualityHeaderValue Accept = new("application/json");

    public async Task<Lease?> GetAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, LeaseUri(@namespace, name));
        try
        {
            return LeaseJson.Parse(await SendAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (KubernetesApiException e) when (e.StatusCode == 404)
        {
            // The first candidate ever creates it.
            return null;
        }
    }

    public async Task<Lease> CreateAsync(string @namespace, string name, LeaseSpec spec, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, LeasesUri(@namespace))
        {
            Content = Json(LeaseJson.WriteNew(@namespace, name, spec)),
        };
        return LeaseJson.Parse(await SendAsync(request, cancellationToken).ConfigureAwait(false));
    }

    public async Task<Lease> ReplaceAsync(string @namespace, string name, Lease current, LeaseSpec spec, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, LeaseUri(@namespace, name))
        {
            Content = Json(LeaseJson.WriteReplacement(current, spec)),
        };
        return LeaseJson.Parse(await SendAsync(request, cancellationToken).ConfigureAwait(false));
    }

    private Uri LeasesUri(string @namespace) =>
        new(client.BaseUri, "apis/coordination.k8s.io/v1/namespaces/" + Uri.EscapeDataString(@namespace) + "/leases");

    private Uri LeaseUri(string @namespace, string name) =>
        new(client.BaseUri, "apis/coordination.k8s.io/v1/namespaces/" + Uri.EscapeDataString(@namespace) + "/leases/" + Uri.EscapeDataString(name));

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>Sends the request and returns the response body; any status but 2xx is a <see cref="KubernetesApiException"/>.</summary>
    private async Task<byte[]> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Accept.Add(Accept);
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var response = await client.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new KubernetesApiException((int)response.StatusCode, EventJson.TryParseStatus(body));
        }

        return body;
    }
}
