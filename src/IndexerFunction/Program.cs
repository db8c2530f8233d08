using Functions.Runtime;
using IndexerFunction;

return await LambdaHost.RunAsync(args, IndexerStartup.InitializeAsync);
