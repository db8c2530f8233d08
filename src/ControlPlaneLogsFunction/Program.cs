using ControlPlaneLogsFunction;
using Functions.Runtime;

return await LambdaHost.RunAsync(args, ControlPlaneStartup.InitializeAsync);
