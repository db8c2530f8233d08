using Functions.Runtime;
using SetupFunction;

return await LambdaHost.RunAsync(args, SetupStartup.InitializeAsync);
