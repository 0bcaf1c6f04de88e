/**
 * @module The bot's Prometheus metrics, on a registry of its own (so a test can run several bots
 * in one process) with prom-client's default process metrics. Gauges of state owned elsewhere
 * (the index, the worker's backlog) are read when scraped, not pushed.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { IndexManifest } from '../../core/index.ts';

export interface MetricSources {
  /** The index live now; undefined (or a throw) when none is open. */
  index?: () => IndexManifest | undefined;
  /** Questions waiting on the question worker (Lark mode). */
  queueDepth?: () => number;
}

export class OpsMetrics {
  readonly registry = new Registry();
  readonly questions = new Counter({ name: 'bot_questions_total', help: 'Questions answered, by outcome: answer, related (closest clauses only), none', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly questionFailures = new Counter({ name: 'bot_question_failures_total', help: 'Questions whose answering failed with an error', registers: [this.registry] });
  readonly answerSeconds = new Histogram({
    name: 'bot_answer_duration_seconds',
    help: 'Time from question to finished answer, as the chat waits for it',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 30, 60],
    registers: [this.registry],
  });
  readonly larkEvents = new Counter({ name: 'bot_lark_events_total', help: 'Pushes received from Lark, by event type', labelNames: ['event_type'] as const, registers: [this.registry] });
  readonly larkAcks = new Counter({ name: 'bot_lark_acks_total', help: 'Pushes acknowledged to Lark, by event type and result (ok, or error: Lark retries it)', labelNames: ['event_type', 'result'] as const, registers: [this.registry] });
  readonly replies = new Counter({ name: 'bot_replies_total', help: 'Messages the bot sent or updated, by kind: reply, update, stream', labelNames: ['kind'] as const, registers: [this.registry] });
  readonly replyErrors = new Counter({ name: 'bot_reply_errors_total', help: 'Replies that failed, by kind and error code', labelNames: ['kind', 'code'] as const, registers: [this.registry] });
  readonly ingestRuns = new Counter({ name: 'bot_ingest_runs_total', help: 'Ingest runs started by admins (chat or console), by result', labelNames: ['result'] as const, registers: [this.registry] });
  readonly ingestSeconds = new Histogram({ name: 'bot_ingest_duration_seconds', help: 'Duration of ingest runs', buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800], registers: [this.registry] });

  constructor(sources: MetricSources = {}) {
    collectDefaultMetrics({ register: this.registry });
    const { index, queueDepth } = sources;
    if (index) this.#indexGauges(index);
    if (queueDepth) {
      new Gauge({
        name: 'bot_worker_queue_depth',
        help: 'Questions sent to the question worker and not yet answered',
        registers: [this.registry],
        collect() {
          this.set(queueDepth());
        },
      });
    }
  }

  #indexGauges(source: () => IndexManifest | undefined): void {
    const current = () => {
      try {
        return source();
      } catch {
        // A missing or broken index is /readyz's to report; here it is simply no numbers.
        return undefined;
      }
    };
    // Labelled by version so that without an index there is no sample at all, rather than a 0 that reads as an empty index.
    const gauge = (name: string, help: string, value: (manifest: IndexManifest) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['version'] as const,
        registers: [this.registry],
        collect() {
          this.reset();
          const manifest = current();
          if (manifest) this.set({ version: manifest.version }, value(manifest));
        },
      });
    new Gauge({
      name: 'bot_index_info',
      help: 'The index version live now (value 1), with when it was built',
      labelNames: ['version', 'built_at'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        const manifest = current();
        if (manifest) this.set({ version: manifest.version, built_at: manifest.builtAt }, 1);
      },
    });
    gauge('bot_index_documents', 'Documents in the live index', (manifest) => manifest.documents.length);
    gauge('bot_index_chunks', 'Chunks (passages) in the live index', (manifest) => manifest.chunkCount);
    gauge('bot_index_bytes', 'Size of the live index files', (manifest) => Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0));
  }
}
