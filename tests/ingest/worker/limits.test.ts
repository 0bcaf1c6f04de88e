/**
 * The ingest thread runs under a deadline and a heap limit: a run past either is stopped with a
 * Chinese reason, the thread's lock is released, and the next run (with room to work) succeeds.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestInWorker } from '../../../ingest/index.ts';
import { appErrorOf } from '../../helpers/errors.ts';
import { bundledWorkspace } from '../../helpers/qa.ts';
import type { Workspace } from '../../helpers/workspace.ts';

let workspace: Workspace;
const input = () => ({ env: { DATA_DIR: os.tmpdir(), EMBEDDINGS: 'local' }, knowledgeDir: workspace.knowledgeDir, indexDir: workspace.indexDir, maxFileBytes: 20 * 1024 * 1024 });

beforeAll(async () => {
  workspace = await bundledWorkspace();
});

afterAll(() => workspace?.remove());

describe('ingest worker limits', () => {
  it('stops a run past its deadline with a Chinese reason, and the next run works', async () => {
    const error = await appErrorOf(ingestInWorker(input(), { timeoutMs: 50 }));
    expect(error.code).toBe('ingest_limit');
    expect(error.message).toBe('导入用时超过上限（1 秒），已中止；文档可能过大或异常');
    expect(existsSync(path.join(workspace.indexDir, 'ingest.lock'))).toBe(false);
    const summary = await ingestInWorker(input());
    expect(summary.documents.length).toBe(5);
  }, 60_000);

  it('stops a run that needs more heap than allowed with a Chinese reason, and the next run works', async () => {
    const error = await appErrorOf(ingestInWorker(input(), { maxOldGenerationMb: 8 }));
    expect(error.code).toBe('ingest_limit');
    expect(error.message).toBe('导入所需内存超过上限（8 MB），已中止；文档可能过大或异常');
    expect(existsSync(path.join(workspace.indexDir, 'ingest.lock'))).toBe(false);
    const summary = await ingestInWorker(input());
    expect(summary.documents.length).toBe(5);
  }, 60_000);
});
