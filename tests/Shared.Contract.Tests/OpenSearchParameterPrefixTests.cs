using Shared.Contract.Settings;

namespace Shared.Contract.Tests;

public sealed class OpenSearchParameterPrefixTests
{
    [Fact]
    public void DefaultFor_Cluster_IsTheWorkshopPath()
    {
        Assert.Equal("/eksworkshop/my-cluster/opensearch", OpenSearchParameterPrefix.DefaultFor("my-cluster"));
        Assert.True(OpenSearchParameterPrefix.IsWellFormed(OpenSearchParameterPrefix.DefaultFor("my-cluster")));
    }

    [Theory]
    [InlineData("/eksworkshop/c/opensearch", true)]
    [InlineData("/a", true)]
    [InlineData("eksworkshop/c/opensearch", false)]
    [InlineData("/eksworkshop/c/opensearch/", false)]
    [InlineData("/eksworkshop//opensearch", false)]
    [InlineData("/", false)]
    [InlineData("", false)]
    public void IsWellFormed_Prefix_AcceptsOnlySsmPaths(string prefix, bool expected)
    {
        Assert.Equal(expected, OpenSearchParameterPrefix.IsWellFormed(prefix));
    }
}
