using Shared.Contract.Settings;

namespace Functions.Runtime.Tests;

public sealed class SocketCompletionsTests
{
    [Theory]
    [InlineData(null, true)]
    [InlineData("0", false)]
    [InlineData("1", false)]
    public void ShouldSet_VariableAsConfigured_OnlyWhenTheConfigurationLeavesItUnset(string? configured, bool expected)
    {
        var values = new Dictionary<string, string>();
        if (configured is not null)
        {
            values[SocketCompletions.InlineVariable] = configured;
        }

        Assert.Equal(expected, SocketCompletions.ShouldSet(new DictionaryEnvironmentVariables(values)));
    }
}
