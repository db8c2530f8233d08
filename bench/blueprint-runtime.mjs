// Runs the Node.js "LogsToElasticsearch" blueprint of the EKS workshop as a Lambda function process: a
// Runtime API loop (next, the handler, response or error) around the blueprint's own handler, unchanged.
// Started by the process-level benchmark (`invocation-cost`, see docs/performance.md), which provides the
// Runtime API, the domain and the Parameters and Secrets extension on loopback.
//
// The blueprint is not part of this repository; its path is the first argument (see
// bench/blueprint-compare.mjs for where to get it). `--noop` runs the same loop around a handler that
// succeeds at once, which measures what this loop itself costs per invocation.
//
// What is redirected, and nothing else: the blueprint's `https.request` to the domain (port 443 of the
// endpoint it reads) goes to the TLS stand-in's port on 127.0.0.1, with its Host header, SigV4 signature
// and certificate check still for the endpoint's name (the stand-in's certificate is trusted through
// NODE_EXTRA_CA_CERTS); its `http.request` to the extension on localhost:2773 goes to the extension
// stand-in's port. Both keep Node 20's default keep-alive agents, as in Lambda.
//
// Lambda's own Node.js runtime makes the Runtime API calls through a native client; this loop uses
// node:http with a keep-alive agent, so its figure is an upper bound of that part (see --noop).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import vm from 'node:vm';
import { createRequire } from 'node:module';

const [blueprintArg] = process.argv.slice(2);
if (!blueprintArg) {
  console.error('usage: node bench/blueprint-runtime.mjs <logs-to-opensearch.js | --noop>');
  process.exit(2);
}

const [apiHost, apiPort] = (process.env.AWS_LAMBDA_RUNTIME_API ?? '').split(':');
const domainPort = Number(process.env.BENCH_DOMAIN_PORT);
const extensionPort = Number(process.env.BENCH_EXTENSION_PORT);

function loadBlueprint(file) {
  const resolved = path.resolve(file);
  const realRequire = createRequire(resolved);
  const shims = {
    https: {
      ...https,
      request: (options, callback) => https.request({ ...options, host: '127.0.0.1', hostname: '127.0.0.1', port: domainPort }, callback),
    },
    http: {
      ...http,
      request: (options, callback) => http.request(
        options.port === 2773 ? { ...options, host: '127.0.0.1', hostname: '127.0.0.1', port: extensionPort } : options,
        callback),
    },
  };
  // Compiled as Node compiles a CommonJS module, in the main context.
  const module = { exports: {} };
  const wrapper = vm.compileFunction(fs.readFileSync(resolved, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: resolved });
  wrapper(module.exports, (name) => shims[name] ?? realRequire(name), module, resolved, path.dirname(resolved));
  if (typeof module.exports.handler !== 'function') {
    console.error(`${file} exports no handler`);
    process.exit(1);
  }

  return module.exports.handler;
}

const handler = blueprintArg === '--noop'
  ? async (event, context) => { context.succeed('noop'); }
  : loadBlueprint(blueprintArg);

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function call(method, route, body) {
  return new Promise((resolve, reject) => {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) };
    const request = http.request({ host: apiHost, port: apiPort, method, path: '/2018-06-01/runtime/' + route, agent, headers }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end(body);
  });
}

// Waits for the handler's context.succeed / fail / done (the blueprint answers through them, from inside
// its gunzip and POST callbacks, after its async function has already returned).
function invoke(event, requestId, deadline) {
  return new Promise((resolve) => {
    const context = {
      awsRequestId: requestId,
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      invokedFunctionArn: '',
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => deadline - Date.now(),
      succeed: (result) => resolve({ result }),
      fail: (error) => resolve({ error }),
      done: (error, result) => resolve(error ? { error } : { result }),
    };
    try {
      Promise.resolve(handler(event, context)).catch((error) => resolve({ error }));
    } catch (error) {
      resolve({ error });
    }
  });
}

for (;;) {
  const next = await call('GET', 'invocation/next');
  if (next.status !== 200) {
    console.error(`next answered ${next.status}`);
    process.exit(1);
  }

  const requestId = next.headers['lambda-runtime-aws-request-id'];
  process.env._X_AMZN_TRACE_ID = next.headers['lambda-runtime-trace-id'] ?? '';
  const outcome = await invoke(JSON.parse(next.body), requestId, Number(next.headers['lambda-runtime-deadline-ms']));
  if (outcome.error === undefined) {
    await call('POST', `invocation/${requestId}/response`, JSON.stringify(outcome.result ?? null));
  } else {
    const message = typeof outcome.error === 'string' ? outcome.error : String(outcome.error?.message ?? outcome.error);
    await call('POST', `invocation/${requestId}/error`, JSON.stringify({ errorType: 'Error', errorMessage: message }));
  }
}
