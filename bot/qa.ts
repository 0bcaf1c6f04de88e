/**
 * @module Question → answer: analyse, retrieve, weigh the evidence, answer. The one pipeline
 * behind the CLI, the evaluation and the chat bot.
 */
import type { IndexEmbedder } from '../core/embeddings/types.ts';
import { sectionPath } from '../core/index-format.ts';
import { assessEvidence, DEFAULT_EVIDENCE, type Evidence, type EvidenceOptions } from './answer/evidence.ts';
import type { Answer, Answerer } from './answer/types.ts';
import type { IndexHolder } from './retrieval/index-holder.ts';
import { loadDefaultLexicon, type Lexicon } from './retrieval/lexicon.ts';
import { analyzeQuery, type AnalyzedQuery } from './retrieval/query.ts';
import { DEFAULT_SEARCH, hybridSearch, type RetrievedChunk, type SearchOptions } from './retrieval/search.ts';

export interface AskResult {
  question: string;
  query: AnalyzedQuery;
  answer: Answer;
  evidence: Evidence;
  retrieved: RetrievedChunk[];
  indexVersion: string;
  latencyMs: number;
}

export interface QaOptions {
  index: IndexHolder;
  embedder: IndexEmbedder;
  answerer: Answerer;
  lexicon?: Lexicon;
  search?: Partial<SearchOptions>;
  evidence?: Partial<EvidenceOptions>;
  /** Told when the embedding service fails and a query runs on the keyword side alone. */
  onVectorFailure?: (error: unknown) => void;
}

export interface AskOptions {
  onPartial?: (text: string) => void;
  signal?: AbortSignal;
}

export class QaService {
  readonly #options: QaOptions;
  readonly #lexicon: Lexicon;
  readonly #search: SearchOptions;
  readonly #evidence: EvidenceOptions;

  constructor(options: QaOptions) {
    this.#options = options;
    this.#lexicon = options.lexicon ?? loadDefaultLexicon();
    this.#search = { ...DEFAULT_SEARCH, ...options.search };
    this.#evidence = { ...DEFAULT_EVIDENCE, ...options.evidence };
  }

  get index(): IndexHolder {
    return this.#options.index;
  }

  /** Retrieval only (no answer): for evaluation of the retriever and for follow-up handling. */
  async retrieve(question: string): Promise<{ query: AnalyzedQuery; retrieved: RetrievedChunk[]; evidence: Evidence }> {
    const handle = this.#options.index.current;
    const query = analyzeQuery(question, this.#lexicon);
    const retrieved = await hybridSearch(handle, this.#options.embedder, query, this.#search, this.#options.onVectorFailure);
    const evidence = assessEvidence(query, retrieved, handle.termStats, this.#evidence);
    return { query, retrieved, evidence };
  }

  async ask(question: string, options: AskOptions = {}): Promise<AskResult> {
    const started = performance.now();
    const indexVersion = this.#options.index.current.manifest.version;
    const { query, retrieved, evidence } = await this.retrieve(question);
    const answer = await this.#options.answerer.answer({ query, retrieved, evidence }, options);
    return { question, query, answer, evidence, retrieved, indexVersion, latencyMs: performance.now() - started };
  }
}

/** The documented `ask --json` shape. */
export function askResultJson(result: AskResult) {
  return {
    question: result.question,
    refused: result.answer.refused,
    answer: result.answer.text,
    citations: result.answer.citations.map(({ n, docId, title, section, quote }) => ({ n, doc: docId, title, section, quote })),
    retrieved: result.retrieved.slice(0, 10).map((hit, index) => ({
      rank: index + 1,
      doc: hit.document.docId,
      title: hit.document.title,
      section: sectionPath(hit.chunk.headings),
      text: hit.chunk.text,
      score: Number(hit.score.toFixed(4)),
    })),
    latencyMs: Number(result.latencyMs.toFixed(2)),
  };
}
