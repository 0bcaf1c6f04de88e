/**
 * @module The question log as the admin console reads it: every question answered in chat with
 * its outcome, sources, latency and feedback (never who asked), and the usage figures drawn from
 * it. The store implements it; daily figures outlive the entries QUESTION_LOG_DAYS prunes.
 */
import type { Answer } from '../answer/index.ts';

export type QuestionOutcome = Answer['outcome'];

export interface QuestionLogEntry {
  id: string;
  at: number;
  /** Unknown for questions saved before the kind of chat was recorded. */
  chatKind?: 'p2p' | 'group';
  question: string;
  outcome: QuestionOutcome;
  /** The documents (and sections) the reply cited. */
  sources: { title: string; section: string }[];
  /** Unknown for questions saved before latency was recorded. */
  latencyMs?: number;
  up: number;
  down: number;
}

export interface QuestionLogFilter {
  /** Only questions not answered (closest clauses or nothing). */
  refused?: boolean;
  /** Only questions someone voted 👎. */
  unhelpful?: boolean;
  /** Newest first; at most this many. */
  limit?: number;
}

export interface DailyUsage {
  /** Local calendar day, YYYY-MM-DD. */
  day: string;
  questions: number;
  outcomes: Record<QuestionOutcome, number>;
  up: number;
  down: number;
  /** Of the day's questions with a recorded latency; undefined without any. */
  p50Ms?: number;
  p95Ms?: number;
}

export interface UsageFigures {
  /** Oldest first, every day of the period (days without questions count zero). */
  days: DailyUsage[];
  /** Documents cited most often in the period, most first. */
  topDocuments: { title: string; citations: number }[];
  /** Over the period's entries still kept (percentiles of pruned days cannot be merged). */
  latency: { p50Ms?: number; p95Ms?: number };
}

export interface QuestionLog {
  questions(filter: QuestionLogFilter): Promise<QuestionLogEntry[]>;
  usage(options: { days: number }): Promise<UsageFigures>;
}
