import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CredentialVerifier, createLocationPolicy, silentLogger } from '@lookalike/core';
import { ServiceMetrics } from '@lookalike/observability';
import { type AppDeps, createApp } from '../src/http/app';
import type { RebuildService } from '../src/rebuild-service';
import type { SimilarArticles } from '../src/similar-articles';

/**
 * The producer's app on a free loopback port, with test defaults (no credentials, inputs under `file:///data`,
 * no similar-articles index, always healthy) for whatever `deps` leaves out.
 */
export async function listenTestApp(deps: Partial<AppDeps> = {}): Promise<{ server: Server; base: string }> {
  const app = createApp({
    credentials: new CredentialVerifier({}),
    inputPolicy: { locations: createLocationPolicy({ storageUrl: 'file:///data' }), allowedHosts: [] },
    rebuilds: {} as RebuildService,
    similar: {} as SimilarArticles,
    metrics: new ServiceMetrics('producer'),
    logger: silentLogger,
    health: async () => ({ ok: true }),
    ...deps,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}
