using Functions.Runtime.Redelivery;
using Functions.Runtime.Settings;
using Shared.Contract.Settings;

namespace TestSupport.Settings;

/// <summary>
/// The functions' settings as tests get them: read by the production reader from the environment variables a test
/// names, so a default or a range lives only in the code the Lambda runs. <c>CLUSTER_NAME</c> is <c>test</c> unless given.
/// </summary>
public static class FunctionSettingsFrom
{
    /// <summary>The variables as a source for any settings type's <c>Load</c>, with <c>CLUSTER_NAME</c> filled in.</summary>
    public static DictionaryEnvironmentVariables Environment(params (string Name, string Value)[] variables)
    {
        var values = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        values.TryAdd(EnvironmentVariableNames.ClusterName, "test");
        return new DictionaryEnvironmentVariables(values);
    }

    /// <summary>The shared settings read from <paramref name="variables"/>.</summary>
    public static FunctionSettings Variables(params (string Name, string Value)[] variables) => FunctionSettings.Load(Environment(variables));

    /// <summary>The hold policy the functions build from <paramref name="variables"/> (the deployed defaults when none is given).</summary>
    public static HoldPolicy HoldPolicy(params (string Name, string Value)[] variables) => Functions.Runtime.Redelivery.HoldPolicy.From(Variables(variables));
}
