/**
 * A new version made from the live one per document: the changed document's chunks replaced in a
 * copy of the live files, everything else kept under its ordinals, the live version untouched and
 * serving until the switch, and the result answering exactly as a version built whole.
 */
import { appendFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { afterEach, describe, expect, it } from 'vitest';
import { readQuestions } from '../../../bot/eval/index.ts';
import { currentIndexDir, INDEX_DATA_FILES, IndexStore, INDEX_FILES, readManifest, verifyIndexFile, type DocumentRecord } from '../../../core/index.ts';
import { keywordHits, readDocumentVectors, readIndexChunks } from '../../helpers/index-files.ts';
import { RecordingEmbedder } from '../../helpers/ingest.ts';
import { REPO_ROOT } from '../../helpers/paths.ts';
import { bundledWorkspace, openQa } from '../../helpers/qa.ts';
import { buildIndex, type Workspace } from '../../helpers/workspace.ts';

const CHANGED = 'cangzhou-edz-multi-drive-2021.txt';
const QUESTIONS = readQuestions(path.join(REPO_ROOT, 'tests/eval/questions.jsonl')).slice(0, 40);

let workspaces: Workspace[] = [];
afterEach(() => {
  for (const workspace of workspaces) workspace.remove();
  workspaces = [];
});

async function workspace(): Promise<Workspace> {
  const created = await bundledWorkspace();
  workspaces.push(created);
  return created;
}

function byFile(documents: DocumentRecord[]): Map<string, DocumentRecord> {
  return new Map(documents.map((document) => [document.file, document]));
}

/** Every term's document frequency, as the version's keyword index keeps it. */
function termTable(directory: string): [string, number][] {
  const store = IndexStore.open(path.join(directory, INDEX_FILES.database), 'read');
  try {
    return (store.db.prepare('SELECT term, df FROM terms ORDER BY term').all() as { term: string; df: number }[]).map((row) => [row.term, row.df]);
  } finally {
    store.close();
  }
}

/**
 * Per question: the keyword hits as chunk ids with scores (ordinals differ between the two
 * versions, and ties are ordered by ordinal, so by id here), whether it was refused, and the
 * answer when it was not (a refusal lists what the top passages lack, which ties may reorder).
 */
async function behaviour(indexDir: string): Promise<{ hits: string[]; refused: boolean; answer?: string }[]> {
  const opened = openQa(indexDir);
  try {
    const handle = opened.holder.current;
    const results = [];
    for (const question of QUESTIONS) {
      const hits = keywordHits(handle.keyword, question.question)
        .map((hit) => `${handle.chunks.get(hit.id)!.id} ${hit.score.toFixed(9)}`)
        .sort();
      const { answer } = await opened.qa.ask(question.question);
      results.push({ hits, refused: answer.refused, ...(answer.refused ? {} : { answer: answer.text }) });
    }
    return results;
  } finally {
    opened.close();
  }
}

describe('ingest after one document changed', () => {
  it('embeds and rewrites only that document; the others keep their ordinals and chunks', async () => {
    const { knowledgeDir, indexDir } = await workspace();
    const liveDir = currentIndexDir(indexDir)!;
    const before = readManifest(liveDir);
    appendFileSync(path.join(knowledgeDir, CHANGED), '\n补充说明：本文件新增一段，用于检验增量导入。\n');
    const embedder = new RecordingEmbedder();

    const summary = await buildIndex(knowledgeDir, indexDir, { embedder });

    const after = readManifest(summary.indexDir);
    const changed = after.documents.find((document) => document.file === CHANGED)!;
    expect(summary.documents.filter((report) => report.status !== 'unchanged').map((report) => report.path)).toEqual([CHANGED]);
    expect(summary.embedded).toBe(changed.chunkCount);
    expect(embedder.embeddedTexts).toHaveLength(changed.chunkCount);
    // The changed document's chunks take new ordinals after every one used so far; its old ones become a gap.
    expect(changed.firstChunk).toBe(before.nextChunk);
    expect(after.nextChunk).toBe(before.nextChunk + changed.chunkCount);
    expect(after.chunkCount).toBe(before.chunkCount - byFile(before.documents).get(CHANGED)!.chunkCount + changed.chunkCount);
    const oldChunks = readIndexChunks(liveDir);
    const newChunks = new IndexStoreChunks(summary.indexDir);
    for (const document of before.documents.filter((document) => document.file !== CHANGED)) {
      expect(byFile(after.documents).get(document.file)).toMatchObject({ firstChunk: document.firstChunk, chunkCount: document.chunkCount });
      expect(newChunks.of(document)).toEqual(oldChunks.filter((chunk) => chunk.docId === document.docId));
    }
    newChunks.close();
    // In the graph the old chunks' labels are deleted and the new ones found by their own vectors.
    const graph = new hnswlib.HierarchicalNSW('cosine', 256);
    graph.readIndexSync(path.join(summary.indexDir, INDEX_FILES.hnsw));
    const oldChanged = byFile(before.documents).get(CHANGED)!;
    const oldLabels = new Set(Array.from({ length: oldChanged.chunkCount }, (_, index) => oldChanged.firstChunk + index));
    const newVectors = readDocumentVectors(summary.indexDir, changed, 256);
    const oldVectors = readDocumentVectors(liveDir, oldChanged, 256);
    for (let index = 0; index < changed.chunkCount; index++) {
      const { neighbors } = graph.searchKnn(Array.from(newVectors.subarray(index * 256, (index + 1) * 256)), 1);
      expect(neighbors[0]).toBe(changed.firstChunk + index);
    }
    const nearOld = graph.searchKnn(Array.from(oldVectors.subarray(0, 256)), 20).neighbors;
    expect(nearOld.some((label) => oldLabels.has(label))).toBe(false);
    // The live version's files were copied, never written: they still match its manifest.
    for (const file of INDEX_DATA_FILES) expect(() => verifyIndexFile(liveDir, before, file)).not.toThrow();
  });

  it('answers, searches and counts terms exactly as a version built whole from the same documents', async () => {
    const { knowledgeDir, indexDir, root } = await workspace();
    appendFileSync(path.join(knowledgeDir, CHANGED), '\n补充说明：开发区新设立人才公寓专项补贴，每人每月补贴五百元。\n');
    rmSync(path.join(knowledgeDir, 'bohai-new-area-reform-2019.txt'));
    const incremental = await buildIndex(knowledgeDir, indexDir);
    expect(readManifest(incremental.indexDir).nextChunk).toBeGreaterThan(readManifest(incremental.indexDir).chunkCount);

    const wholeDir = path.join(root, 'whole-index');
    const whole = await buildIndex(knowledgeDir, wholeDir);
    expect(readManifest(whole.indexDir).nextChunk).toBe(readManifest(whole.indexDir).chunkCount);

    expect(termTable(incremental.indexDir)).toEqual(termTable(whole.indexDir));
    const incrementalBehaviour = await behaviour(indexDir);
    expect(incrementalBehaviour.filter((result) => !result.refused).length).toBeGreaterThan(20);
    expect(incrementalBehaviour).toEqual(await behaviour(wholeDir));
    // The added paragraph is found by both.
    const opened = openQa(indexDir);
    try {
      const result = await opened.qa.ask('人才公寓专项补贴每月多少钱？');
      expect(result.answer.refused).toBe(false);
      expect(result.answer.text).toContain('五百元');
    } finally {
      opened.close();
    }
  });

  it('builds the version whole again, renumbered, once removed documents leave too large a gap', async () => {
    const { knowledgeDir, indexDir } = await workspace();
    // The five-year plan is most of the bundled chunks: leaving its ordinals unused is not worth it.
    rmSync(path.join(knowledgeDir, 'cangzhou-edz-13th-five-year-plan.txt'));
    const summary = await buildIndex(knowledgeDir, indexDir);
    const manifest = readManifest(summary.indexDir);
    expect(manifest.nextChunk).toBe(manifest.chunkCount);
    expect(summary.embedded).toBe(0);
    expect(readIndexChunks(summary.indexDir)).toHaveLength(manifest.chunkCount);
  });

  it('keeps the live version serving while the new one is built, and after the switch for queries already on it', async () => {
    const { knowledgeDir, indexDir } = await workspace();
    const opened = openQa(indexDir);
    try {
      const question = QUESTIONS[0]!.question;
      const expected = (await opened.qa.ask(question)).answer.text;
      const oldHandle = opened.holder.current;
      appendFileSync(path.join(knowledgeDir, CHANGED), '\n补充说明：本文件新增一段。\n');
      const during: string[] = [];
      const summary = await buildIndex(knowledgeDir, indexDir, {
        embedder: new (class extends RecordingEmbedder {
          override async embedDocuments(texts: string[]): Promise<number[][]> {
            // Mid-build: the pointer has not moved and the live version answers as before.
            expect(opened.holder.refresh()).toBe(false);
            during.push((await opened.qa.ask(question)).answer.text);
            return super.embedDocuments(texts);
          }
        })(),
      });
      expect(during.length).toBeGreaterThan(0);
      expect(new Set(during)).toEqual(new Set([expected]));
      expect(opened.holder.refresh()).toBe(true);
      expect(opened.holder.current.manifest.version).toBe(summary.version);
      // A query that took the old handle before the switch still reads it.
      expect(oldHandle.keyword.documentFrequency('开发区')).toBeGreaterThan(0);
      expect(oldHandle.manifest.documents.flatMap((document) => oldHandle.chunks.ofDocument(document))).toHaveLength(oldHandle.manifest.chunkCount);
    } finally {
      opened.close();
    }
  });
});

/** One version's chunks by document, read from its database. */
class IndexStoreChunks {
  readonly #store: IndexStore;

  constructor(directory: string) {
    this.#store = IndexStore.open(path.join(directory, INDEX_FILES.database), 'read');
  }

  of(document: DocumentRecord) {
    return this.#store.chunks(document.firstChunk, document.chunkCount);
  }

  close(): void {
    this.#store.close();
  }
}
