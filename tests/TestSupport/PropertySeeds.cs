using Xunit;

namespace TestSupport;

/// <summary>Fixed seeds for the property tests: a failing case names its seed, so it repeats.</summary>
public static class PropertySeeds
{
    /// <summary>The seeds 1 to <paramref name="count"/>, as theory data.</summary>
    public static TheoryData<int> First(int count)
    {
        var seeds = new TheoryData<int>();
        for (var seed = 1; seed <= count; seed++)
        {
            seeds.Add(seed);
        }

        return seeds;
    }
}
