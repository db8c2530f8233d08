// Times the Node.js "LogsToElasticsearch" blueprint, as the EKS workshop ships it, on the same mixed
// control-plane payloads our ControlPlanePipeline benchmark uses: base64 → gunzip → JSON.parse →
// the blueprint's own transform() building the bulk body. Network and SSM are not involved, as in ours.
//
// The blueprint is not part of this repository. Get it from its public source and pass its path:
//   git clone --depth 1 https://github.com/aws-samples/eks-workshop-v2
//   bash bench/blueprint-compare.sh eks-workshop-v2/manifests/modules/observability/opensearch/.workshop/terraform/lambda/logs-to-opensearch.js
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';

const [blueprintPath, payloadDir, secondsArg] = process.argv.slice(2);
if (!blueprintPath || !payloadDir) {
  console.error('usage: node bench/blueprint-compare.mjs <logs-to-opensearch.js> <payload dir> [seconds]');
  process.exit(2);
}

// Load the file unchanged; its top-level function declarations become properties of the context.
const context = vm.createContext({
  require: createRequire(path.resolve(blueprintPath)),
  process: { env: { OPENSEARCH_INDEX_NAME: 'eks-control-plane-logs' } },
  Buffer,
  console,
  exports: {},
});
vm.runInContext(fs.readFileSync(blueprintPath, 'utf8'), context, { filename: blueprintPath });
if (typeof context.transform !== 'function') {
  console.error('the blueprint has no top-level transform(payload) function');
  process.exit(1);
}

const events = fs.readdirSync(payloadDir).filter((f) => f.endsWith('.json')).sort()
  .map((f) => JSON.parse(fs.readFileSync(path.join(payloadDir, f), 'utf8')));

function once() {
  let lines = 0;
  let bytes = 0;
  for (const event of events) {
    const payload = JSON.parse(zlib.gunzipSync(Buffer.from(event.awslogs.data, 'base64')).toString('utf8'));
    const body = context.transform(payload);
    lines += payload.logEvents.length;
    bytes += body.length;
  }
  return { lines, bytes };
}

const seconds = Number(secondsArg ?? 10);
for (let i = 0; i < 5; i++) once(); // warm up the JIT
const started = process.cpuUsage();
const wall = process.hrtime.bigint();
let lines = 0;
let rounds = 0;
while (Number(process.hrtime.bigint() - wall) / 1e9 < seconds) {
  lines += once().lines;
  rounds++;
}
const cpu = process.cpuUsage(started);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const wallSeconds = Number(process.hrtime.bigint() - wall) / 1e9;
console.log(`blueprint (node ${process.version}): ${rounds} rounds, ${lines} lines in ${wallSeconds.toFixed(1)} s wall, ${cpuSeconds.toFixed(1)} s CPU`);
console.log(`  ${(lines / cpuSeconds).toFixed(0)} lines per CPU second, ${(cpuSeconds / lines * 1e6).toFixed(2)} µs CPU per line`);
