/**
 * @module Which files in the knowledge folder are documents. Everything not obviously ours
 * (the manifest, dotfiles, editor leftovers) is a candidate, so an unsupported upload is
 * reported instead of silently skipped.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { KNOWLEDGE_MANIFEST } from './knowledge-manifest.ts';

const IGNORED = [/^\./, /~$/, /^README(\.md)?$/i, /\.(bak|tmp|swp)$/i];

/** Relative paths (with `/`), sorted so ingest order and chunk ordinals are deterministic. */
export async function listKnowledgeFiles(knowledgeDir: string): Promise<string[]> {
  const entries = await readdir(knowledgeDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(knowledgeDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => file !== KNOWLEDGE_MANIFEST && !file.split('/').some((part) => IGNORED.some((pattern) => pattern.test(part))))
    .sort();
}
