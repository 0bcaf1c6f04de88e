/**
 * The `Answerer` contract: given one retrieval of the bundled index (`qa.retrieve`), the same for every
 * implementation), an answer either quotes the retrieved passages verbatim behind every `[n]`, or,
 * when the evidence does not answer the question, refuses: citing the closest clauses as such, or nothing.
 */
import { afterAll, beforeAll, describe, expect } from 'vitest';
import type { Answer, AnswerInput, Answerer } from '../../../bot/answer/index.ts';
import { openBundledQa, type OpenedQa } from '../qa.ts';
import { contractCase, expectTraceable, markersOf, type Skip } from './cases.ts';

type AnswererCase =
  | 'answers an answerable question: every [n] resolves to a verbatim quote of a retrieved passage'
  | 'refuses an unanswerable question, citing only the closest clauses or nothing, without asking a model'
  | 'reports its kind as the mode of what it answers, and its fallback’s kind for a refusal'
  | 'answers in its fallback’s mode, with a note, when its model fails';

export interface AnswererContract {
  make(): Promise<Answerer>;
  /**
   * The kind of the answerer it falls back to, when it has one. A refusal and a fall-back are
   * that answerer's work, so they come in its mode.
   */
  fallbackKind?: Answer['mode'];
  /** Requests its model has received so far, when it has a model. */
  modelRequests?: () => number;
  /** The same answerer, but with a model that fails every request. */
  makeFailing?: () => Promise<Answerer>;
  skip?: Skip<AnswererCase>[];
}

const ANSWERABLE = ['渤海新区的项目审批现在平均多久能办完？', '技术改造有什么奖补政策？', '渤海新区2018年市场主体要新增多少户？'];
/** Off topic, a year no document covers, a place no document is about. */
const UNANSWERABLE = ['住房公积金怎么提取？', '2022年渤海新区城乡低保标准是多少？', '北京的公积金怎么提取？'];
/** How each is refused: the 2018 standard is the clause closest to the 2022 question; nothing is close to 公积金. */
const NON_ANSWER: Record<string, 'related' | 'none'> = { '住房公积金怎么提取？': 'none', '2022年渤海新区城乡低保标准是多少？': 'related', '北京的公积金怎么提取？': 'none' };

/** Every citation quotes a passage that was retrieved, under that passage's document. */
function expectFromRetrieved(answer: Answer, retrieval: AnswerInput): void {
  for (const citation of answer.citations) {
    const hit = retrieval.retrieved.find((candidate) => candidate.chunk.text === citation.passage);
    expect(hit, `[${citation.n}] cites a passage that was not retrieved`).toBeDefined();
    expect(citation.docId).toBe(hit?.document.docId);
    expect(citation.title).toBe(hit?.document.title);
  }
}

export function runAnswererContract({ make, fallbackKind, modelRequests, makeFailing, skip }: AnswererContract): void {
  const test = contractCase(skip);

  describe('Answerer contract', () => {
    let index: OpenedQa;
    let answerer: Answerer;
    const retrievals = new Map<string, AnswerInput>();
    const retrieval = (question: string): AnswerInput => {
      const found = retrievals.get(question);
      if (!found) throw new Error(`no retrieval for ${question}`);
      return found;
    };

    beforeAll(async () => {
      index = openBundledQa();
      for (const question of [...ANSWERABLE, ...UNANSWERABLE]) retrievals.set(question, await index.qa.retrieve(question));
      answerer = await make();
    });

    afterAll(() => index?.close());

    test('answers an answerable question: every [n] resolves to a verbatim quote of a retrieved passage', async () => {
      for (const question of ANSWERABLE) {
        expect(retrieval(question).evidence.answerable, question).toBe(true);
        const answer = await answerer.answer(retrieval(question));
        expectTraceable(answer);
        expectFromRetrieved(answer, retrieval(question));
      }
    });

    test('refuses an unanswerable question, citing only the closest clauses or nothing, without asking a model', async () => {
      for (const question of UNANSWERABLE) {
        expect(retrieval(question).evidence.answerable, question).toBe(false);
        const before = modelRequests?.();
        const answer = await answerer.answer(retrieval(question));
        expect(answer.refused).toBe(true);
        expect(answer.outcome, question).toBe(NON_ANSWER[question]);
        if (answer.outcome === 'related') {
          // Clauses, not an answer: said so first, each quoted verbatim from a retrieved passage.
          expect(answer.text.startsWith('文件中没有直接回答这个问题。')).toBe(true);
          expect(answer.citations.length).toBeGreaterThan(0);
          expect(answer.citations.map((citation) => citation.n)).toEqual(answer.citations.map((_, index) => index + 1));
          expect(markersOf(answer.text)).toEqual(answer.citations.map((citation) => citation.n));
          for (const citation of answer.citations) expect(citation.passage).toContain(citation.quote);
          expectFromRetrieved(answer, retrieval(question));
        } else {
          expect(answer.citations).toEqual([]);
          expect(markersOf(answer.text)).toEqual([]);
        }
        expect(answer.text.length).toBeGreaterThan(0);
        const retrievedDocs = new Set(retrieval(question).retrieved.map((hit) => hit.document.docId));
        for (const document of answer.closestDocuments) expect(retrievedDocs).toContain(document.docId);
        if (modelRequests) expect(modelRequests(), question).toBe(before);
      }
      if (modelRequests) {
        // Control: the counter does see this answerer's requests to its model.
        const before = modelRequests();
        await answerer.answer(retrieval(ANSWERABLE[0]!));
        expect(modelRequests()).toBeGreaterThan(before);
      }
    });

    test('reports its kind as the mode of what it answers, and its fallback’s kind for a refusal', async () => {
      for (const question of ANSWERABLE) {
        const answer = await answerer.answer(retrieval(question));
        expect(answer.mode, question).toBe(answerer.kind);
      }
      const refusal = await answerer.answer(retrieval(UNANSWERABLE[0]!));
      expect(refusal.mode).toBe(fallbackKind ?? answerer.kind);
    });

    test('answers in its fallback’s mode, with a note, when its model fails', async () => {
      if (!makeFailing || !fallbackKind) throw new Error('give makeFailing and fallbackKind, or skip this case with a reason');
      const failing = await makeFailing();
      expect(failing.kind).toBe(answerer.kind);
      const question = ANSWERABLE[0]!;
      const answer = await failing.answer(retrieval(question));
      expect(answer.mode).toBe(fallbackKind);
      expect(answer.mode).not.toBe(failing.kind);
      expect(answer.note).toBeTruthy();
      expectTraceable(answer);
      expectFromRetrieved(answer, retrieval(question));
    });
  });
}
