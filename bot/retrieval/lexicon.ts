/**
 * @module The synonym lexicon (data in lexicon.json): which formal terms a user's words stand for.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { normalizeQuery } from '../../core/text/index.ts';

/** The format of lexicon.json, also of an admin's additions to it. */
export const lexiconSchema = z.object({
  groups: z.array(z.array(z.string().min(1)).min(2)),
  expand: z.record(z.string(), z.array(z.string().min(1))),
});

/** Surface form → the other terms it may stand for. */
export type Lexicon = Map<string, string[]>;

function parseLexicon(json: unknown): Lexicon {
  const data = lexiconSchema.parse(json);
  const lexicon: Lexicon = new Map();
  const add = (key: string, values: string[]) => {
    const normalized = normalizeQuery(key).toLowerCase();
    const merged = new Set([...(lexicon.get(normalized) ?? []), ...values.map((value) => normalizeQuery(value).toLowerCase())]);
    merged.delete(normalized);
    lexicon.set(normalized, [...merged]);
  };
  for (const group of data.groups) for (const member of group) add(member, group);
  for (const [key, values] of Object.entries(data.expand)) add(key, values);
  // Spoken Chinese puts a measure word between verb and object (注册个公司, 开个公司, 办个执照): each
  // colloquial verb–object entry (the `expand` side; groups hold formal terms) also matches with 个.
  for (const key of Object.keys(data.expand).map((entry) => normalizeQuery(entry).toLowerCase())) {
    const values = lexicon.get(key) ?? [];
    if (!/^[\u4e00-\u9fff]{3,5}$/.test(key) || key.includes('个')) continue;
    for (const verbLength of [1, 2]) {
      const spoken = `${key.slice(0, verbLength)}个${key.slice(verbLength)}`;
      if (!lexicon.has(spoken)) lexicon.set(spoken, [key, ...values]);
    }
  }
  return lexicon;
}

let defaultLexicon: Lexicon | undefined;
export function loadDefaultLexicon(): Lexicon {
  defaultLexicon ??= parseLexicon(JSON.parse(readFileSync(new URL('./lexicon.json', import.meta.url), 'utf8')));
  return defaultLexicon;
}

/**
 * The shipped vocabulary plus an admin's additions (same format as lexicon.json, kept outside the
 * code so a release never overwrites them): groups are added, `expand` entries of the same word
 * merged. Throws (zod) when the additions are malformed.
 */
export function lexiconWithAdditions(additions: unknown): Lexicon {
  const shipped = lexiconSchema.parse(JSON.parse(readFileSync(new URL('./lexicon.json', import.meta.url), 'utf8')));
  const added = lexiconSchema.parse(additions);
  const expand = { ...shipped.expand };
  for (const [key, values] of Object.entries(added.expand)) expand[key] = [...(expand[key] ?? []), ...values];
  return parseLexicon({ groups: [...shipped.groups, ...added.groups], expand });
}
