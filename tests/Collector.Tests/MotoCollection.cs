using TestSupport.Moto;

namespace Collector.Tests;

/// <summary>One moto_server for every test that needs SQS.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}
