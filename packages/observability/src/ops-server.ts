import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authChallenges, CredentialVerifier, decideMetricsAccess, isLoopbackHost } from '@lookalike/core';
import type { ServiceMetrics } from './metrics';

export interface HealthReport {
  ok: boolean;
  [detail: string]: unknown;
}

export interface OpsServerOptions {
  host: string;
  port: number;
  metrics: ServiceMetrics;
  /** Liveness/readiness: `ok: false` answers 503. */
  health: () => Promise<HealthReport> | HealthReport;
  /**
   * SHA-256 hex of the scrape token (`LOOKALIKE_METRICS_TOKEN`): `/metrics` then wants `Bearer <token>`.
   * Without it `/metrics` answers loopback peers only, and a non-loopback `host` is refused.
   */
  metricsTokenSha256?: string;
}

/** Thrown by `startOpsServer` when asked to listen beyond loopback without a scrape token. */
export class InsecureBindError extends Error {
  override readonly name = 'InsecureBindError';
}

export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * A small HTTP server for workers: `GET /healthz` (open: probes) and `GET /metrics` (Prometheus text
 * format, behind the scrape token or loopback-only).
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  if (options.metricsTokenSha256 === undefined && !isLoopbackHost(options.host)) {
    throw new InsecureBindError(
      `refusing to listen on ${options.host} (not loopback) without LOOKALIKE_METRICS_TOKEN: /metrics would be open to the network`,
    );
  }
  const verifier = new CredentialVerifier(
    options.metricsTokenSha256 !== undefined ? { metricsTokenSha256: options.metricsTokenSha256 } : {},
  );
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void (async () => {
      try {
        if (req.method === 'GET' && path === '/healthz') {
          const report = await options.health();
          res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify(report));
        } else if (req.method === 'GET' && path === '/metrics') {
          const access = decideMetricsAccess(verifier, {
            method: req.method,
            authorization: req.headers.authorization,
            peer: req.socket.remoteAddress,
          });
          if (!access.ok) {
            const challenges = authChallenges(verifier);
            res.writeHead(access.status, {
              'content-type': 'application/json',
              ...(challenges.length > 0 ? { 'www-authenticate': challenges } : {}),
            });
            res.end(JSON.stringify({ error: access.error }));
            return;
          }
          const body = await options.metrics.registry.metrics();
          res.writeHead(200, { 'content-type': options.metrics.registry.contentType });
          res.end(body);
        } else {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: `not found: ${path}` }));
        }
      } catch (err) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: (err as Error).message }));
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
