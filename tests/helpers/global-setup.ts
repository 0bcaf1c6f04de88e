/**
 * Runs once per `vitest run`, before any test file: builds the index of the bundled knowledge/
 * (local embedder) into a temp folder and hands its path to the test files (`inject`, see
 * ./qa.ts). Test files only read it; one that changes documents copies it first.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { KNOWLEDGE_DIR } from './paths.ts';
import { buildIndex } from './workspace.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The index of knowledge/ built for this run (local embedder). Read-only: copy it to change it. */
    bundledIndexDir: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'qa-shared-index-'));
  const indexDir = path.join(root, 'index');
  await buildIndex(KNOWLEDGE_DIR, indexDir);
  project.provide('bundledIndexDir', indexDir);
  return () => rmSync(root, { recursive: true, force: true });
}
