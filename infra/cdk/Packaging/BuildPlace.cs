namespace Infra.Packaging;

/// <summary>Where a function's bootstrap is published.</summary>
public enum BuildPlace
{
    /// <summary>On this machine, by <see cref="DotnetPublishBundling"/>.</summary>
    Local,

    /// <summary>In the Amazon Linux 2023 build image (<see cref="AotBuildImage"/>), through CDK's Docker bundling.</summary>
    Container,
}
