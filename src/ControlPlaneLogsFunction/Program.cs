using ControlPlaneLogsFunction;
using Functions.Core.Runtime;

return await LambdaHost.RunAsync(args, ControlPlaneStartup.InitializeAsync);
