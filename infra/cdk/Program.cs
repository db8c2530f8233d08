using Amazon.CDK;
using Infra.Packaging;
using Infra.Settings;
using Infra.Stacks;
using Shared.Contract.Settings;

// Composes the app: settings from context, one pipeline stack per cluster. Everything else lives in
// the constructs. `npx cdk synth -c clusterName=<name>`; keys and defaults: docs/deploy.md.
var app = new App();
try
{
    var settings = PipelineSettings.FromContext(app.Node.TryGetContext);
    _ = new PipelineStack(app, settings.StackName, new PipelineStackProps
    {
        Settings = settings,
        Description = $"EKS history pipeline for cluster {settings.ClusterName}: Kubernetes events and control-plane logs into OpenSearch.",
        Env = new Amazon.CDK.Environment
        {
            Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
            Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
        },
    });
}
catch (ConfigurationException ex)
{
    // A context mistake is the user's to fix: say every key at fault, without a stack trace.
    Console.Error.WriteLine(ex.Message);
    return 1;
}
catch (PackagingException ex)
{
    // Neither a local nor a container build is possible: one line saying what to change.
    Console.Error.WriteLine(ex.Message);
    return 1;
}

app.Synth();
return 0;
