/**
 * @module What admins decided about questions, kept in the knowledge folder's `.curation/`
 * (shared by every replica and the question worker, which reload it when it changes; ingest
 * skips dot-folders): pinned clauses and out-of-scope questions (curation.json), added
 * vocabulary (lexicon.json, the format of bot/retrieval/lexicon.json), and the regression file
 * of those questions (regression.jsonl, the format of tests/eval/*.jsonl), rewritten with every
 * decision so it always matches them.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { AppError, describeError } from '../../../core/index.ts';
import { lexiconSchema, lexiconWithAdditions, type Lexicon } from '../../retrieval/index.ts';
import { CLOSE_VARIANT_SIMILARITY, questionSimilarity, questionTerms } from './similarity.ts';

const clauseSchema = z.object({
  docId: z.string(),
  title: z.string(),
  section: z.string(),
  passage: z.string().min(1),
  quote: z.string().min(1),
  date: z.string().optional(),
  docNumber: z.string().optional(),
});
export type PinnedClause = z.infer<typeof clauseSchema>;

const entrySchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('pin'), question: z.string().min(1), clause: clauseSchema, at: z.number(), by: z.string() }),
  z.object({ action: z.literal('out_of_scope'), question: z.string().min(1), at: z.number(), by: z.string() }),
]);
export type CurationEntry = z.infer<typeof entrySchema>;
const decisionsSchema = z.object({ entries: z.array(entrySchema) });

type LexiconAdditions = z.infer<typeof lexiconSchema>;

const DECISIONS_FILE = 'curation.json';
const LEXICON_FILE = 'lexicon.json';
const REGRESSION_FILE = 'regression.jsonl';

/** The curation folder of a knowledge folder. */
export function curationDir(knowledgeDir: string): string {
  return path.join(knowledgeDir, '.curation');
}

/** Write-then-rename: a replica reading at the same moment sees the old file or the new one, never half. */
function writeAtomically(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
}

/** Changes with every rename-write (a new inode), even within one clock tick. */
function signature(file: string): string {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'none';
  }
}

function readJson<T>(file: string, schema: z.ZodType<T>, empty: T): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return empty;
  }
  try {
    return schema.parse(JSON.parse(text));
  } catch (error) {
    throw new AppError('config_invalid', `管理后台的维护文件 ${file} 格式有误（${describeError(error)}）；请修正或删除它`, { cause: error });
  }
}

interface Loaded {
  entries: (CurationEntry & { terms: Set<string> })[];
  additions: LexiconAdditions;
  signature: string;
}

export class CurationStore {
  readonly dir: string;
  /** Refilled in place on reload: the QA service holds this very map and reads it per question. */
  readonly lexicon: Lexicon = new Map();
  #loaded: Loaded;
  #problem: string | undefined;
  readonly #now: () => number;

  /** Fails with `config_invalid` naming the file when a curation file is malformed. */
  constructor(dir: string, options: { now?: () => number } = {}) {
    this.dir = dir;
    this.#now = options.now ?? Date.now;
    this.#loaded = this.#load();
  }

  get regressionFile(): string {
    return path.join(this.dir, REGRESSION_FILE);
  }

  /** Why the files on disk were not taken up at the last reload (the earlier state stays in force). */
  get problem(): string | undefined {
    return this.#problem;
  }

  /** Takes up what another process (or replica) wrote since; cheap when nothing changed. */
  refresh(): void {
    if (this.#signature() === this.#loaded.signature) return;
    try {
      this.#loaded = this.#load();
      this.#problem = undefined;
    } catch (error) {
      this.#problem = describeError(error);
    }
  }

  entries(): CurationEntry[] {
    this.refresh();
    return this.#loaded.entries.map(({ terms: _terms, ...entry }) => entry);
  }

  lexiconAdditions(): LexiconAdditions {
    this.refresh();
    return this.#loaded.additions;
  }

  /** The decision for this question or a close variant of it, the most similar first. */
  match(question: string): { entry: CurationEntry; similarity: number } | undefined {
    const terms = questionTerms(question);
    let best: { entry: CurationEntry; similarity: number } | undefined;
    for (const { terms: curated, ...entry } of this.#loaded.entries) {
      const similarity = questionSimilarity(terms, curated);
      if (similarity >= CLOSE_VARIANT_SIMILARITY && (!best || similarity > best.similarity)) best = { entry, similarity };
    }
    return best;
  }

  /** Pins a clause as the answer to a question (replacing any earlier decision on the same question). */
  pin(question: string, clause: PinnedClause, by: string): void {
    this.#decide({ action: 'pin', question: question.trim(), clause, at: this.#now(), by });
  }

  markOutOfScope(question: string, by: string): void {
    this.#decide({ action: 'out_of_scope', question: question.trim(), at: this.#now(), by });
  }

  /** Undoes the decision on exactly this question. */
  remove(question: string): void {
    this.refresh();
    this.#writeDecisions(this.entries().filter((entry) => entry.question !== question.trim()));
  }

  /**
   * Adds vocabulary: `synonyms` (each stands for the others) or `expand` (the user's word also
   * searches for the document's terms, not the other way round).
   */
  addTerms(kind: 'synonyms' | 'expand', word: string, terms: string[]): void {
    const cleaned = [...new Set(terms.map((term) => term.trim()).filter(Boolean))].filter((term) => term !== word.trim());
    if (word.trim() === '' || cleaned.length === 0) throw new AppError('invalid_argument', '请填写用户的说法和至少一个文件中的说法（两者不能相同）');
    const additions = structuredClone(this.lexiconAdditions());
    if (kind === 'synonyms') additions.groups.push([word.trim(), ...cleaned]);
    else additions.expand[word.trim()] = [...new Set([...(additions.expand[word.trim()] ?? []), ...cleaned])];
    // Checked before writing: a file the loader refuses would stop the additions of every replica.
    lexiconWithAdditions(additions);
    this.#writeLexicon(additions);
  }

  /** Takes back what was added for a word: its expansion, and the synonym groups it leads. */
  removeTerms(word: string): void {
    const { groups, expand } = this.lexiconAdditions();
    const { [word]: _removed, ...kept } = expand;
    this.#writeLexicon({ groups: groups.filter((group) => group[0] !== word), expand: kept });
  }

  #writeLexicon(additions: LexiconAdditions): void {
    writeAtomically(path.join(this.dir, LEXICON_FILE), `${JSON.stringify(additions, null, 2)}\n`);
    this.refresh();
  }

  #decide(entry: CurationEntry): void {
    if (entry.question === '') throw new AppError('invalid_argument', '问题不能为空');
    this.refresh();
    this.#writeDecisions([...this.entries().filter((existing) => existing.question !== entry.question), entry]);
  }

  #writeDecisions(entries: CurationEntry[]): void {
    writeAtomically(path.join(this.dir, DECISIONS_FILE), `${JSON.stringify({ entries }, null, 2)}\n`);
    writeAtomically(this.regressionFile, entries.map((entry, index) => `${JSON.stringify(regressionLine(entry, index + 1))}\n`).join(''));
    this.refresh();
  }

  #signature(): string {
    return `${signature(path.join(this.dir, DECISIONS_FILE))}|${signature(path.join(this.dir, LEXICON_FILE))}`;
  }

  #load(): Loaded {
    const current = this.#signature();
    const decisions = readJson(path.join(this.dir, DECISIONS_FILE), decisionsSchema, { entries: [] });
    const additions = readJson(path.join(this.dir, LEXICON_FILE), lexiconSchema, { groups: [], expand: {} });
    let merged: Lexicon;
    try {
      merged = lexiconWithAdditions(additions);
    } catch (error) {
      throw new AppError('config_invalid', `管理后台的词表 ${path.join(this.dir, LEXICON_FILE)} 有误（${describeError(error)}）`, { cause: error });
    }
    this.lexicon.clear();
    for (const [word, terms] of merged) this.lexicon.set(word, terms);
    return { entries: decisions.entries.map((entry) => ({ ...entry, terms: questionTerms(entry.question) })), additions, signature: current };
  }
}

/** A decision as a regression question: a pinned one must be answered citing its clause, an out-of-scope one refused. */
function regressionLine(entry: CurationEntry, ordinal: number): Record<string, unknown> {
  const id = `curated-${String(ordinal).padStart(3, '0')}`;
  return entry.action === 'pin' ? { id, doc: entry.clause.docId, question: entry.question, evidence: [entry.clause.quote] } : { id, question: entry.question, answerable: false };
}
