/**
 * Question answering over a real index, the way the tests need it: the bundled knowledge/ index
 * the run built once (./global-setup.ts), opened read-only by each test file; a private index of
 * another folder or with another embedder; a writable copy of the bundled one.
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { LocalLexicalEmbeddings, type IndexEmbedder } from '../../core/embeddings/index.ts';
import { ExtractiveAnswerer, type Answerer } from '../../bot/answer/index.ts';
import { QaService } from '../../bot/qa/index.ts';
import { IndexHolder } from '../../bot/retrieval/index.ts';
import { buildIndex, createWorkspace, type Workspace } from './workspace.ts';

export interface OpenedQa {
  indexDir: string;
  embedder: IndexEmbedder;
  holder: IndexHolder;
  qa: QaService;
  close(): void;
}

export interface QaOptions {
  /** The extractive answerer unless given. */
  answerer?: Answerer;
  /** The local lexical embedder unless given; must be the one the index was built with. */
  embedder?: IndexEmbedder;
}

/** The folder of the index of knowledge/ this test run built once. Read it; never write to it. */
export function bundledIndexDir(): string {
  return inject('bundledIndexDir');
}

/** Opens the index in `indexDir` and a QA service over it. */
export function openQa(indexDir: string, options: QaOptions = {}): OpenedQa {
  const embedder = options.embedder ?? new LocalLexicalEmbeddings();
  const holder = new IndexHolder(indexDir, embedder);
  const qa = new QaService({ index: holder, embedder, answerer: options.answerer ?? new ExtractiveAnswerer() });
  return { indexDir, embedder, holder, qa, close: () => holder.close() };
}

/** QA over the bundled knowledge/, on the index this run built once. */
export function openBundledQa(options: Pick<QaOptions, 'answerer'> = {}): OpenedQa {
  return openQa(bundledIndexDir(), options);
}

/** Builds a private index of `knowledgeDir` in a temp folder and opens it; `cleanup()` closes and removes it. */
export async function buildQa(knowledgeDir: string, options: QaOptions = {}): Promise<OpenedQa & { cleanup(): void }> {
  const indexDir = mkdtempSync(path.join(os.tmpdir(), 'qa-index-'));
  await buildIndex(knowledgeDir, indexDir, options.embedder ? { embedder: options.embedder } : {});
  const opened = openQa(indexDir, options);
  return {
    ...opened,
    cleanup: () => {
      opened.close();
      rmSync(indexDir, { recursive: true, force: true });
    },
  };
}

/**
 * QA over a few real documents of one folder (tests/fixtures/dev-corpus/dev): they are copied to a
 * temp knowledge folder and indexed; `cleanup()` removes both.
 */
export async function buildQaOf(folder: string, files: string[], options: QaOptions = {}): Promise<OpenedQa & { cleanup(): void }> {
  const knowledge = mkdtempSync(path.join(os.tmpdir(), 'qa-knowledge-'));
  for (const file of files) cpSync(path.join(folder, file), path.join(knowledge, file));
  const built = await buildQa(knowledge, options);
  return {
    ...built,
    cleanup: () => {
      built.cleanup();
      rmSync(knowledge, { recursive: true, force: true });
    },
  };
}

/** A private, writable copy of knowledge/ with a copy of the run's index of it. */
export function bundledWorkspace(): Promise<Workspace> {
  return createWorkspace({ indexFrom: bundledIndexDir() });
}
