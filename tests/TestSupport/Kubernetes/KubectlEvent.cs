namespace TestSupport.Kubernetes;

/// <summary>
/// A core/v1 Event written for these tests in the form <c>kubectl get events -o json</c> prints an item:
/// indented, keys sorted, <c>eventTime</c> null as kubelet leaves it. A pod in a crash loop whose event
/// was created just before midnight UTC and last seen after it, so the index day (creation) and
/// <c>@timestamp</c> (last seen) fall on different days.
/// </summary>
public static class KubectlEvent
{
    /// <summary>The event's JSON.</summary>
    public const string BackOff = """
        {
            "apiVersion": "v1",
            "count": 14,
            "eventTime": null,
            "firstTimestamp": "2024-06-03T23:58:10Z",
            "involvedObject": {
                "apiVersion": "v1",
                "fieldPath": "spec.containers{checkout}",
                "kind": "Pod",
                "name": "checkout-5d8f7c9b6d-qx7kp",
                "namespace": "shop",
                "resourceVersion": "20931477",
                "uid": "3f0c2a9e-6b1d-4e55-9a0f-8c2d7e41b6a3"
            },
            "kind": "Event",
            "lastTimestamp": "2024-06-04T00:06:55Z",
            "message": "Back-off restarting failed container checkout in pod checkout-5d8f7c9b6d-qx7kp_shop(3f0c2a9e-6b1d-4e55-9a0f-8c2d7e41b6a3)",
            "metadata": {
                "creationTimestamp": "2024-06-03T23:58:10Z",
                "name": "checkout-5d8f7c9b6d-qx7kp.17d5a3c2b9e04f11",
                "namespace": "shop",
                "resourceVersion": "20934512",
                "uid": "9b6e1d52-3c47-4a8f-b0e2-5f7a9c1d3e64"
            },
            "reason": "BackOff",
            "reportingComponent": "kubelet",
            "reportingInstance": "ip-192-168-54-21.eu-west-1.compute.internal",
            "source": {
                "component": "kubelet",
                "host": "ip-192-168-54-21.eu-west-1.compute.internal"
            },
            "type": "Warning"
        }
        """;
}
