/**
 * An ingest on the worker thread reports its progress to the caller as an in-process run does:
 * the scan, each file loaded, the embedding and the write, in that order, before it resolves.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestInWorker, type IngestProgress } from '../../../ingest/index.ts';
import { KNOWLEDGE_DIR } from '../../helpers/paths.ts';

const FILES = ['bohai-new-area-reform-2019.txt', 'cangzhou-edz-multi-drive-2021.txt'];
const root = mkdtempSync(path.join(os.tmpdir(), 'ingest-worker-progress-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ingest worker progress', () => {
  it('forwards scan, load, embed and write events from the thread', async () => {
    const knowledgeDir = path.join(root, 'knowledge');
    for (const file of FILES) cpSync(path.join(KNOWLEDGE_DIR, file), path.join(knowledgeDir, file));
    const events: IngestProgress[] = [];
    const summary = await ingestInWorker({
      env: { DATA_DIR: root, EMBEDDINGS: 'local' },
      knowledgeDir,
      indexDir: path.join(root, 'index'),
      maxFileBytes: 20 * 1024 * 1024,
      onProgress: (event) => events.push(event),
    });
    expect(summary.documents.map((document) => document.status)).toEqual(['added', 'added']);

    expect(events[0]).toEqual({ phase: 'scan', total: 2 });
    const loads = events.filter((event) => event.phase === 'load');
    expect(loads.map((event) => event.file).sort()).toEqual(FILES);
    expect(loads.every((event) => event.total === 2)).toBe(true);
    const embeds = events.filter((event) => event.phase === 'embed');
    const chunks = summary.documents.reduce((sum, document) => sum + document.chunks, 0);
    expect(chunks).toBeGreaterThan(0);
    expect(embeds.at(-1)).toEqual({ phase: 'embed', done: chunks, total: chunks });
    expect(events.at(-1)).toEqual({ phase: 'write' });
    // In run order: every load before the embedding, the embedding before the write.
    const phases = events.map((event) => event.phase).filter((phase, index, all) => phase !== all[index - 1]);
    expect(phases).toEqual(['scan', 'load', 'embed', 'write']);
  }, 60_000);
});
