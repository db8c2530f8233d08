#!/usr/bin/env bash
# Soak test of the collector: the Release build runs against the Kubernetes API double (bench/KubeApiDouble)
# generating RATE events/s and sends to SQS on moto_server, while this script prints the collector's RSS,
# CPU and counters every INTERVAL seconds. Memory must stay flat (no growth trend), see docs/performance.md.
#
#   bench/collector-soak.sh                       # 10 minutes at 500 events/s, a sample every 30 s
#   DURATION=60 INTERVAL=10 bench/collector-soak.sh
#   COLLECTOR_ENV="DOTNET_GCHeapHardLimit=0x2000000" bench/collector-soak.sh   # runtime settings for the collector only
#     (not exported: a heap limit in the environment would also apply to `dotnet build`, which then runs out of memory)
#   BUILD=jit bench/collector-soak.sh              # the JIT build (Collector.dll) instead of the Native AOT executable
#   COLLECTOR_BIN=out/Collector bench/collector-soak.sh   # an executable already published (skips the publish)
#   COLLECTOR_ENV="AWS_ENDPOINT_URL_SQS=http://127.0.0.1:9" bench/collector-soak.sh   # SQS down the whole time:
#     every send fails, the buffer fills to BUFFER_CAPACITY and the watch waits; RSS shows the outage bound
#
# By default the collector is the Native AOT executable, as in the container image (`dotnet publish`, ~2 minutes).
#
# Needs: dotnet, moto_server, curl, and the AWS CLI (for creating and purging the queue).
set -euo pipefail

DURATION=${DURATION:-600}
RATE=${RATE:-500}
INTERVAL=${INTERVAL:-30}
COLLECTOR_ENV=${COLLECTOR_ENV:-}
BUILD=${BUILD:-aot}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  # Newest first: the collector flushes to moto before moto goes away.
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

if [ -n "${COLLECTOR_BIN:-}" ]; then
  collector_cmd=("$COLLECTOR_BIN")
elif [ "$BUILD" = aot ]; then
  echo "publishing the Native AOT collector (Release)..." >&2
  dotnet publish -c Release -nologo -v q -o "$work/collector" "$root/src/Collector/Collector.csproj" >/dev/null
  collector_cmd=("$work/collector/Collector")
else
  echo "building the JIT collector (Release)..." >&2
  dotnet build -c Release -nologo -v q "$root/src/Collector/Collector.csproj" >/dev/null
  collector_cmd=(dotnet "$root/src/Collector/bin/Release/net10.0/Collector.dll")
fi
dotnet build -c Release -nologo -v q "$root/bench/KubeApiDouble/KubeApiDouble.csproj" >/dev/null

moto_port=$(free_port)
moto_server -H 127.0.0.1 -p "$moto_port" >"$work/moto.log" 2>&1 &
pids+=($!)
export AWS_ENDPOINT_URL="http://127.0.0.1:$moto_port" AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true
for _ in $(seq 50); do curl -sf "$AWS_ENDPOINT_URL/moto-api/" >/dev/null 2>&1 && break; sleep 0.2; done
queue_url=$(aws --endpoint-url "$AWS_ENDPOINT_URL" sqs create-queue --queue-name soak --query QueueUrl --output text)

dotnet "$root/bench/KubeApiDouble/bin/Release/net10.0/KubeApiDouble.dll" --rate "$RATE" >"$work/api.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do grep -q '^listening ' "$work/api.log" 2>/dev/null && break; sleep 0.1; done
api_url=$(sed -n 's/^listening //p' "$work/api.log" | head -1)
api_url=${api_url%/}

cat >"$work/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters:
- name: soak
  cluster:
    server: $api_url
users:
- name: soak
  user:
    token: soak
contexts:
- name: soak
  context:
    cluster: soak
    user: soak
current-context: soak
YAML

http_port=$(free_port)
KUBECONFIG="$work/kubeconfig" QUEUE_URL="$queue_url" CLUSTER_NAME=soak HTTP_PORT="$http_port" \
  env $COLLECTOR_ENV "${collector_cmd[@]}" >"$work/collector.log" 2>&1 &
collector=$!
pids+=($collector)

metric() { curl -sf "http://127.0.0.1:$http_port/metrics" | awk -v m="$1" '$1 == m { print $2 }'; }
ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$collector/stat"; }

echo "collector ($BUILD) pid $collector, $RATE events/s for $DURATION s, sample every $INTERVAL s${COLLECTOR_ENV:+, with $COLLECTOR_ENV}"
printf '%8s %10s %8s %12s %10s %8s\n' elapsed_s rss_mib cpu_pct events_sent msgs_sent buffer
start=$(date +%s)
last_ticks=$(cpu_ticks)
last_time=$start
while :; do
  sleep "$INTERVAL"
  now=$(date +%s)
  kill -0 "$collector" 2>/dev/null || { echo "collector exited:"; tail -20 "$work/collector.log"; exit 1; }
  rss_kib=$(awk '/^VmRSS:/ { print $2 }' "/proc/$collector/status")
  t=$(cpu_ticks)
  cpu=$(awk -v d="$((t - last_ticks))" -v s="$((now - last_time))" -v hz="$ticks" 'BEGIN { printf "%.1f", 100 * d / hz / s }')
  last_ticks=$t; last_time=$now
  printf '%8d %10.1f %8s %12s %10s %8s\n' "$((now - start))" "$(awk -v k="$rss_kib" 'BEGIN { print k / 1024 }')" "$cpu" \
    "$(metric collector_events_sent_total)" "$(metric collector_messages_sent_total)" "$(metric collector_buffer_depth)"
  # Keep moto's memory flat: the soak measures the collector, not the emulator.
  aws --endpoint-url "$AWS_ENDPOINT_URL" sqs purge-queue --queue-url "$queue_url" >/dev/null 2>&1 || true
  [ $((now - start)) -ge "$DURATION" ] && break
done
failures=$(metric collector_send_failures_total)
echo "send failures: ${failures:-0}, watch restarts: $(curl -sf "http://127.0.0.1:$http_port/metrics" | awk '/^collector_watch_restarts_total/ { s += $2 } END { print s + 0 }')"
