// Validates the evaluation sets on the real, uncleaned documents of tests/fixtures/dev-corpus/:
// dev-corpus-dev.jsonl asks about the dev/ half, dev-corpus-test.jsonl about the test/ half.
// A retrieved passage counts as correct if it contains ANY evidence string (whitespace removed),
// so every evidence string must occur in the document text as ingest reads it: the file goes
// through the public ingest API (extractText, then cleanText) and both sides are compared with
// matchKey (NFKC, whitespace removed), for every format (.html in any encoding, .docx, .pdf, .md, .txt).
import { describe, it, expect } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { matchKey } from '../../core/text/index.ts';
import { cleanText, extractText } from '../../ingest/index.ts';

const evalDir = fileURLToPath(new URL('./', import.meta.url));
const corpusDir = fileURLToPath(new URL('../fixtures/dev-corpus/', import.meta.url));

const MIN_EVIDENCE_LEN = 6;
const MAX_EVIDENCE_LEN = 30;
const MAX_EVIDENCE = 3;
const MIN_PER_DOCUMENT = 5;

interface Half {
  name: 'dev' | 'test';
  file: string;
  minQuestions: number;
  minUnanswerable: number;
}

const HALVES: Half[] = [
  { name: 'dev', file: 'dev-corpus-dev.jsonl', minQuestions: 80, minUnanswerable: 22 },
  { name: 'test', file: 'dev-corpus-test.jsonl', minQuestions: 75, minUnanswerable: 20 },
];

interface Line {
  lineNo: number;
  value: unknown;
  error?: string;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function loadJsonl(file: string): Line[] {
  return readFileSync(path.join(evalDir, file), 'utf8')
    .split('\n')
    .map((raw, i) => ({ raw, lineNo: i + 1 }))
    .filter(({ raw }) => raw.trim() !== '')
    .map(({ raw, lineNo }) => {
      try {
        return { lineNo, value: JSON.parse(raw) as unknown };
      } catch (e) {
        return { lineNo, value: undefined, error: String(e) };
      }
    });
}

/** Document name (file name without extension) → its files in one half folder (normally exactly one). */
function documentFiles(half: Half): Map<string, string[]> {
  const files = new Map<string, string[]>();
  for (const file of readdirSync(path.join(corpusDir, half.name))) {
    const doc = path.basename(file, path.extname(file));
    files.set(doc, [...(files.get(doc) ?? []), file]);
  }
  return files;
}

type DocText = { key: string } | { error: string };

/** Every document of the half as ingest reads it, as a match key; an unreadable file keeps its error. */
async function readDocuments(half: Half, files: Map<string, string[]>): Promise<Map<string, DocText>> {
  const texts = new Map<string, DocText>();
  for (const [doc, names] of files) {
    const file = names[0]!;
    try {
      const { text } = await extractText(readFileSync(path.join(corpusDir, half.name, file)), file);
      texts.set(doc, { key: matchKey(cleanText(text)) });
    } catch (e) {
      texts.set(doc, { error: e instanceof Error ? e.message : String(e) });
    }
  }
  return texts;
}

/** Shape problems of one entry (everything that does not need the document text). */
function entryProblems(r: Rec): string[] {
  const problems: string[] = [];
  if (!isNonEmptyString(r.question)) problems.push('missing question');
  if (!isNonEmptyString(r.doc)) problems.push('missing doc');
  if (r.answerable === false) {
    if (r.evidence !== undefined) problems.push('unanswerable entry carries evidence');
    if (r.why !== undefined && !isNonEmptyString(r.why)) problems.push('why must be a non-empty string');
    return problems;
  }
  if (r.answerable !== undefined && r.answerable !== true) problems.push('bad answerable flag');
  const evidence = r.evidence;
  if (!isStringArray(evidence) || evidence.length === 0 || evidence.length > MAX_EVIDENCE) {
    problems.push(`evidence must be an array of 1-${MAX_EVIDENCE} strings`);
    return problems;
  }
  for (const ev of evidence) {
    const len = [...ev].length;
    if (/\s/u.test(ev)) problems.push(`${JSON.stringify(ev)} contains whitespace`);
    if (len < MIN_EVIDENCE_LEN || len > MAX_EVIDENCE_LEN)
      problems.push(`${JSON.stringify(ev)} has ${len} chars (want ${MIN_EVIDENCE_LEN}-${MAX_EVIDENCE_LEN})`);
  }
  if (new Set(evidence).size !== evidence.length) problems.push('duplicate evidence strings');
  return problems;
}

/** A question must not simply be a sentence lifted from the document. */
function copiedFromDoc(key: string, question: string): boolean {
  const core = matchKey(question.replace(/[？?！!。，,、“”"'\s]/gu, ''));
  return core.length >= 8 && key.includes(core);
}

interface LoadedHalf {
  half: Half;
  lines: Line[];
  recs: Rec[];
  files: Map<string, string[]>;
  texts: Map<string, DocText>;
}

const loaded: LoadedHalf[] = [];
for (const half of HALVES) {
  if (!existsSync(path.join(evalDir, half.file))) continue;
  const lines = loadJsonl(half.file);
  const files = documentFiles(half);
  loaded.push({ half, lines, recs: lines.map((l) => l.value).filter(isRec), files, texts: await readDocuments(half, files) });
}

describe('dev-corpus eval sets: both halves', () => {
  it('the dev half exists', () => {
    expect(loaded.map((l) => l.half.name)).toContain('dev');
  });

  it('ids are non-empty strings, unique across both files', () => {
    const ids = loaded.flatMap(({ recs }) => recs.map((r) => r.id));
    expect(ids.filter((id) => !isNonEmptyString(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });
});

for (const half of HALVES) {
  const set = loaded.find((l) => l.half === half);
  if (set === undefined) {
    describe(`dev-corpus eval set: ${half.file}`, () => {
      it('exists', () => {
        throw new Error(`tests/eval/${half.file} is missing: the ${half.name} half cannot be validated`);
      });
    });
    continue;
  }
  const { lines, recs, files, texts } = set;
  const answerable = recs.filter((r) => r.answerable !== false);
  const unanswerable = recs.filter((r) => r.answerable === false);

  describe(`dev-corpus eval set: ${half.file} (tests/fixtures/dev-corpus/${half.name}/)`, () => {
    it('every line parses as a JSON object', () => {
      const bad = lines
        .filter((l) => l.error !== undefined || !isRec(l.value))
        .map((l) => `${half.file}:${l.lineNo}: ${l.error ?? 'not an object'}`);
      expect(bad).toEqual([]);
    });

    it(`has at least ${half.minQuestions} questions, ${half.minUnanswerable} of them unanswerable`, () => {
      console.log(`${half.file}: ${recs.length} questions, ${answerable.length} answerable, ${unanswerable.length} unanswerable`);
      expect(recs.length).toBeGreaterThanOrEqual(half.minQuestions);
      expect(unanswerable.length).toBeGreaterThanOrEqual(half.minUnanswerable);
    });

    it('every question text is non-empty and unique', () => {
      const qs = recs.map((r) => r.question);
      expect(qs.filter((q) => !isNonEmptyString(q))).toEqual([]);
      expect(qs.filter((q, i) => qs.indexOf(q) !== i)).toEqual([]);
    });

    it(`every doc names exactly one file in tests/fixtures/dev-corpus/${half.name}/`, () => {
      const problems: string[] = [];
      for (const r of recs) {
        if (!isNonEmptyString(r.doc)) continue;
        const found = files.get(r.doc) ?? [];
        if (found.length !== 1) problems.push(`${String(r.id)}: ${r.doc} matches ${found.length} files`);
      }
      expect(problems).toEqual([]);
    });

    it('entries are well-formed: answerable ones carry 1-3 valid evidence strings, unanswerable ones none', () => {
      const problems = recs.flatMap((r) => entryProblems(r).map((p) => `${String(r.id)}: ${p}`));
      expect(problems).toEqual([]);
    });

    it(`covers every document of the half (at least ${MIN_PER_DOCUMENT} questions each)`, () => {
      const thin = [...files.keys()]
        .map((doc) => [doc, recs.filter((r) => r.doc === doc).length] as const)
        .filter(([, n]) => n < MIN_PER_DOCUMENT)
        .map(([doc, n]) => `${doc}: ${n}`);
      expect(thin).toEqual([]);
    });

    for (const [doc, text] of texts) {
      const asked = recs.filter((r) => r.doc === doc);
      if ('error' in text) {
        it(`ingest reads ${doc}`, () => {
          throw new Error(`ingest cannot read ${doc} (${text.error}): the evidence of its ${asked.length} questions cannot be checked`);
        });
        continue;
      }
      it(`evidence is found in ${doc} as ingest reads it, and no question is copied from it`, () => {
        const problems: string[] = [];
        for (const r of asked) {
          if (isNonEmptyString(r.question) && copiedFromDoc(text.key, r.question))
            problems.push(`${String(r.id)}: question copied verbatim from the document`);
          if (r.answerable === false || !isStringArray(r.evidence)) continue;
          for (const ev of r.evidence) {
            if (!text.key.includes(matchKey(ev))) problems.push(`${String(r.id)}: ${JSON.stringify(ev)} is not in the text ingest reads`);
          }
        }
        expect(problems).toEqual([]);
      });
    }
  });
}
