import type { RetrievedChunk, AnalyzedQuery } from '../retrieval/index.ts';
import type { Evidence } from './evidence.ts';

export interface Citation {
  /** The [n] marker in the answer. */
  n: number;
  docId: string;
  title: string;
  /** Heading path, `第5章 … › 第15节 …`; empty for unstructured text. */
  section: string;
  /** A sentence copied verbatim from the passage. */
  quote: string;
  /** The whole passage the quote comes from (shown as 原文). */
  passage: string;
  date?: string;
  docNumber?: string;
}

export interface Answer {
  /** True for both non-answers (`related`, `none`): whatever counts refusals counts them alike. */
  refused: boolean;
  /**
   * `answer`: the question answered, every sentence cited. `related`: not answered, but the clauses
   * closest to it are cited, and said to be only that. `none`: nothing relevant, no citations.
   * So a refused answer has citations exactly when it is `related`.
   */
  outcome: 'answer' | 'related' | 'none';
  /** Chinese answer text with [n] markers (or the non-answer). */
  text: string;
  citations: Citation[];
  /** Documents nearest to the question, named when refusing. */
  closestDocuments: { docId: string; title: string }[];
  /** How the answer was produced, and why a generative answer fell back, if it did. */
  mode: 'extractive' | 'generative';
  note?: string;
}

export interface AnswerInput {
  query: AnalyzedQuery;
  retrieved: RetrievedChunk[];
  evidence: Evidence;
}

/** Turns retrieved passages into an answer. Implementations: extractive (default), generative. */
export interface Answerer {
  readonly kind: Answer['mode'];
  answer(input: AnswerInput, options?: { onPartial?: (text: string) => void; signal?: AbortSignal }): Promise<Answer>;
}
