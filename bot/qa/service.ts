/**
 * @module Question → answer: analyse, retrieve, weigh the evidence, answer. The one pipeline
 * behind the CLI, the evaluation and the chat bot.
 */
import type { IndexEmbedder } from '../../core/embeddings/index.ts';
import { assessEvidence, DEFAULT_EVIDENCE, type Answer, type Answerer, type Evidence, type EvidenceOptions } from '../answer/index.ts';
import {
  analyzeQuery,
  DEFAULT_SEARCH,
  hybridSearch,
  loadDefaultLexicon,
  type AnalyzedQuery,
  type IndexSource,
  type Lexicon,
  type RetrievedChunk,
  type SearchOptions,
} from '../retrieval/index.ts';

export interface AskResult {
  question: string;
  query: AnalyzedQuery;
  answer: Answer;
  evidence: Evidence;
  retrieved: RetrievedChunk[];
  indexVersion: string;
  latencyMs: number;
}

/** Retrieval alone, for follow-up resolution and retrieval metrics. */
export interface Retrieval {
  query: AnalyzedQuery;
  retrieved: RetrievedChunk[];
  evidence: Evidence;
}

export interface QaOptions {
  index: IndexSource;
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

  /** Retrieval only (no answer): for evaluation of the retriever and for follow-up handling. */
  async retrieve(question: string): Promise<Retrieval> {
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
