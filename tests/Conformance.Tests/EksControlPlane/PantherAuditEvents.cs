using System.Globalization;
using System.Text.Json.Nodes;

namespace Conformance.Tests.EksControlPlane;

/// <summary>
/// The real EKS audit events of the Panther rule tests (eks/eks-audit-events.panther-normalized.json), turned back into the
/// wire form: Panther rewrote the timestamps as "yyyy-MM-dd hh:mm:ss.fff", kube-apiserver writes RFC 3339
/// with microseconds.
/// </summary>
public static class PantherAuditEvents
{
    /// <summary>Each event as one audit log line.</summary>
    public static IReadOnlyList<string> Lines()
    {
        var text = PublicSamples.ReadText("eks/eks-audit-events.panther-normalized.json");
        var lines = new List<string>();
        foreach (var entry in JsonNode.Parse(text)!.AsArray())
        {
            var audit = entry!["event"]!.AsObject().DeepClone().AsObject();
            foreach (var name in new[] { "requestReceivedTimestamp", "stageTimestamp" })
            {
                if (audit[name] is JsonValue value && value.TryGetValue<string>(out var panther))
                {
                    audit[name] = ToRfc3339(panther);
                }
            }

            lines.Add(audit.ToJsonString());
        }

        return lines;
    }

    /// <summary>"2022-11-29 00:09:04.38" → "2022-11-29T00:09:04.380000Z".</summary>
    public static string ToRfc3339(string panther)
    {
        // Panther keeps up to nine fraction digits; RFC 3339 from kube-apiserver has six.
        var dot = panther.IndexOf('.', StringComparison.Ordinal);
        var seconds = dot < 0 ? panther : panther[..dot];
        var fraction = dot < 0 ? string.Empty : panther[(dot + 1)..];
        var parsed = DateTime.ParseExact(seconds, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return parsed.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + fraction.PadRight(6, '0')[..6] + "Z";
    }
}
