/**
 * Indexes on disk: the one place tests build a whole index (`buildIndex`), and private, writable
 * copies of the bundled knowledge with a ready index for tests that add, replace or delete
 * documents (`createWorkspace`). Free of vitest, so the benchmarks can use it too; inside a test
 * run, `bundledWorkspace()` in ./qa.ts copies the index the run built once instead of building.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LocalLexicalEmbeddings, type IndexEmbedder } from '../../core/embeddings/index.ts';
import { ingestKnowledge, type IngestSummary } from '../../ingest/index.ts';
import { KNOWLEDGE_DIR } from './paths.ts';

/** The file size limit of a default configuration (MAX_FILE_MB=20). */
const MAX_FILE_BYTES = 20 * 1024 * 1024;

export interface BuildOptions {
  /** The local lexical embedder unless given. */
  embedder?: IndexEmbedder;
  /** {@link MAX_FILE_BYTES} unless given. */
  maxFileBytes?: number;
}

/** Ingests `knowledgeDir` into `indexDir`, creating or updating the index there. */
export function buildIndex(knowledgeDir: string, indexDir: string, options: BuildOptions = {}): Promise<IngestSummary> {
  return ingestKnowledge({
    knowledgeDir,
    indexDir,
    embedder: options.embedder ?? new LocalLexicalEmbeddings(),
    maxFileBytes: options.maxFileBytes ?? MAX_FILE_BYTES,
  });
}

export interface Workspace {
  root: string;
  /** A copy of knowledge/. */
  knowledgeDir: string;
  /** Its index, ready to serve. */
  indexDir: string;
  /** An empty data folder (for the bot's store). */
  dataDir: string;
  remove(): void;
}

/**
 * A private copy of the bundled knowledge with a ready index, so a test may add and remove
 * documents. `indexFrom`: an index of knowledge/ to copy (local embedder); without it one is built.
 */
export async function createWorkspace(options: { indexFrom?: string } = {}): Promise<Workspace> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'qa-workspace-'));
  const knowledgeDir = path.join(root, 'knowledge');
  cpSync(KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
  const indexDir = path.join(root, 'index');
  if (options.indexFrom) cpSync(options.indexFrom, indexDir, { recursive: true });
  else await buildIndex(knowledgeDir, indexDir);
  return { root, knowledgeDir, indexDir, dataDir: path.join(root, 'data'), remove: () => rmSync(root, { recursive: true, force: true }) };
}
