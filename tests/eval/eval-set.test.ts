// Validates the retrieval evaluation sets (questions.jsonl, followups.jsonl) against the raw
// policy documents in knowledge/. A passage counts as correct if it contains ANY evidence string,
// so every evidence string must be an exact, single-line, whitespace-free substring of its document.
import { describe, it, expect } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const evalDir = new URL('./', import.meta.url);
const knowledgeDir = new URL('../../knowledge/', import.meta.url);
// Held-out documents the system was never tuned on; validated for unseen.jsonl.
const unseenDir = new URL('../fixtures/unseen/', import.meta.url);

const DOCS = [
  'bohai-new-area-reform-2019',
  'bohai-shuangchuang-shuangfu-2018',
  'cangzhou-edz-13th-five-year-plan',
  'cangzhou-edz-multi-drive-2021',
  'cangzhou-edz-new-concepts-2020',
] as const;

const UNSEEN_DOCS = [
  'anyang-zhengwu-fuwu-tiaoli',
  'zhejiang-zuiduo-paoyici-guiding',
  'guobanfa-2019-6-rongzi-danbao',
] as const;

const MIN_EVIDENCE_LEN = 6;
const MAX_EVIDENCE_LEN = 30;

interface Line {
  lineNo: number;
  raw: string;
  value: unknown;
  error?: string;
}

function loadJsonl(name: string): Line[] {
  const path = fileURLToPath(new URL(name, evalDir));
  const text = readFileSync(path, 'utf8');
  return text
    .split('\n')
    .map((raw, i) => ({ raw, lineNo: i + 1 }))
    .filter(({ raw }) => raw.trim() !== '')
    .map(({ raw, lineNo }) => {
      try {
        return { lineNo, raw, value: JSON.parse(raw) as unknown };
      } catch (e) {
        return { lineNo, raw, value: undefined, error: String(e) };
      }
    });
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

const docText = new Map<string, string>();
function readDoc(doc: string, dir: URL = knowledgeDir): string | undefined {
  const url = new URL(`${doc}.txt`, dir);
  if (!docText.has(url.href)) {
    if (!existsSync(url)) return undefined;
    docText.set(url.href, readFileSync(url, 'utf8'));
  }
  return docText.get(url.href);
}

/** Problems with one evidence list for `doc` (a document in `dir`); empty array when everything is fine. */
function evidenceProblems(doc: string, evidence: unknown, dir: URL = knowledgeDir): string[] {
  if (!isStringArray(evidence) || evidence.length === 0) return ['evidence must be a non-empty string array'];
  const text = readDoc(doc, dir);
  if (text === undefined) return [`document ${doc}.txt not found in ${dir === knowledgeDir ? 'knowledge/' : 'tests/fixtures/unseen/'}`];
  const problems: string[] = [];
  for (const ev of evidence) {
    const len = [...ev].length;
    if (/[\r\n]/.test(ev)) problems.push(`${JSON.stringify(ev)} contains a line break`);
    if (/\s/u.test(ev)) problems.push(`${JSON.stringify(ev)} contains whitespace`);
    if (len < MIN_EVIDENCE_LEN || len > MAX_EVIDENCE_LEN)
      problems.push(`${JSON.stringify(ev)} has ${len} chars (want ${MIN_EVIDENCE_LEN}-${MAX_EVIDENCE_LEN})`);
    if (!text.includes(ev)) problems.push(`${JSON.stringify(ev)} is not an exact substring of ${doc}.txt`);
  }
  if (new Set(evidence).size !== evidence.length) problems.push('duplicate evidence strings');
  return problems;
}

/** A question must not simply be a sentence lifted from the document. */
function copiedFromDoc(doc: string, question: string, dir: URL = knowledgeDir): boolean {
  const text = readDoc(doc, dir);
  const core = question.replace(/[？?！!。，,、“”"'\s]/gu, '');
  return text !== undefined && core.length >= 8 && text.includes(core);
}

const questions = loadJsonl('questions.jsonl');
const followups = loadJsonl('followups.jsonl');
const unseen = loadJsonl('unseen.jsonl');
const qRecs = questions.map((l) => l.value).filter(isRec);
const fRecs = followups.map((l) => l.value).filter(isRec);
const answerable = qRecs.filter((r) => r.answerable !== false);
const unanswerable = qRecs.filter((r) => r.answerable === false);
const nRecs = unseen.map((l) => l.value).filter(isRec);
const nAnswerable = nRecs.filter((r) => r.answerable !== false);
const nUnanswerable = nRecs.filter((r) => r.answerable === false);

describe('eval set: files', () => {
  it('every line of both files parses as a JSON object', () => {
    const bad = [...questions.map((l) => ['questions', l] as const), ...followups.map((l) => ['followups', l] as const)]
      .filter(([, l]) => l.error !== undefined || !isRec(l.value))
      .map(([f, l]) => `${f}.jsonl:${l.lineNo}: ${l.error ?? 'not an object'}`);
    expect(bad).toEqual([]);
  });

  it('ids are present, well-formed and unique across both files', () => {
    const ids = [...qRecs, ...fRecs].map((r) => r.id);
    expect(ids.every((id) => typeof id === 'string' && /^[quf]\d{3,}$/.test(id))).toBe(true);
    const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
    expect(dupes).toEqual([]);
    for (const r of answerable) expect(String(r.id)).toMatch(/^q/);
    for (const r of unanswerable) expect(String(r.id)).toMatch(/^u/);
    for (const r of fRecs) expect(String(r.id)).toMatch(/^f/);
  });

  it('the five source documents exist in knowledge/', () => {
    for (const doc of DOCS) expect(readDoc(doc), `${doc}.txt`).toBeTypeOf('string');
  });
});

describe('eval set: questions.jsonl', () => {
  it('has enough questions', () => {
    expect(qRecs.length).toBeGreaterThanOrEqual(60);
    expect(unanswerable.length).toBeGreaterThanOrEqual(10);
  });

  it('every question text is non-empty and unique', () => {
    const qs = qRecs.map((r) => r.question);
    expect(qs.every(isNonEmptyString)).toBe(true);
    expect(qs.filter((q, i) => qs.indexOf(q) !== i)).toEqual([]);
  });

  it('answerable entries name an existing document and carry valid evidence', () => {
    const problems: string[] = [];
    for (const r of answerable) {
      if (r.answerable !== undefined && r.answerable !== true) problems.push(`${String(r.id)}: bad answerable flag`);
      if (!isNonEmptyString(r.doc)) {
        problems.push(`${String(r.id)}: missing doc`);
        continue;
      }
      for (const p of evidenceProblems(r.doc, r.evidence)) problems.push(`${String(r.id)}: ${p}`);
      if (isNonEmptyString(r.question) && copiedFromDoc(r.doc, r.question))
        problems.push(`${String(r.id)}: question copied verbatim from the document`);
    }
    expect(problems).toEqual([]);
  });

  it('unanswerable entries carry no doc or evidence', () => {
    for (const r of unanswerable) {
      expect(r.evidence, String(r.id)).toBeUndefined();
      expect(r.doc, String(r.id)).toBeUndefined();
    }
  });

  it('covers every one of the five documents (at least 8 answerable each)', () => {
    for (const doc of DOCS) {
      const n = answerable.filter((r) => r.doc === doc).length;
      expect(n, doc).toBeGreaterThanOrEqual(8);
    }
  });
});

describe('eval set: followups.jsonl', () => {
  it('has enough follow-up cases', () => {
    expect(fRecs.length).toBeGreaterThanOrEqual(10);
  });

  it('every follow-up has history, a question, a document and valid evidence', () => {
    const problems: string[] = [];
    for (const r of fRecs) {
      const id = String(r.id);
      if (!isStringArray(r.history) || r.history.length === 0 || !r.history.every(isNonEmptyString))
        problems.push(`${id}: history must be a non-empty array of non-empty strings`);
      if (!isNonEmptyString(r.question)) problems.push(`${id}: missing question`);
      if (!isNonEmptyString(r.doc)) {
        problems.push(`${id}: missing doc`);
        continue;
      }
      if (!(DOCS as readonly string[]).includes(r.doc)) problems.push(`${id}: unknown doc ${r.doc}`);
      for (const p of evidenceProblems(r.doc, r.evidence)) problems.push(`${id}: ${p}`);
    }
    expect(problems).toEqual([]);
  });
});

describe('eval set: unseen.jsonl (held-out documents in tests/fixtures/unseen/)', () => {
  it('every line parses as a JSON object', () => {
    const bad = unseen
      .filter((l) => l.error !== undefined || !isRec(l.value))
      .map((l) => `unseen.jsonl:${l.lineNo}: ${l.error ?? 'not an object'}`);
    expect(bad).toEqual([]);
  });

  it('ids are well-formed and unique across all eval files', () => {
    const ids = nRecs.map((r) => r.id);
    expect(ids.every((id) => typeof id === 'string' && /^[nx]\d{3,}$/.test(id))).toBe(true);
    for (const r of nAnswerable) expect(String(r.id)).toMatch(/^n/);
    for (const r of nUnanswerable) expect(String(r.id)).toMatch(/^x/);
    const all = [...qRecs, ...fRecs, ...nRecs].map((r) => r.id);
    expect(all.filter((id, i) => all.indexOf(id) !== i)).toEqual([]);
  });

  it('the three held-out documents exist in tests/fixtures/unseen/', () => {
    for (const doc of UNSEEN_DOCS) expect(readDoc(doc, unseenDir), `${doc}.txt`).toBeTypeOf('string');
  });

  it('has enough questions', () => {
    expect(nRecs.length).toBeGreaterThanOrEqual(30);
    expect(nUnanswerable.length).toBeGreaterThanOrEqual(8);
  });

  it('every question text is non-empty and unique', () => {
    const qs = nRecs.map((r) => r.question);
    expect(qs.every(isNonEmptyString)).toBe(true);
    expect(qs.filter((q, i) => qs.indexOf(q) !== i)).toEqual([]);
  });

  it('answerable entries name a held-out document and carry valid evidence', () => {
    const problems: string[] = [];
    for (const r of nAnswerable) {
      const id = String(r.id);
      if (r.answerable !== undefined && r.answerable !== true) problems.push(`${id}: bad answerable flag`);
      if (!isNonEmptyString(r.doc)) {
        problems.push(`${id}: missing doc`);
        continue;
      }
      if (!(UNSEEN_DOCS as readonly string[]).includes(r.doc)) problems.push(`${id}: unknown doc ${r.doc}`);
      for (const p of evidenceProblems(r.doc, r.evidence, unseenDir)) problems.push(`${id}: ${p}`);
      if (isNonEmptyString(r.question) && copiedFromDoc(r.doc, r.question, unseenDir))
        problems.push(`${id}: question copied verbatim from the document`);
    }
    expect(problems).toEqual([]);
  });

  it('unanswerable entries carry no doc or evidence', () => {
    for (const r of nUnanswerable) {
      expect(r.evidence, String(r.id)).toBeUndefined();
      expect(r.doc, String(r.id)).toBeUndefined();
    }
  });

  it('covers all three held-out documents', () => {
    for (const doc of UNSEEN_DOCS) {
      const n = nAnswerable.filter((r) => r.doc === doc).length;
      expect(n, doc).toBeGreaterThanOrEqual(8);
    }
  });
});

// Self-contained second questions on another topic than the first: they must be answered as if
// asked alone (see followups-unrelated.test.ts, which runs them on the knowledge/ index).
const unrelated = loadJsonl('followups-unrelated.jsonl');
const sRecs = unrelated.map((l) => l.value).filter(isRec);

describe('eval set: followups-unrelated.jsonl', () => {
  it('every line parses as a JSON object', () => {
    const bad = unrelated
      .filter((l) => l.error !== undefined || !isRec(l.value))
      .map((l) => `followups-unrelated.jsonl:${l.lineNo}: ${l.error ?? 'not an object'}`);
    expect(bad).toEqual([]);
  });

  it('ids are well-formed and unique across all eval files', () => {
    const ids = sRecs.map((r) => r.id);
    expect(ids.every((id) => typeof id === 'string' && /^s\d{3,}$/.test(id))).toBe(true);
    const all = [...qRecs, ...fRecs, ...nRecs, ...sRecs].map((r) => r.id);
    expect(all.filter((id, i) => all.indexOf(id) !== i)).toEqual([]);
  });

  it('has enough two-turn cases, answerable and unanswerable', () => {
    expect(sRecs.length).toBeGreaterThanOrEqual(30);
    expect(sRecs.filter((r) => r.answerable === false).length).toBeGreaterThanOrEqual(5);
    expect(sRecs.filter((r) => r.answerable !== false).length).toBeGreaterThanOrEqual(15);
  });

  it('every entry has one previous question and a different, unique second question', () => {
    const problems: string[] = [];
    for (const r of sRecs) {
      const id = String(r.id);
      if (!isStringArray(r.history) || r.history.length !== 1 || !r.history.every(isNonEmptyString))
        problems.push(`${id}: history must be one non-empty previous question`);
      if (!isNonEmptyString(r.question)) problems.push(`${id}: missing question`);
      else if (isStringArray(r.history) && r.history.includes(r.question)) problems.push(`${id}: question repeats the history`);
    }
    const qs = sRecs.map((r) => r.question);
    expect(qs.filter((q, i) => qs.indexOf(q) !== i)).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('answerable entries name a bundled document and carry valid evidence; unanswerable ones none', () => {
    const problems: string[] = [];
    for (const r of sRecs) {
      const id = String(r.id);
      if (r.answerable === false) {
        if (r.doc !== undefined || r.evidence !== undefined) problems.push(`${id}: unanswerable entry with doc or evidence`);
        continue;
      }
      if (r.answerable !== undefined && r.answerable !== true) problems.push(`${id}: bad answerable flag`);
      if (!isNonEmptyString(r.doc)) {
        problems.push(`${id}: missing doc`);
        continue;
      }
      if (!(DOCS as readonly string[]).includes(r.doc)) problems.push(`${id}: unknown doc ${r.doc}`);
      for (const p of evidenceProblems(r.doc, r.evidence)) problems.push(`${id}: ${p}`);
      if (isNonEmptyString(r.question) && copiedFromDoc(r.doc, r.question)) problems.push(`${id}: question copied verbatim from the document`);
    }
    expect(problems).toEqual([]);
  });
});
