using TestSupport.Moto;

namespace Shared.Aws.Tests;

/// <summary>One moto_server for every test in this assembly that needs AWS APIs.</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "moto";
}
