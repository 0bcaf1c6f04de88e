/** The index's on-disk format: the version pointer and the manifest, and the errors they report. */
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INDEX_FILES, INDEX_FORMAT_VERSION, currentIndexDir, readManifest } from '../../core/index.ts';
import { DOC_ALPHA, DOC_BETA, tempDirs, writeFiles } from '../helpers/ingest.ts';
import { buildIndex } from '../helpers/workspace.ts';

const temp = tempDirs();
afterEach(() => temp.cleanup());

/** Two small documents in a temp folder; `run()` ingests them into `indexDir`. */
async function setup() {
  const root = await temp.make();
  const knowledgeDir = path.join(root, 'knowledge');
  const indexDir = path.join(root, 'index');
  await writeFiles(knowledgeDir, { 'alpha.txt': DOC_ALPHA, 'beta.txt': DOC_BETA });
  return { indexDir, run: () => buildIndex(knowledgeDir, indexDir, { maxFileBytes: 1024 * 1024 }) };
}

describe('index pointer and manifest', () => {
  it('reports a corrupt manifest, a bad pointer and an old format with their own codes', async () => {
    const { indexDir, run } = await setup();
    const first = await run();
    const directory = path.join(indexDir, first.version);
    const manifestFile = path.join(directory, INDEX_FILES.manifest);
    const good = readFileSync(manifestFile, 'utf8');

    await writeFile(manifestFile, good.slice(0, 40));
    expect(() => readManifest(directory)).toThrow(expect.objectContaining({ code: 'index_corrupt', message: expect.stringContaining(manifestFile) }));

    await writeFile(manifestFile, JSON.stringify({ ...JSON.parse(good), formatVersion: 0 }));
    expect(() => readManifest(directory)).toThrow(expect.objectContaining({ code: 'index_incompatible' }));
    // Ingest is not blocked by an index it cannot reuse: it rebuilds and says so.
    const rebuilt = await run();
    expect(rebuilt.switched).toBe(true);
    expect(rebuilt.fullRebuildReason).toBeDefined();
    expect(readManifest(rebuilt.indexDir).formatVersion).toBe(INDEX_FORMAT_VERSION);

    for (const pointer of ['..', '', '../index', 'v-missing']) {
      await writeFile(path.join(indexDir, 'CURRENT'), `${pointer}\n`);
      expect(() => currentIndexDir(indexDir), pointer).toThrow(expect.objectContaining({ code: 'index_corrupt' }));
    }
  });
});
