namespace Infra.Tests.Stacks;

/// <summary>The default configuration, synthesized once per test class that asks for it.</summary>
public sealed class DefaultPipelineFixture : IDisposable
{
    public SynthesizedPipeline Pipeline { get; } = SynthesizedPipeline.Create();

    public void Dispose() => Pipeline.Dispose();
}
