using Shared.OpenSearch;

namespace Conformance.Tests.OpenSearchApi;

/// <summary>Our _bulk response reader on the responses OpenSearch's documentation shows.</summary>
public sealed class BulkResponseReaderTests
{
    [Fact]
    public void Read_DocumentedSuccessResponse_ReturnsEveryItemStatus()
    {
        var items = BulkResponseReader.Read(PublicSamples.Read("opensearch/docs-bulk-response-success.json"));

        Assert.Equal([404, 201, 201, 200], items.Select(i => i.Status));
        Assert.All(items, i => Assert.Null(i.ErrorType));
    }

    [Fact]
    public void Read_DocumentedErrorResponse_ReturnsTypeAndReason()
    {
        var item = Assert.Single(BulkResponseReader.Read(PublicSamples.Read("opensearch/docs-bulk-response-error.json")));

        Assert.Equal(404, item.Status);
        Assert.Equal("document_missing_exception", item.ErrorType);
        Assert.Equal("[nonexistent1]: document missing", item.Reason);
    }
}
