using System.Globalization;
using System.Text;

namespace Benchmarks.Collector;

/// <summary>
/// A watch stream as the API server writes it: one watch event per line, core/v1 Events of realistic size
/// (about 1 KiB each, managedFields included), two thirds ADDED and one third MODIFIED repeats.
/// </summary>
public static class WatchStreamSample
{
    public static byte[] Lines(int count)
    {
        var text = new StringBuilder(count * 1200);
        for (var i = 0; i < count; i++)
        {
            var uid = new Guid(i, 0, 0, new byte[8]).ToString();
            var rv = (1_000_000 + i).ToString(CultureInfo.InvariantCulture);
            text.Append("{\"type\":\"").Append(i % 3 == 2 ? "MODIFIED" : "ADDED").Append("\",\"object\":{\"kind\":\"Event\",\"apiVersion\":\"v1\",")
                .Append("\"metadata\":{\"name\":\"web-7d4b9c8f6d-").Append(i).Append(".17a1b2c3d4e5f6a7\",\"namespace\":\"team-").Append(i % 20)
                .Append("\",\"uid\":\"").Append(uid).Append("\",\"resourceVersion\":\"").Append(rv)
                .Append("\",\"creationTimestamp\":\"2024-06-01T12:00:00Z\",\"managedFields\":[{\"manager\":\"kubelet\",\"operation\":\"Update\",\"apiVersion\":\"v1\",\"time\":\"2024-06-01T12:00:00Z\",\"fieldsType\":\"FieldsV1\",\"fieldsV1\":{\"f:count\":{},\"f:firstTimestamp\":{},\"f:involvedObject\":{},\"f:lastTimestamp\":{},\"f:message\":{},\"f:reason\":{},\"f:source\":{\"f:component\":{},\"f:host\":{}},\"f:type\":{}}}]},")
                .Append("\"involvedObject\":{\"kind\":\"Pod\",\"namespace\":\"team-").Append(i % 20).Append("\",\"name\":\"web-7d4b9c8f6d-").Append(i)
                .Append("\",\"uid\":\"").Append(uid).Append("\",\"apiVersion\":\"v1\",\"resourceVersion\":\"").Append(rv).Append("\",\"fieldPath\":\"spec.containers{web}\"},")
                .Append("\"reason\":\"BackOff\",\"message\":\"Back-off restarting failed container web in pod web-7d4b9c8f6d-").Append(i).Append("_team-").Append(i % 20).Append("(").Append(uid).Append(")\",")
                .Append("\"source\":{\"component\":\"kubelet\",\"host\":\"ip-192-168-12-34.ec2.internal\"},\"firstTimestamp\":\"2024-06-01T12:00:00Z\",\"lastTimestamp\":\"2024-06-01T12:05:00Z\",")
                .Append("\"count\":").Append(1 + (i % 7)).Append(",\"type\":\"Warning\",\"eventTime\":null,\"reportingComponent\":\"kubelet\",\"reportingInstance\":\"ip-192-168-12-34.ec2.internal\"}}\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
