/**
 * @module Which files in the knowledge folder are documents. Everything not obviously ours
 * (the manifest, dotfiles, editor leftovers) is a candidate, so an unsupported upload is
 * reported instead of silently skipped. The same rule tells an upload which names ingest would
 * never read, so no upload is "added" and then ignored.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { KNOWLEDGE_MANIFEST } from './knowledge-manifest.ts';

const SKIPPED: [RegExp, string][] = [
  [/^\./, '以点开头的文件是隐藏文件'],
  [/~$/, '以 ~ 结尾的文件是编辑器的临时文件'],
  // The folder's own notes for whoever maintains it, not a policy document.
  [/^README(\.md)?$/i, 'README 是知识库文件夹的说明文件'],
  [/\.(bak|tmp|swp)$/i, '.bak/.tmp/.swp 是备份或临时文件'],
];

/** Why ingest skips a file of this name (one path segment), or undefined when it reads it. */
export function skippedReason(name: string): string | undefined {
  return SKIPPED.find(([pattern]) => pattern.test(name))?.[1];
}

/** Relative paths (with `/`), sorted so ingest order and chunk ordinals are deterministic. */
export async function listKnowledgeFiles(knowledgeDir: string): Promise<string[]> {
  const entries = await readdir(knowledgeDir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(knowledgeDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .filter((file) => file !== KNOWLEDGE_MANIFEST && !file.split('/').some((part) => skippedReason(part) !== undefined))
    .sort();
}
