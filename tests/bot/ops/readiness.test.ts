/**
 * The ops server on loopback: `/healthz` always answers; `/readyz` names each failing probe with a
 * 503 and passes once the index is there; `/metrics` reports the live index.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BotStore } from '../../../bot/chat/index.ts';
import { currentManifest, indexProbe, OpsMetrics, sqliteProbe, startOps } from '../../../bot/ops/index.ts';
import { createLogger } from '../../../core/index.ts';
import { bundledIndexDir } from '../../helpers/qa.ts';

interface Readiness {
  ready: boolean;
  failed: string[];
  probes: { name: string; ok: boolean; error?: string }[];
}

describe('ops server', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ops-readiness-'));
  const indexRoot = path.join(root, 'index');
  const databaseFile = path.join(root, 'bot.sqlite');
  const logger = createLogger('error');
  let store: BotStore;
  let server: Awaited<ReturnType<typeof startOps>>;
  const get = (pathname: string) => fetch(`http://127.0.0.1:${server.port}${pathname}`);

  beforeAll(async () => {
    store = new BotStore(databaseFile);
    const manifest = () => currentManifest(indexRoot);
    server = await startOps({ port: 0, host: '127.0.0.1', metrics: new OpsMetrics({ index: manifest }), probes: [indexProbe(manifest), sqliteProbe(databaseFile)], logger });
  });
  afterAll(async () => {
    await server.close();
    store.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers /healthz with 200 whatever the readiness', async () => {
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('ok\n');
  });

  it('fails /readyz with 503 naming the index while there is none, then passes once it is there', async () => {
    const missing = await get('/readyz');
    expect(missing.status).toBe(503);
    const before = (await missing.json()) as Readiness;
    expect(before).toMatchObject({ ready: false, failed: ['index'] });
    expect(before.probes.find((probe) => probe.name === 'index')?.error).toContain('还没有索引');
    expect(before.probes.find((probe) => probe.name === 'database')).toEqual({ name: 'database', ok: true });
    const noIndexMetrics = await (await get('/metrics')).text();
    expect(noIndexMetrics).not.toMatch(/^bot_index_(chunks|documents|bytes|info)\{/m);

    cpSync(bundledIndexDir(), indexRoot, { recursive: true });
    const present = await get('/readyz');
    expect(present.status).toBe(200);
    expect((await present.json()) as Readiness).toMatchObject({ ready: true, failed: [] });

    const manifest = currentManifest(indexRoot);
    const metrics = await (await get('/metrics')).text();
    const version = `{version="${manifest.version}"}`;
    expect(manifest.chunkCount).toBeGreaterThan(0);
    expect(metrics).toContain(`bot_index_chunks${version} ${manifest.chunkCount}`);
    expect(metrics).toContain(`bot_index_documents${version} ${manifest.documents.length}`);
    expect(metrics).toContain(`bot_index_info{version="${manifest.version}",built_at="${manifest.builtAt}"} 1`);
    expect(Number(metrics.match(/^bot_index_bytes\{[^}]*\} (\d+)/m)?.[1])).toBeGreaterThan(0);
    // prom-client's default process metrics come along.
    expect(metrics).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('names the database probe when the SQLite file cannot be opened', async () => {
    const other = await startOps({ port: 0, host: '127.0.0.1', metrics: new OpsMetrics(), probes: [sqliteProbe(path.join(root, 'missing', 'bot.sqlite'))], logger });
    try {
      const response = await fetch(`http://127.0.0.1:${other.port}/readyz`);
      expect(response.status).toBe(503);
      expect(((await response.json()) as Readiness).failed).toEqual(['database']);
    } finally {
      await other.close();
    }
  });

  it('answers other paths with 404 and other methods with 405', async () => {
    expect((await get('/metrics/extra')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${server.port}/metrics`, { method: 'POST' })).status).toBe(405);
  });
});
