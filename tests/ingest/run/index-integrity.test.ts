/**
 * A damaged live index version: the reader refuses it by name, and the next ingest rebuilds it
 * (instead of "没有变化") into a version that answers as the intact one did.
 */
import { readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { IndexHolder } from '../../../bot/retrieval/index.ts';
import { LocalLexicalEmbeddings } from '../../../core/embeddings/index.ts';
import { currentIndexDir, INDEX_FILES, readManifest } from '../../../core/index.ts';
import { formatIngestSummary } from '../../../ingest/index.ts';
import { bundledWorkspace, openBundledQa, openQa } from '../../helpers/qa.ts';
import { dropLastChunks } from '../../helpers/index-files.ts';
import { buildIndex, type Workspace } from '../../helpers/workspace.ts';

const QUESTION = '技术改造有什么奖补政策？';

let intactAnswer: string;
beforeAll(async () => {
  const bundled = openBundledQa();
  intactAnswer = (await bundled.qa.ask(QUESTION)).answer.text;
  bundled.close();
});

let workspace: Workspace | undefined;
afterEach(() => workspace?.remove());

type Damage = (file: string) => void;
const deleted: Damage = (file) => rmSync(file);
const truncated: Damage = (file) => truncateSync(file, Math.floor(readFileSync(file).byteLength / 2));
const lost100Chunks: Damage = (file) => dropLastChunks(path.dirname(file), 100);

// The vector graph is derived from the database's vectors: losing it costs no embedding. The
// database holds the chunks and vectors themselves: losing any of it means embedding again.
const cases: { name: string; file: string; damage: Damage; reembeds: boolean }[] = [
  { name: `${INDEX_FILES.hnsw} deleted`, file: INDEX_FILES.hnsw, damage: deleted, reembeds: false },
  { name: `${INDEX_FILES.hnsw} truncated`, file: INDEX_FILES.hnsw, damage: truncated, reembeds: false },
  { name: `${INDEX_FILES.database} deleted`, file: INDEX_FILES.database, damage: deleted, reembeds: true },
  { name: `${INDEX_FILES.database} truncated`, file: INDEX_FILES.database, damage: truncated, reembeds: true },
  { name: `${INDEX_FILES.database} without its last 100 chunks`, file: INDEX_FILES.database, damage: lost100Chunks, reembeds: true },
];

describe('a damaged live index version', () => {
  it.each(cases)('$name: refused by name on open, repaired by the next ingest', async ({ file, damage, reembeds }) => {
    workspace = await bundledWorkspace();
    const { knowledgeDir, indexDir } = workspace;
    const damagedDir = currentIndexDir(indexDir)!;
    const intact = readManifest(damagedDir);
    damage(path.join(damagedDir, file));

    const embedder = new LocalLexicalEmbeddings();
    expect(() => new IndexHolder(indexDir, embedder)).toThrow(
      expect.objectContaining({ name: 'AppError', code: 'index_corrupt', message: expect.stringContaining(path.join(damagedDir, file)) }),
    );

    const summary = await buildIndex(knowledgeDir, indexDir);
    expect(summary.switched).toBe(true);
    expect(summary.version).not.toBe(intact.version);
    const reason = reembeds ? summary.fullRebuildReason : summary.repairReason;
    expect(reason).toContain(file);
    expect(formatIngestSummary(summary)).toContain(`注意：${reason}`);
    // Only derived files lost: the verified chunks and vectors are reused, nothing is embedded again.
    expect(summary.embedded).toBe(reembeds ? intact.chunkCount : 0);
    expect(summary.reused).toBe(reembeds ? 0 : intact.chunkCount);

    const repaired = openQa(indexDir);
    try {
      expect(repaired.holder.current.manifest.version).toBe(summary.version);
      const handle = repaired.holder.current;
      expect(handle.manifest.documents.flatMap((document) => handle.chunks.ofDocument(document))).toHaveLength(intact.chunkCount);
      const result = await repaired.qa.ask(QUESTION);
      expect(result.answer.refused).toBe(false);
      expect(result.answer.text).toBe(intactAnswer);
    } finally {
      repaired.close();
    }
    // And now the repaired version is the one kept: a further run changes nothing.
    const again = await buildIndex(knowledgeDir, indexDir);
    expect(again.switched).toBe(false);
    expect(again.version).toBe(summary.version);
  });

  it('notices a file changed in place at the same size (checksum, not size)', async () => {
    workspace = await bundledWorkspace();
    const directory = currentIndexDir(workspace.indexDir)!;
    const file = path.join(directory, INDEX_FILES.hnsw);
    const bytes = readFileSync(file);
    bytes[bytes.length - 2] = bytes[bytes.length - 2] === 0x31 ? 0x32 : 0x31;
    writeFileSync(file, bytes);
    expect(() => new IndexHolder(workspace!.indexDir, new LocalLexicalEmbeddings())).toThrow(
      expect.objectContaining({ code: 'index_corrupt', message: expect.stringContaining('SHA-256') }),
    );
    const summary = await buildIndex(workspace.knowledgeDir, workspace.indexDir);
    expect(summary.switched).toBe(true);
    expect(summary.repairReason).toContain(INDEX_FILES.hnsw);
  });

  it('a database changed in place at the same size is found by the next ingest, which rebuilds it', async () => {
    // The bot checks only the database's size at open (hashing it would read all of a large
    // index); ingest hashes it before reusing anything in it.
    workspace = await bundledWorkspace();
    const directory = currentIndexDir(workspace.indexDir)!;
    const file = path.join(directory, INDEX_FILES.database);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 2) ^ 0xff, bytes.length - 2);
    writeFileSync(file, bytes);
    const summary = await buildIndex(workspace.knowledgeDir, workspace.indexDir);
    expect(summary.switched).toBe(true);
    expect(summary.fullRebuildReason).toContain(`${INDEX_FILES.database} 内容与清单记录的 SHA-256 不符`);
  });

  it('records every data file with its size and SHA-256 in the manifest', () => {
    const bundled = openBundledQa();
    try {
      const { directory, manifest } = bundled.holder.current;
      const recorded = Object.keys(manifest.files).sort();
      expect(recorded).toEqual(Object.values(INDEX_FILES).filter((name) => name !== INDEX_FILES.manifest).sort());
      for (const [name, record] of Object.entries(manifest.files)) {
        expect(record.bytes, name).toBe(readFileSync(path.join(directory, name)).byteLength);
        expect(record.sha256, name).toMatch(/^[0-9a-f]{64}$/);
      }
    } finally {
      bundled.close();
    }
  });
});
