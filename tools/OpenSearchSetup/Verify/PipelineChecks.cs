using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using DomainSetup.Assets;
using DomainSetup.OpenSearch;
using OpenSearchSetup.Settings;
using Shared.Aws;
using Shared.Contract.Settings;
using Shared.OpenSearch;
using Shared.OpenSearch.Credentials;

namespace OpenSearchSetup.Verify;

/// <summary>
/// <c>verify</c>: follows the pipeline hop by hop and says, one line each, whether it works: the SSM parameters, the
/// domain and the login, what the setup installs, documents arriving in both indices, the events queue's depth and
/// the age of its oldest message, both dead-letter queues, and the collector's recent sends. A check that cannot
/// run because an earlier one failed is skipped, not failed twice.
/// </summary>
public sealed class PipelineChecks(
    SetupSettings settings,
    ICredentialsSource credentials,
    IRequestAuthenticator authenticator,
    HttpClient http,
    AwsJsonClient sqs,
    AwsJsonClient cloudWatch,
    TimeProvider time)
{
    private const string RunSetup = "run `dotnet run --project tools/OpenSearchSetup -- --cluster-name <cluster>` (or update the stack, whose custom resource runs it)";

    private string Cluster => settings.ClusterName ?? throw new InvalidOperationException("verify needs --cluster-name.");

    private bool Serverless => settings.Service == "aoss";

    /// <summary>Runs every check into <paramref name="report"/>.</summary>
    public async Task RunAsync(CheckReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var api = await DomainAsync(report, cancellationToken);
        if (api is null)
        {
            foreach (var check in new[] { "index templates", "retention", "dashboards", "recent documents" })
            {
                report.Skip(check, "needs the domain (see above).");
            }
        }
        else
        {
            await TemplatesAsync(report, api, cancellationToken);
            await RetentionAsync(report, api, cancellationToken);
            await DashboardsAsync(report, api, cancellationToken);
            await RecentDocumentsAsync(report, api, settings.EventsIndex, "Is the collector running (kubectl -n eks-history get pods) and sending (see the collector and queue lines)? Is the indexer failing (its log group)?", cancellationToken);
            await RecentDocumentsAsync(report, api, settings.ControlPlaneIndex, $"Are the control-plane log types on (aws eks describe-cluster --name {Cluster} --query cluster.logging)? Is ControlPlaneLogsFunction failing (its log group)?", cancellationToken);
        }

        await QueueAsync(report, cancellationToken);
        await DeadLetterQueueAsync(report, PipelineQueues.EventsDeadLetter(Cluster), "events the indexer failed five times", cancellationToken);
        await DeadLetterQueueAsync(report, PipelineQueues.ControlPlaneDeadLetter(Cluster), "control-plane deliveries that failed", cancellationToken);
        await CollectorSendsAsync(report, cancellationToken);
    }

    private async Task<OpenSearchApi?> DomainAsync(CheckReport report, CancellationToken cancellationToken)
    {
        var names = authenticator.NeedsLogin ? "host, user and password" : "host";
        OpenSearchCredentials connection;
        try
        {
            connection = await credentials.GetAsync(cancellationToken);
        }
        catch (ConfigurationException ex)
        {
            report.Fail("SSM parameters", ex.Message, $"aws ssm put-parameter --name {settings.ParameterPrefix}/<name> --type {(authenticator.NeedsLogin ? "SecureString" : "String")} --value ... (host as String, user and password as SecureString; docs/deploy.md).");
            report.Skip("domain", "needs the SSM parameters.");
            return null;
        }
        catch (AwsServiceException ex)
        {
            report.Fail("SSM parameters", ex.Message, "use credentials that may call ssm:GetParameters (with kms:Decrypt through SSM) on the prefix, in the stack's region.");
            report.Skip("domain", "needs the SSM parameters.");
            return null;
        }

        report.Pass("SSM parameters", $"{settings.ParameterPrefix}/{{{names}}} present.");
        var api = new OpenSearchApi(http, connection, authenticator);
        try
        {
            var answer = await api.SendAsync(HttpMethod.Get, $"_index_template/{settings.EventsIndex}", null, cancellationToken);
            if (answer.Status == HttpStatusCode.Forbidden)
            {
                report.Fail("domain", $"{connection.Endpoint} refused the request (403): {Excerpt(answer.Body)}", Serverless
                    ? "add your role to the collection's data access policy (the stack's grants the functions only)."
                    : "map your IAM role (SigV4) or user to an OpenSearch role that may read index templates (docs/configuration.md).");
                return null;
            }

            report.Pass("domain", $"{connection.Endpoint} answers and accepts the {(authenticator.NeedsLogin ? "login" : "SigV4 signature")}.");
            return api;
        }
        catch (CredentialsRefusedException ex)
        {
            report.Fail("domain", ex.Message, $"aws ssm put-parameter --name {settings.ParameterPrefix}/password --type SecureString --value '...' --overwrite with the user's current password.");
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            report.Fail("domain", $"cannot reach {connection.Endpoint}: {ex.Message}", "run verify from a machine that reaches the domain (inside its VPC for a VPC domain) and check the host parameter.");
        }

        return null;
    }

    private async Task TemplatesAsync(CheckReport report, OpenSearchApi api, CancellationToken cancellationToken)
    {
        foreach (var prefix in new[] { settings.EventsIndex, settings.ControlPlaneIndex })
        {
            var answer = await api.SendAsync(HttpMethod.Get, $"_index_template/{prefix}", null, cancellationToken);
            if (answer.IsSuccess)
            {
                report.Pass($"index template {prefix}", $"installed for {prefix}-*.");
            }
            else
            {
                report.Fail($"index template {prefix}", $"missing ({(int)answer.Status}).", $"{RunSetup}; the functions also install it before their first write.");
            }
        }
    }

    private async Task RetentionAsync(CheckReport report, OpenSearchApi api, CancellationToken cancellationToken)
    {
        if (Serverless)
        {
            report.Skip("retention", "OpenSearch Serverless has no ISM: the stack's daily schedule deletes expired daily indices (its runs are in the setup function's log group).");
            return;
        }

        foreach (var prefix in new[] { settings.EventsIndex, settings.ControlPlaneIndex })
        {
            var id = IsmPolicies.PolicyId(prefix);
            var answer = await api.SendAsync(HttpMethod.Get, $"_plugins/_ism/policies/{id}", null, cancellationToken);
            if (!answer.IsSuccess)
            {
                report.Fail($"retention {prefix}", $"ISM policy {id} missing ({(int)answer.Status}).", RunSetup + ".");
                continue;
            }

            var age = JsonNode.Parse(answer.Body)?["policy"]?["states"]?.AsArray()
                .SelectMany(s => s?["transitions"]?.AsArray() ?? [])
                .Select(t => t?["conditions"]?["min_index_age"]?.GetValue<string>())
                .FirstOrDefault(a => a is not null);
            report.Pass($"retention {prefix}", $"ISM policy {id}: delete after {age ?? "(no age condition)"}.");
        }
    }

    private async Task DashboardsAsync(CheckReport report, OpenSearchApi api, CancellationToken cancellationToken)
    {
        if (Serverless)
        {
            report.Skip("dashboards", "the setup cannot import into a Serverless collection's Dashboards; import dashboards/*.ndjson there by hand.");
            return;
        }

        var dashboards = settings.DashboardsUrl ?? new Uri(api.Endpoint, "_dashboards/");
        foreach (var (id, title) in DashboardIds(settings.Assets))
        {
            var answer = await api.SendAsync(HttpMethod.Get, new Uri(dashboards, $"api/saved_objects/dashboard/{id}").ToString(), null, cancellationToken);
            if (answer.IsSuccess)
            {
                report.Pass($"dashboard \"{title}\"", $"installed in {dashboards}.");
            }
            else
            {
                report.Fail($"dashboard \"{title}\"", $"missing ({(int)answer.Status}).", RunSetup + ".");
            }
        }
    }

    private async Task RecentDocumentsAsync(CheckReport report, OpenSearchApi api, string prefix, string fix, CancellationToken cancellationToken)
    {
        var query = $"{{\"query\":{{\"range\":{{\"@timestamp\":{{\"gte\":\"now-{settings.WindowMinutes}m\"}}}}}}}}";
        var answer = await api.SendAsync(HttpMethod.Post, $"{prefix}-*/_count", query, cancellationToken);
        long count = 0;
        if (answer.IsSuccess)
        {
            using var document = JsonDocument.Parse(answer.Body);
            count = document.RootElement.GetProperty("count").GetInt64();
        }
        else if (answer.Status != HttpStatusCode.NotFound)
        {
            report.Fail($"recent documents {prefix}-*", $"the count failed ({(int)answer.Status}): {Excerpt(answer.Body)}", "see the domain line above.");
            return;
        }

        if (count > 0)
        {
            report.Pass($"recent documents {prefix}-*", $"{count} with @timestamp in the last {settings.WindowMinutes} minutes.");
        }
        else
        {
            report.Fail($"recent documents {prefix}-*", $"none with @timestamp in the last {settings.WindowMinutes} minutes.", fix);
        }
    }

    private async Task QueueAsync(CheckReport report, CancellationToken cancellationToken)
    {
        var name = PipelineQueues.Events(Cluster);
        var queues = new SqsQueueAttributes(sqs);
        var url = await queues.UrlOfAsync(name, cancellationToken);
        if (url is null)
        {
            report.Fail($"queue {name}", "does not exist.", $"deploy the stack for cluster {Cluster} (npx cdk deploy -c clusterName={Cluster}), in this region ({sqs.Endpoint.Region}).");
            return;
        }

        var counts = await queues.CountsAsync(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], cancellationToken);
        var ages = await MetricAsync("ApproximateAgeOfOldestMessage", name, "Maximum", cancellationToken);
        var oldest = ages.Count == 0 ? (double?)null : ages.Max();
        var depth = string.Create(CultureInfo.InvariantCulture, $"{counts.GetValueOrDefault("ApproximateNumberOfMessages")} waiting, {counts.GetValueOrDefault("ApproximateNumberOfMessagesNotVisible")} in flight");
        if (oldest is { } age && age > settings.MaxMessageAgeSeconds)
        {
            report.Fail($"queue {name}", string.Create(CultureInfo.InvariantCulture, $"{depth}; the oldest message waited {age:0} s (over {settings.MaxMessageAgeSeconds} s): the indexer is falling behind."), "look at the indexer's errors and throttles (CloudWatch dashboard), the domain's health, and indexerMaxConcurrency.");
            return;
        }

        report.Pass($"queue {name}", oldest is { } seen
            ? string.Create(CultureInfo.InvariantCulture, $"{depth}; oldest message {seen:0} s old at most in the last {settings.WindowMinutes} minutes.")
            : $"{depth}; no message age reported in the last {settings.WindowMinutes} minutes.");
    }

    private async Task DeadLetterQueueAsync(CheckReport report, string name, string holds, CancellationToken cancellationToken)
    {
        var queues = new SqsQueueAttributes(sqs);
        var url = await queues.UrlOfAsync(name, cancellationToken);
        if (url is null)
        {
            report.Fail($"dead-letter queue {name}", "does not exist.", "deploy (or update) the stack.");
            return;
        }

        var counts = await queues.CountsAsync(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], cancellationToken);
        var parked = counts.GetValueOrDefault("ApproximateNumberOfMessages") + counts.GetValueOrDefault("ApproximateNumberOfMessagesNotVisible");
        if (parked == 0)
        {
            report.Pass($"dead-letter queue {name}", "empty.");
        }
        else
        {
            report.Fail(
                $"dead-letter queue {name}",
                string.Create(CultureInfo.InvariantCulture, $"{parked} messages: {holds}."),
                $"find the cause in the function's log, then move them back: aws sqs start-message-move-task --source-arn $(aws sqs get-queue-attributes --queue-url {url} --attribute-names QueueArn --query Attributes.QueueArn --output text) (docs/deploy.md, Redriving).");
        }
    }

    private async Task CollectorSendsAsync(CheckReport report, CancellationToken cancellationToken)
    {
        var name = PipelineQueues.Events(Cluster);
        var sent = (await MetricAsync("NumberOfMessagesSent", name, "Sum", cancellationToken)).Sum();
        if (sent >= 1)
        {
            report.Pass("collector", string.Create(CultureInfo.InvariantCulture, $"{sent:0} messages sent to {name} in the last {settings.WindowMinutes} minutes (a running collector sends at least a heartbeat every 5 minutes)."));
        }
        else
        {
            report.Fail("collector", $"nothing sent to {name} in the last {settings.WindowMinutes} minutes: no collector runs, none leads, or it is stuck.", "kubectl -n eks-history get pods; kubectl -n eks-history logs deploy/eks-history-collector; apply the manifest if it is missing (docs/deploy.md).");
        }
    }

    private Task<IReadOnlyList<double>> MetricAsync(string metric, string queueName, string statistic, CancellationToken cancellationToken)
    {
        // The window ends a minute ahead: a data point of the current minute counts (CloudWatch takes the end as exclusive).
        var now = time.GetUtcNow();
        return new CloudWatchMetricData(cloudWatch).ValuesAsync(
            new CloudWatchMetricQuery("AWS/SQS", metric, new Dictionary<string, string> { ["QueueName"] = queueName }, statistic, 60),
            now.AddMinutes(-settings.WindowMinutes),
            now.AddMinutes(1),
            cancellationToken);
    }

    private static IEnumerable<(string Id, string Title)> DashboardIds(ISetupAssets assets) =>
        assets.SavedObjects()
            .SelectMany(file => System.Text.Encoding.UTF8.GetString(file.Content).Split('\n'))
            .Where(line => line.Trim().Length > 0)
            .Select(line => JsonNode.Parse(line)!)
            .Where(o => o["type"]?.GetValue<string>() == "dashboard")
            .Select(o => (o["id"]!.GetValue<string>(), o["attributes"]?["title"]?.GetValue<string>() ?? o["id"]!.GetValue<string>()));

    private static string Excerpt(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
