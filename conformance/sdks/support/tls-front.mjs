// An HTTPS front for the sandbox. The Auth0 SDKs build every URL as
// `https://${domain}` (issuer, JWKS, /oauth/token, /bc-authorize), so they
// meet the sandbox the way they meet a tenant: over TLS, on the issuer the
// sandbox was started with. The certificate is self-signed and made fresh
// for each run; the test process trusts it for this connection only by
// turning verification off (it talks to nothing but localhost).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function selfSignedCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'custodian-tls-'));
  try {
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1',
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Listens on `port` and forwards every request to `target` (an http URL). */
export async function startTlsFront(port, target) {
  const upstream = new URL(target);
  const server = https.createServer(selfSignedCertificate(), (request, response) => {
    const forwarded = http.request({
      host: upstream.hostname,
      port: upstream.port,
      method: request.method,
      path: request.url,
      headers: request.headers,
    }, (answer) => {
      response.writeHead(answer.statusCode, answer.headers);
      answer.pipe(response);
    });
    forwarded.on('error', (error) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`the sandbox did not answer: ${error.message}`);
    });
    request.pipe(forwarded);
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0';
  return {
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(resolve);
    }),
  };
}
