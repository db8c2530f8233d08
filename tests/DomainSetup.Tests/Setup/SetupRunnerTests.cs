using System.Text.Json.Nodes;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using DomainSetup.Assets;
using DomainSetup.OpenSearch;
using DomainSetup.Setup;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shared.Aws;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;
using TestSupport.Moto;
using TestSupport.OpenSearch;

namespace DomainSetup.Tests.Setup;

public sealed class SetupRunnerTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private static readonly DateTimeOffset Today = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);
    private readonly string _prefix = $"/eksworkshop/setup-{Guid.NewGuid():N}/opensearch";
    private readonly FakeTimeProvider _time = new(Today);
    private SetupApiDouble _domain = null!;
    private AmazonSimpleSystemsManagementClient _seed = null!;
    private AwsJsonClient _ssm = null!;
    private readonly StringWriter _output = new();
    private readonly HttpClient _http = new();

    public async Task InitializeAsync()
    {
        _domain = await SetupApiDouble.StartAsync();
        _seed = moto.CreateSsmClient();
        _ssm = moto.CreateAwsJsonClient(AwsService.Ssm);
    }

    public async Task DisposeAsync()
    {
        await _domain.DisposeAsync();
        _seed.Dispose();
        _ssm.Dispose();
        _http.Dispose();
    }

    private async Task PutParametersAsync(string? password = SetupApiDouble.Password)
    {
        await _seed.PutParameterAsync(new PutParameterRequest { Name = $"{_prefix}/host", Type = ParameterType.String, Value = _domain.Endpoint.ToString() });
        await _seed.PutParameterAsync(new PutParameterRequest { Name = $"{_prefix}/user", Type = ParameterType.SecureString, Value = SetupApiDouble.User });
        if (password is not null)
        {
            await _seed.PutParameterAsync(new PutParameterRequest { Name = $"{_prefix}/password", Type = ParameterType.SecureString, Value = password });
        }
    }

    private SetupRunner Runner() =>
        new(new SsmCredentialsSource(_ssm, _prefix, TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger<SsmCredentialsSource>.Instance), BasicRequestAuthenticator.Instance, _http, EmbeddedSetupAssets.Instance, _time, _output);

    private static SetupOptions Options(bool serverless = false, int eventsDays = SetupOptions.DefaultEventsRetentionDays, string events = SetupOptions.DefaultEventsIndex, string controlPlane = SetupOptions.DefaultControlPlaneIndex) => new()
    {
        EventsIndex = events,
        ControlPlaneIndex = controlPlane,
        EventsRetentionDays = eventsDays,
        ControlPlaneRetentionDays = SetupOptions.DefaultControlPlaneRetentionDays,
        Serverless = serverless,
    };

    private Task<IReadOnlyList<SetupStep>> RunAsync(SetupOptions? options = null) => Runner().RunAsync(options ?? Options(), CancellationToken.None);

    private static int SavedObjectLines() => EmbeddedSetupAssets.Instance.SavedObjects()
        .Sum(f => System.Text.Encoding.UTF8.GetString(f.Content).Split('\n').Count(l => l.Trim().Length > 0));

    // The id the EKS workshop's export gives its eks-kubernetes-events* pattern (Conformance.Tests checks ours against the export).
    private const string WorkshopEventsPattern = "79cc3180-6c51-11ee-bdf2-9d2ccb0785e7";

    private static int SavedObjectFiles() => EmbeddedSetupAssets.Instance.SavedObjects().Count;

    /// <summary>Every reference of every saved object points at a saved object, as Dashboards needs to open it.</summary>
    private void AssertEveryReferenceResolves()
    {
        foreach (var (key, o) in _domain.SavedObjects)
        {
            foreach (var reference in o["references"]!.AsArray())
            {
                Assert.True(_domain.SavedObjects.ContainsKey($"{reference!["type"]}/{reference["id"]}"), $"{key} refers to missing {reference["type"]}/{reference["id"]}");
            }
        }
    }

    [Fact]
    public async Task RunAsync_FreshDomain_InstallsTemplatesRetentionAndDashboards()
    {
        await PutParametersAsync();

        var steps = await RunAsync();

        Assert.Equal("eks-kubernetes-events-*", _domain.Templates["eks-kubernetes-events"]["index_patterns"]![0]!.GetValue<string>());
        Assert.Equal("eks-control-plane-logs-*", _domain.Templates["eks-control-plane-logs"]["index_patterns"]![0]!.GetValue<string>());
        Assert.Equal("date", _domain.Templates["eks-kubernetes-events"]["template"]!["mappings"]!["properties"]!["@timestamp"]!["type"]!.GetValue<string>());

        var events = _domain.Policies["eks-kubernetes-events-retention"]["policy"]!;
        Assert.Equal("30d", events["states"]![0]!["transitions"]![0]!["conditions"]!["min_index_age"]!.GetValue<string>());
        Assert.Equal("delete", events["states"]![1]!["actions"]![0]!.AsObject().Single().Key);
        Assert.Equal("eks-kubernetes-events-*", events["ism_template"]![0]!["index_patterns"]![0]!.GetValue<string>());
        var controlPlane = _domain.Policies["eks-control-plane-logs-retention"]["policy"]!;
        Assert.Equal("14d", controlPlane["states"]![0]!["transitions"]![0]!["conditions"]!["min_index_age"]!.GetValue<string>());

        Assert.Equal(SavedObjectFiles(), _domain.Imports.Count);
        Assert.All(_domain.Imports, import =>
        {
            Assert.Equal("?overwrite=true", import.Query);
            Assert.Equal("true", import.Xsrf);
            Assert.EndsWith(".ndjson", import.FileName, StringComparison.Ordinal);
        });
        Assert.Equal(SavedObjectLines(), _domain.SavedObjects.Count);
        Assert.Contains("dashboard/eks-history-kubernetes-events-dashboard", _domain.SavedObjects.Keys);
        Assert.Contains("dashboard/eks-history-object-history-dashboard", _domain.SavedObjects.Keys);
        AssertEveryReferenceResolves();
        Assert.All(steps, s => Assert.Equal(StepOutcome.Done, s.Outcome));
        // Two templates, two retention policies, one import per saved-objects file.
        Assert.Equal(4 + SavedObjectFiles(), steps.Count);
    }

    [Fact]
    public async Task RunAsync_SecondRun_UpdatesPoliciesConditionallyAndDuplicatesNothing()
    {
        await PutParametersAsync();
        await RunAsync();

        await RunAsync(Options(eventsDays: 7));

        Assert.Contains(_domain.Requests, r => r.StartsWith("PUT /_plugins/_ism/policies/eks-kubernetes-events-retention?if_seq_no=", StringComparison.Ordinal));
        var events = _domain.Policies["eks-kubernetes-events-retention"]["policy"]!;
        Assert.Equal("7d", events["states"]![0]!["transitions"]![0]!["conditions"]!["min_index_age"]!.GetValue<string>());
        Assert.Equal(2 * SavedObjectFiles(), _domain.Imports.Count);
        Assert.Equal(SavedObjectLines(), _domain.SavedObjects.Count);
    }

    [Fact]
    public async Task RunAsync_IndicesThatAlreadyExist_GetTheRetentionPolicy()
    {
        await PutParametersAsync();
        _domain.Indices["eks-kubernetes-events-2026.11.01"] = null;
        _domain.Indices["eks-control-plane-logs-2026.11.01"] = "someone-elses-policy";

        await RunAsync();

        Assert.Equal("eks-kubernetes-events-retention", _domain.Indices["eks-kubernetes-events-2026.11.01"]);
        // An index managed by another policy is left alone: ISM reports it as failed, which is not an error.
        Assert.Equal("someone-elses-policy", _domain.Indices["eks-control-plane-logs-2026.11.01"]);
    }

    [Fact]
    public async Task RunAsync_CustomIndexPrefixes_MoveTemplatePatternsPoliciesAndIndexPatterns()
    {
        await PutParametersAsync();

        await RunAsync(Options(events: "cluster-a-events", controlPlane: "cluster-a-cp"));

        Assert.Equal("cluster-a-events-*", _domain.Templates["cluster-a-events"]["index_patterns"]![0]!.GetValue<string>());
        Assert.True(_domain.Policies.ContainsKey("cluster-a-cp-retention"));
        var titles = _domain.SavedObjects.Values.Where(o => o["type"]!.GetValue<string>() == "index-pattern")
            .Select(o => o["attributes"]!["title"]!.GetValue<string>()).Order().ToList();
        Assert.Equal(["cluster-a-cp*", "cluster-a-events*", "cluster-a-events*,cluster-a-cp*"], titles);
        // Moved patterns read other indices than the workshop's: they get ids of their own, and our objects follow.
        Assert.Contains("index-pattern/eks-history-cluster-a-events", _domain.SavedObjects.Keys);
        Assert.Contains("index-pattern/eks-history-cluster-a-events-cluster-a-cp", _domain.SavedObjects.Keys);
        AssertEveryReferenceResolves();
    }

    [Fact]
    public async Task RunAsync_WorkshopObjectsImportedFirst_LeavesOnePatternPerTitleAndEveryDashboardWorking()
    {
        await PutParametersAsync();
        // What a user who followed the EKS workshop has, imported before ours: its index patterns (the ids of
        // its export) and a saved search and dashboard that read them.
        foreach (var (id, title) in new[] { (WorkshopEventsPattern, "eks-kubernetes-events*"), ("ea521530-81ac-11ee-8baf-a5d5c77ada98", "eks-control-plane-logs*"), ("9e7916f0-7904-11ee-b272-e99097de08f9", "eks-pod-logs*") })
        {
            _domain.SavedObjects[$"index-pattern/{id}"] = JsonNode.Parse($$"""{"type":"index-pattern","id":"{{id}}","attributes":{"title":"{{title}}","timeFieldName":"@timestamp","fields":"[]"},"references":[]}""")!.AsObject();
        }

        _domain.SavedObjects["search/be328f00-6962-11ee-bdf2-9d2ccb0785e7"] = JsonNode.Parse($$"""{"type":"search","id":"be328f00-6962-11ee-bdf2-9d2ccb0785e7","attributes":{"title":"K8s events - data table","columns":["involvedObject.name","reason","message"]},"references":[{"name":"kibanaSavedObjectMeta.searchSourceJSON.index","type":"index-pattern","id":"{{WorkshopEventsPattern}}"}]}""")!.AsObject();
        _domain.SavedObjects["dashboard/06cca640-6a05-11ee-bdf2-9d2ccb0785e7"] = JsonNode.Parse("""{"type":"dashboard","id":"06cca640-6a05-11ee-bdf2-9d2ccb0785e7","attributes":{"title":"1 - Kubernetes Events"},"references":[{"name":"panel_0","type":"search","id":"be328f00-6962-11ee-bdf2-9d2ccb0785e7"}]}""")!.AsObject();

        await RunAsync();

        var patterns = _domain.SavedObjects.Values.Where(o => o["type"]!.GetValue<string>() == "index-pattern")
            .Select(o => o["attributes"]!["title"]!.GetValue<string>()).ToList();
        Assert.Equal(patterns.Count, patterns.Distinct().Count());
        Assert.Contains("eks-kubernetes-events*", patterns);
        Assert.Contains("eks-pod-logs*", patterns); // the workshop's own, which we do not write, stays
        AssertEveryReferenceResolves();
        Assert.Equal("eks-kubernetes-events*", _domain.SavedObjects[$"index-pattern/{WorkshopEventsPattern}"]["attributes"]!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_WrongPassword_FailsSayingWhichParametersToCheck()
    {
        await PutParametersAsync(password: "wrong");
        var ex = await Assert.ThrowsAsync<CredentialsRefusedException>(() => RunAsync());
        Assert.Contains("401", ex.Message, StringComparison.Ordinal);
        Assert.Contains("<prefix>/password", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_domain.Templates);
    }

    [Fact]
    public async Task RunAsync_MissingPassword_FailsNamingTheParameter()
    {
        await PutParametersAsync(password: null);
        var ex = await Assert.ThrowsAsync<Shared.Contract.Settings.ConfigurationException>(() => RunAsync());
        Assert.Contains($"{_prefix}/password", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Serverless_InstallsTemplatesDeletesExpiredIndicesAndSkipsIsmAndDashboards()
    {
        await PutParametersAsync();
        _domain.Serverless = true;
        // Today is 2026-12-01: with 30 days, 2026-10-31 is one day past the retention and 2026-11-01 is not.
        _domain.AddDocument("eks-kubernetes-events-2026.10.31", "a", Today.AddDays(-31));
        _domain.AddDocument("eks-kubernetes-events-2026.11.01", "b", Today.AddDays(-30));
        _domain.AddDocument("eks-kubernetes-events-b-2026.01.01", "c", Today.AddDays(-334));
        _domain.AddDocument("eks-control-plane-logs-2026.11.16", "d", Today.AddDays(-15));
        _domain.AddDocument("eks-control-plane-logs-2026.11.17", "e", Today.AddDays(-14));

        var steps = await RunAsync(Options(serverless: true));

        Assert.Equal(["eks-control-plane-logs", "eks-kubernetes-events"], _domain.Templates.Keys.Order());
        Assert.Equal(
            ["eks-control-plane-logs-2026.11.17", "eks-kubernetes-events-2026.11.01", "eks-kubernetes-events-b-2026.01.01"],
            _domain.Indices.Keys.Order());
        Assert.DoesNotContain(_domain.Requests, r => r.Contains("_plugins", StringComparison.Ordinal) || r.Contains("_dashboards", StringComparison.Ordinal));
        Assert.Empty(_domain.Policies);
        Assert.Contains(steps, s => s.Name == "dashboards" && s.Outcome == StepOutcome.Skipped);
        Assert.Contains(steps, s => s.Name == "external versions" && s.Outcome == StepOutcome.Done);
        // The probe's index is gone again.
        Assert.DoesNotContain(_domain.Indices.Keys, i => i.EndsWith("-version-probe", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_ServerlessCollectionIgnoringExternalVersions_WarnsThatALateCopyCanWin()
    {
        await PutParametersAsync();
        _domain.Serverless = true;
        _domain.Versioning = SetupApiDouble.ServerlessVersioning.Ignored;

        var steps = await RunAsync(Options(serverless: true));

        var versions = Assert.Single(steps, s => s.Name == "external versions");
        Assert.Equal(StepOutcome.Warning, versions.Outcome);
        Assert.Contains("late redelivery", versions.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TimeSeriesCollection_FailsSayingThePipelineNeedsASearchCollection()
    {
        await PutParametersAsync();
        _domain.Serverless = true;
        _domain.Versioning = SetupApiDouble.ServerlessVersioning.RefusesClientIds;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(Options(serverless: true)));

        Assert.Contains("Document ID is not supported", ex.Message, StringComparison.Ordinal);
        Assert.Contains("search collection", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteExpiredAsync_OldAndCurrentIndices_DeletesOnlyThoseOutsideTheRetention()
    {
        await PutParametersAsync();
        _domain.Serverless = true;
        _domain.AddDocument("eks-kubernetes-events-2026.01.05", "a", Today.AddDays(-330));
        _domain.AddDocument("eks-kubernetes-events-2026.12.01", "b", Today);
        _domain.Indices["eks-kubernetes-events-not-a-date"] = null;

        var deleted = await Runner().DeleteExpiredAsync(Options(serverless: true), CancellationToken.None);

        Assert.Equal(["eks-kubernetes-events-2026.01.05"], deleted);
        Assert.Equal(["eks-kubernetes-events-2026.12.01", "eks-kubernetes-events-not-a-date"], _domain.Indices.Keys.Order());
        Assert.Empty(_domain.Templates);
    }
}
