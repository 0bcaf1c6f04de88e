/**
 * @module The knowledge base's one running operation (upload, replace, delete, re-ingest) and its
 * live ingest progress for the documents page. Every ingest run of the bot goes through
 * {@link IngestActivity.wrap}, so runs started from chat show here too. What a run reported per
 * file is kept with the index, not here (ingest's `readIngestReport`).
 */
import { AppError, isAppError, type Logger } from '../../core/index.ts';
import type { IngestProgress, IngestSummary } from '../../ingest/index.ts';

export interface ActivityState {
  id: number;
  label: string;
  state: 'running' | 'done' | 'failed';
  startedAt: number;
  /** The latest progress event of the ingest run under way. */
  progress?: IngestProgress;
  /** Chinese: what happened, once finished. */
  result?: string;
}

type Listener = (state: ActivityState) => void;

export class IngestActivity {
  readonly #listeners = new Set<Listener>();
  readonly #logger: Logger;
  #current: ActivityState | undefined;
  #nextId = 1;

  constructor(options: { logger: Logger }) {
    this.#logger = options.logger;
  }

  get current(): ActivityState | undefined {
    return this.#current;
  }

  /** An ingest runner that reports its progress here. */
  wrap(run: (onProgress: (event: IngestProgress) => void) => Promise<IngestSummary>): () => Promise<IngestSummary> {
    return () =>
      run((event) => {
        if (this.#current?.state !== 'running') return;
        this.#current = { ...this.#current, progress: event };
        this.#emit();
      });
  }

  /** Starts `work` unless another operation is running; its result text ends the activity. */
  start(label: string, work: () => Promise<string>): ActivityState {
    if (this.#current?.state === 'running') throw new AppError('ingest_busy', `「${this.#current.label}」还在进行，请等它完成`);
    const state: ActivityState = { id: this.#nextId++, label, state: 'running', startedAt: Date.now() };
    this.#current = state;
    this.#emit();
    work().then(
      (result) => this.#finish(state.id, 'done', result),
      (error: unknown) => {
        this.#logger.warn('console operation failed', { label, error: error instanceof Error ? error.message : String(error) });
        this.#finish(state.id, 'failed', isAppError(error) ? error.message : '操作失败，详情见服务日志');
      },
    );
    return state;
  }

  subscribe(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #finish(id: number, state: 'done' | 'failed', result: string): void {
    if (this.#current?.id !== id) return;
    const { progress: _finished, ...rest } = this.#current;
    this.#current = { ...rest, state, result };
    this.#emit();
  }

  #emit(): void {
    const state = this.#current;
    if (state) for (const listener of this.#listeners) listener(state);
  }
}
