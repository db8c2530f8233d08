using Amazon.CDK.AWS.SNS;

namespace Infra.Constructs;

/// <summary>Inputs of <see cref="OutageAlarms"/>.</summary>
public sealed class OutageAlarmsProps
{
    /// <summary>Where the alarms are sent (the pipeline's alarm topic).</summary>
    public required ITopic Topic { get; init; }

    /// <summary>The control-plane function and its failure queue.</summary>
    public required ControlPlaneLogs ControlPlaneLogs { get; init; }
}
