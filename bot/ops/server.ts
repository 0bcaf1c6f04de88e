/**
 * @module The operations port: `/healthz` (the process answers), `/readyz` (every readiness probe
 * passes; 503 naming the ones that fail) and `/metrics` (Prometheus text). Separate from the admin
 * console and the webhook server so that probes and scrapes work in every mode and need no session.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describeError, type Logger } from '../../core/index.ts';
import type { OpsMetrics } from './metrics.ts';
import { runProbes, type ReadinessProbe } from './readiness.ts';

export interface OpsServer {
  port: number;
  close(): Promise<void>;
}

async function respond(path: string, options: { metrics: OpsMetrics; probes: readonly ReadinessProbe[] }): Promise<{ status: number; type: string; body: string }> {
  if (path === '/healthz') return { status: 200, type: 'text/plain; charset=utf-8', body: 'ok\n' };
  if (path === '/readyz') {
    const probes = await runProbes(options.probes);
    const failed = probes.filter((probe) => !probe.ok).map((probe) => probe.name);
    return { status: failed.length === 0 ? 200 : 503, type: 'application/json; charset=utf-8', body: JSON.stringify({ ready: failed.length === 0, failed, probes }) };
  }
  if (path === '/metrics') return { status: 200, type: options.metrics.registry.contentType, body: await options.metrics.registry.metrics() };
  return { status: 404, type: 'text/plain; charset=utf-8', body: 'not found\n' };
}

export async function startOps(options: { port: number; host: string; metrics: OpsMetrics; probes: readonly ReadinessProbe[]; logger: Logger }): Promise<OpsServer> {
  const { logger } = options;
  const server = http.createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    respond(path, options).then(
      ({ status, type, body }) => response.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(request.method === 'HEAD' ? undefined : body),
      (error: unknown) => {
        logger.error('ops request failed', { path, error: describeError(error) });
        response.writeHead(500).end();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  // Probes and scrapes alone never keep the process alive: a start-up that failed must still exit.
  server.unref();
  const { port } = server.address() as AddressInfo;
  logger.info('ops server listening', { host: options.host, port });
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
