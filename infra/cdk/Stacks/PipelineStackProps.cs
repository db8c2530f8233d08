using Amazon.CDK;
using Infra.Settings;

namespace Infra.Stacks;

/// <summary>Inputs of <see cref="PipelineStack"/>.</summary>
public sealed class PipelineStackProps : StackProps
{
    /// <summary>The validated context.</summary>
    public required PipelineSettings Settings { get; init; }
}
