using System.Globalization;
using System.Text;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using DomainSetup.Assets;
using DomainSetup.Setup;
using Microsoft.Extensions.Logging.Abstractions;
using OpenSearchSetup.Settings;
using OpenSearchSetup.Verify;
using Shared.Aws;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;
using TestSupport.Moto;
using TestSupport.OpenSearch;

namespace OpenSearchSetup.Tests.Verify;

/// <summary>
/// One cluster's pipeline as verify sees it, built piece by piece so that each test can leave out or break
/// exactly one piece: the SSM parameters in moto, the domain (the setup double), the three queues in moto and
/// the SQS metrics CloudWatch would publish for the events queue (put into moto's CloudWatch, which does not
/// publish SQS metrics itself).
/// </summary>
public sealed class PipelineUnderTest : IAsyncDisposable
{
    /// <summary>
    /// Lines of a healthy verify: parameters, domain, 2 templates, 2 retention policies, one per dashboard the setup
    /// installs, 2 document counts, the queue, 2 DLQs and the collector.
    /// </summary>
    public static int HealthyLines => 12 + EmbeddedSetupAssets.Instance.SavedObjects()
        .SelectMany(file => Encoding.UTF8.GetString(file.Content).Split('\n'))
        .Count(line => line.Contains("\"type\":\"dashboard\"", StringComparison.Ordinal));

    private readonly MotoFixture _moto;
    private readonly AmazonSimpleSystemsManagementClient _ssmSeed;
    private readonly AmazonSQSClient _sqsSeed;
    private readonly AwsJsonClient _ssm;
    private readonly AwsJsonClient _sqs;
    private readonly AwsJsonClient _cloudWatch;
    private readonly HttpClient _http = new();

    private PipelineUnderTest(MotoFixture moto, SetupApiDouble domain)
    {
        _moto = moto;
        Domain = domain;
        _ssmSeed = moto.CreateSsmClient();
        _sqsSeed = moto.CreateSqsClient();
        _ssm = moto.CreateAwsJsonClient(AwsService.Ssm);
        _sqs = moto.CreateAwsJsonClient(AwsService.Sqs);
        _cloudWatch = moto.CreateAwsJsonClient(AwsService.CloudWatch);
    }

    public string Cluster { get; } = $"verify-{Guid.NewGuid():N}"[..20];

    public string Prefix => $"/eksworkshop/{Cluster}/opensearch";

    public SetupApiDouble Domain { get; }

    public static async Task<PipelineUnderTest> StartAsync(MotoFixture moto) => new(moto, await SetupApiDouble.StartAsync());

    public async Task PutParametersAsync(string password = SetupApiDouble.Password, bool withPassword = true)
    {
        await _ssmSeed.PutParameterAsync(new PutParameterRequest { Name = $"{Prefix}/host", Type = ParameterType.String, Value = Domain.Endpoint.ToString() });
        await _ssmSeed.PutParameterAsync(new PutParameterRequest { Name = $"{Prefix}/user", Type = ParameterType.SecureString, Value = SetupApiDouble.User });
        if (withPassword)
        {
            await _ssmSeed.PutParameterAsync(new PutParameterRequest { Name = $"{Prefix}/password", Type = ParameterType.SecureString, Value = password });
        }
    }

    public async Task RunSetupAsync() =>
        await new SetupRunner(Credentials(), BasicRequestAuthenticator.Instance, _http, EmbeddedSetupAssets.Instance, TimeProvider.System, TextWriter.Null)
            .RunAsync(Settings().ToOptions(), CancellationToken.None);

    /// <summary>One document in each index, timestamped <paramref name="age"/> ago.</summary>
    public void AddDocuments(TimeSpan age)
    {
        var at = DateTimeOffset.UtcNow - age;
        var day = at.ToString("yyyy.MM.dd", CultureInfo.InvariantCulture);
        Domain.AddDocument($"eks-kubernetes-events-{day}", Guid.NewGuid().ToString(), at);
        Domain.AddDocument($"eks-control-plane-logs-{day}", Guid.NewGuid().ToString(), at);
    }

    public async Task CreateQueuesAsync()
    {
        foreach (var name in new[] { PipelineQueues.Events(Cluster), PipelineQueues.EventsDeadLetter(Cluster), PipelineQueues.ControlPlaneDeadLetter(Cluster) })
        {
            await _sqsSeed.CreateQueueAsync(new CreateQueueRequest { QueueName = name });
        }
    }

    public async Task SendToAsync(string queueName)
    {
        var url = (await _sqsSeed.GetQueueUrlAsync(queueName)).QueueUrl;
        await _sqsSeed.SendMessageAsync(new SendMessageRequest { QueueUrl = url, MessageBody = "{\"kind\":\"Event\"}" });
    }

    /// <summary>Publishes a data point of an SQS metric of the events queue, as CloudWatch would.</summary>
    public async Task PutQueueMetricAsync(string metric, double value)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = $"{{\"Namespace\":\"AWS/SQS\",\"MetricData\":[{{\"MetricName\":\"{metric}\",\"Dimensions\":[{{\"Name\":\"QueueName\",\"Value\":\"{PipelineQueues.Events(Cluster)}\"}}],\"Value\":{value.ToString(CultureInfo.InvariantCulture)},\"Timestamp\":{now}}}]}}";
        await _cloudWatch.InvokeAsync("PutMetricData", Encoding.UTF8.GetBytes(body), static _ => true, CancellationToken.None);
    }

    /// <summary>Everything healthy: parameters, setup, recent documents, queues, a collector sending, a young queue.</summary>
    public async Task MakeHealthyAsync()
    {
        await PutParametersAsync();
        await RunSetupAsync();
        AddDocuments(TimeSpan.FromMinutes(2));
        await CreateQueuesAsync();
        await PutQueueMetricAsync("NumberOfMessagesSent", 12);
        await PutQueueMetricAsync("ApproximateAgeOfOldestMessage", 40);
    }

    public SetupSettings Settings(params string[] extra) =>
        SetupSettings.Parse(["verify", "--cluster-name", Cluster, .. extra], _ => null);

    /// <summary>Runs verify's checks and returns its report and printed lines.</summary>
    public async Task<(CheckReport Report, IReadOnlyList<string> Lines)> VerifyAsync(params string[] extra)
    {
        var output = new StringWriter();
        var report = new CheckReport(output, colour: false);
        await new PipelineChecks(Settings(extra), Credentials(), BasicRequestAuthenticator.Instance, _http, _sqs, _cloudWatch, TimeProvider.System)
            .RunAsync(report, CancellationToken.None);
        return (report, output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>The environment a process running the tool needs for this pipeline.</summary>
    public IReadOnlyDictionary<string, string> ProcessEnvironment => _moto.Server.Environment;

    private SsmCredentialsSource Credentials() =>
        new(_ssm, Prefix, TimeSpan.FromMinutes(5), TimeProvider.System, NullLogger<SsmCredentialsSource>.Instance);

    public async ValueTask DisposeAsync()
    {
        await Domain.DisposeAsync();
        _ssmSeed.Dispose();
        _sqsSeed.Dispose();
        _ssm.Dispose();
        _sqs.Dispose();
        _cloudWatch.Dispose();
        _http.Dispose();
    }
}
