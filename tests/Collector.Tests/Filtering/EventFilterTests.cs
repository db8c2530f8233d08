using Collector.Filtering;
using Collector.Kubernetes;
using Collector.Settings;

namespace Collector.Tests.Filtering;

public sealed class EventFilterTests
{
    private static ObservedEvent Event(string ns = "default", string type = "Normal", string reason = "Scheduled", string kind = "Pod") => new()
    {
        Uid = "u",
        ResourceVersion = "1",
        Namespace = ns,
        Type = type,
        Reason = reason,
        InvolvedKind = kind,
        Json = "{}"u8.ToArray(),
    };

    [Fact]
    public void Accepts_NoRules_LetsEverythingThrough()
    {
        var filter = new EventFilter(new CollectorSettings());

        Assert.True(filter.Accepts(Event()));
    }

    [Fact]
    public void Accepts_IncludeTypes_KeepsOnlyThoseTypesIgnoringCase()
    {
        var filter = new EventFilter(new CollectorSettings { IncludeTypes = ["warning"] });

        Assert.True(filter.Accepts(Event(type: "Warning")));
        Assert.False(filter.Accepts(Event(type: "Normal")));
    }

    [Fact]
    public void Accepts_ExcludeWinsOverInclude()
    {
        var filter = new EventFilter(new CollectorSettings { Namespaces = ["default", "kube-system"], ExcludeNamespaces = ["kube-system"] });

        Assert.True(filter.Accepts(Event(ns: "default")));
        Assert.False(filter.Accepts(Event(ns: "kube-system")));
        Assert.False(filter.Accepts(Event(ns: "other")));
    }

    [Fact]
    public void Accepts_ReasonAndKindRules_AllMustPass()
    {
        var filter = new EventFilter(new CollectorSettings { ExcludeReasons = ["Pulled"], IncludeKinds = ["Pod", "Node"] });

        Assert.True(filter.Accepts(Event(reason: "BackOff", kind: "Node")));
        Assert.False(filter.Accepts(Event(reason: "Pulled", kind: "Pod")));
        Assert.False(filter.Accepts(Event(reason: "BackOff", kind: "Deployment")));
    }
}
