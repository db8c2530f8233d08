namespace Infra.Constructs;

/// <summary>Inputs of <see cref="OpenSearchParameters"/>.</summary>
public sealed class OpenSearchParametersProps
{
    /// <summary>The SSM path the three parameters live under, e.g. /eksworkshop/&lt;cluster&gt;/opensearch.</summary>
    public required string Prefix { get; init; }

    /// <summary>When set, the stack owns the <c>&lt;prefix&gt;/host</c> String parameter with this value.</summary>
    public string? Endpoint { get; init; }
}
