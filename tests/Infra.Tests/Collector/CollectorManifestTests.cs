using Infra.Collector;

namespace Infra.Tests.Collector;

public sealed class CollectorManifestTests
{
    private static Dictionary<string, string> Values() => new()
    {
        ["NAMESPACE"] = "history",
        ["QUEUE_URL"] = "https://sqs.us-east-1.amazonaws.com/123456789012/q",
        ["CLUSTER_NAME"] = "demo",
        ["AWS_REGION"] = "us-east-1",
        ["IMAGE"] = "collector:1",
        ["ROLE_ARN"] = "",
        ["NODE_ARCHITECTURES"] = "amd64, arm64",
    };

    [Fact]
    public void Render_SampleTemplate_FillsEveryPlaceholder()
    {
        var rendered = CollectorManifest.Render(File.ReadAllText(RepositoryPaths.SampleCollectorTemplate), Values());
        Assert.DoesNotContain("${", rendered, StringComparison.Ordinal);
        Assert.Contains("value: \"https://sqs.us-east-1.amazonaws.com/123456789012/q\"", rendered, StringComparison.Ordinal);
        Assert.Contains("namespace: history", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_MissingValue_FailsNamingThePlaceholder()
    {
        var values = Values();
        values.Remove("IMAGE");
        var ex = Assert.Throws<ArgumentException>(() => CollectorManifest.Render("image: ${IMAGE}", values));
        Assert.Contains("IMAGE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_UnknownPlaceholder_FailsInsteadOfShippingIt()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => CollectorManifest.Render("x: ${LOG_LEVEL}", Values()));
        Assert.Contains("LOG_LEVEL", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToObjects_MultiDocumentYaml_KeepsNumbersBooleansAndQuotedStrings()
    {
        var objects = CollectorManifest.ToObjects("""
            apiVersion: v1
            kind: ConfigMap
            data:
              port: "8080"
            ---
            # a comment-only document is skipped
            ---
            apiVersion: apps/v1
            kind: Deployment
            spec:
              replicas: 2
              template:
                spec:
                  containers:
                    - name: c
                      securityContext:
                        readOnlyRootFilesystem: true
            """);
        Assert.Equal(2, objects.Count);
        Assert.Equal("8080", ((IDictionary<string, object>)objects[0]["data"])["port"]);
        var spec = (IDictionary<string, object>)objects[1]["spec"];
        Assert.Equal(2L, spec["replicas"]);
        var container = (IDictionary<string, object>)((object[])((IDictionary<string, object>)((IDictionary<string, object>)spec["template"])["spec"])["containers"])[0];
        Assert.Equal(true, ((IDictionary<string, object>)container["securityContext"])["readOnlyRootFilesystem"]);
    }
}
