import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
}

export interface OpsServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** A small HTTP server for workers: `GET /healthz` and `GET /metrics` (Prometheus text format). */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    void (async () => {
      try {
        if (req.method === 'GET' && path === '/healthz') {
          const report = await options.health();
          res.writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' });
          res.end(JSON.stringify(report));
        } else if (req.method === 'GET' && path === '/metrics') {
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
