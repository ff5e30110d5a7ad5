// Subscribes to the gateway with a real client library and prints what it receives, one JSON
// line per result, until it has `count` results, the server completes, or an error arrives.
// Usage: node subscribe.mjs <ws|sse> <graphql-url> <X-Auth-Token|-> <workspace|-> <query> <count> [timeout-ms]
// "-" sends no such credential. Exit code 0 on `count` results or a completion, 3 on a
// protocol-level error (graphql-ws `error` message, a closed socket), 4 on timeout.
import { createClient as createWsClient } from 'graphql-ws';
import { createClient as createSseClient } from 'graphql-sse';
import WebSocket from 'ws';

const [transport, url, token, workspace, query, countText, timeoutText] = process.argv.slice(2);
if (!transport || !url || !token || !workspace || !query || !countText) {
  console.error('usage: node subscribe.mjs <ws|sse> <graphql-url> <token|-> <workspace|-> <query> <count> [timeout-ms]');
  process.exit(2);
}

const count = Number(countText);
const headers = {};
if (token !== '-') headers['X-Auth-Token'] = token;
if (workspace !== '-') headers.workspace = workspace;

const print = (line) => process.stdout.write(JSON.stringify(line) + '\n');
let received = 0;
let dispose = () => {};
const finish = (code) => { dispose(); setTimeout(() => process.exit(code), 50); };
setTimeout(() => { print({ timeout: true, received }); finish(4); }, Number(timeoutText ?? 30000));

const sink = {
  next: (result) => {
    print({ next: result });
    received += 1;
    if (received >= count) finish(0);
  },
  error: (error) => {
    // graphql-ws hands over the `error` message's GraphQLError[], or a CloseEvent.
    const detail = Array.isArray(error) ? { errors: error }
      : error && typeof error.code === 'number' ? { closed: error.code, reason: error.reason }
      : { message: String(error?.message ?? error) };
    print({ error: detail });
    finish(3);
  },
  complete: () => { print({ complete: true, received }); finish(0); },
};

if (transport === 'ws') {
  const client = createWsClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: headers,
    retryAttempts: 0,
    lazy: true,
    onNonLazyError: () => {},
  });
  client.on('connected', () => print({ connected: true }));
  dispose = client.subscribe({ query }, sink);
} else {
  const client = createSseClient({ url, headers, retryAttempts: 0 });
  dispose = client.subscribe({ query }, sink);
  print({ connected: true });
}
