using TestSupport.Moto;

namespace EndToEnd.Tests;

/// <summary>One moto_server for the suite; the scenarios run one after the other (they each load both cores).</summary>
[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}
