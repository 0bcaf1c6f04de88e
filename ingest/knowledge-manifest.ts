/**
 * @module Document metadata kept beside the documents in `knowledge/manifest.json`, validated
 * with zod so a typo names the file and field. Documents without an entry get a title inferred
 * from their text (metadata/title.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../core/index.ts';

export { inferTitle } from './metadata/index.ts';

export const KNOWLEDGE_MANIFEST = 'manifest.json';

const entrySchema = z.object({
  title: z.string().min(1),
  issuer: z.string().optional(),
  docNumber: z.string().optional(),
  date: z.string().optional(),
  /** 施行日期, YYYY-MM-DD. */
  effectiveDate: z.string().optional(),
  /** The last day in force, YYYY-MM-DD. */
  expiryDate: z.string().optional(),
  /** The period in force as the document states it (有效期5年). */
  validity: z.string().optional(),
  kind: z.string().optional(),
});
const manifestSchema = z.object({ documents: z.record(z.string(), entrySchema).default({}) });

export type DocumentMetadata = z.infer<typeof entrySchema>;

export function readKnowledgeManifest(knowledgeDir: string): Map<string, DocumentMetadata> {
  const file = path.join(knowledgeDir, KNOWLEDGE_MANIFEST);
  if (!existsSync(file)) return new Map();
  let json: unknown;
  try {
    // Editors on Windows like to save with a byte-order mark, which JSON.parse rejects.
    json = JSON.parse(readFileSync(file, 'utf8').replace(/^\ufeff/, ''));
  } catch (cause) {
    throw new AppError('invalid_argument', `${file} 不是有效的 JSON：${(cause as Error).message}`, { cause });
  }
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    throw new AppError('invalid_argument', `${file} 格式有误：${problems}`);
  }
  return new Map(Object.entries(result.data.documents));
}
