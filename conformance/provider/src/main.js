// Starts the Auth0-shaped tenant on 127.0.0.1.
//   node src/main.js [port]        (or PORT=...; 0 or none picks a free port)
//   CIBA_INTERVAL=<seconds>        the polling interval /bc-authorize announces
// Prints one JSON line {"issuer": "http://127.0.0.1:<port>/"} once it
// accepts requests.

import { createServer } from 'node:http';

import { Tenant } from './tenant.js';

function portArgument() {
  const raw = process.argv[2] ?? process.env.PORT ?? '0';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`not a port: ${raw}`);
  }
  return port;
}

function cibaInterval() {
  const seconds = Number(process.env.CIBA_INTERVAL ?? 5);
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error('CIBA_INTERVAL must be a whole number of seconds');
  return seconds;
}

const server = createServer();
server.listen(portArgument(), '127.0.0.1', () => {
  const { port } = server.address();
  // Auth0 issuers end with a slash.
  const tenant = new Tenant(`http://127.0.0.1:${port}/`, { cibaInterval: cibaInterval() });
  server.on('request', tenant.listener());
  process.stdout.write(`${JSON.stringify({ issuer: tenant.issuer })}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
