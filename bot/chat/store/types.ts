/**
 * @module What the chat keeps durably, whichever database holds it: handled-message claims with
 * the message itself, the answers given (the question log), feedback, conversation turns, and a
 * lock that lets one ingest run at a time across the replicas sharing the store.
 */
import type { Citation } from '../../answer/index.ts';
import type { Turn } from '../../qa/index.ts';
import type { QuestionLog, QuestionOutcome } from '../question-log.ts';
import type { IncomingMessage } from '../types.ts';

export interface StoredAnswer {
  id: string;
  chatId: string;
  messageId: string;
  question: string;
  answer: string;
  refused: boolean;
  citations: Citation[];
  /** Shown under the answer (fallback reason, trimmed question …). */
  note?: string;
  /** The question as understood, when a follow-up was rewritten. */
  understood?: string;
  /** For the question log; answers saved before it was recorded derive it from `refused` and `citations`. */
  outcome?: QuestionOutcome;
  chatKind?: 'p2p' | 'group';
  /** From question to finished answer. */
  latencyMs?: number;
  createdAt: number;
}

export interface BotStats {
  questions: number;
  refused: number;
  helpful: number;
  unhelpful: number;
  since: number;
}

/** Questions an admin should look at, newest first. */
export interface LatestProblems {
  refused: { question: string; at: number }[];
  unhelpful: { question: string; at: number }[];
}

/** Where conversation turns are kept: in this process (./memory.ts) or in the shared store. */
export interface TurnStore {
  /** Turns of `conversation` at or after `since`, oldest first, at most `limit` (the latest). */
  recentTurns(conversation: string, since: number, limit: number): Promise<Turn[]>;
  /** Adds a turn, keeping only the latest `keep` of the conversation and none before `since`. */
  addTurn(conversation: string, turn: Turn, bounds: { keep: number; since: number }): Promise<void>;
  forgetTurns(conversation: string): Promise<void>;
}

/**
 * Every method fails with `store_failed`, naming where the data lives and what to do. Claims are
 * atomic across processes: of any number of replicas claiming one message, exactly one wins.
 */
export interface ChatStore extends TurnStore, QuestionLog {
  /** The SQLite file, or the PostgreSQL server and database (without the password): for logs and errors. */
  readonly location: string;
  /**
   * Claims a message for handling and keeps what it asked. False when it was handled already or a
   * live worker holds the claim; a claim whose worker is gone is taken over.
   */
  claimMessage(message: IncomingMessage): Promise<boolean>;
  /** Takes over every message whose worker is gone before answering it, for answering now. */
  takeOverUnfinished(): Promise<IncomingMessage[]>;
  finishMessage(messageId: string): Promise<void>;
  pruneHandled(): Promise<void>;
  saveAnswer(answer: Omit<StoredAnswer, 'createdAt'>): Promise<void>;
  getAnswer(id: string): Promise<StoredAnswer | undefined>;
  /** One vote per person per answer; voting again replaces the earlier vote. */
  recordFeedback(answerId: string, operatorId: string, vote: 'up' | 'down'): Promise<void>;
  stats(sinceMs: number): Promise<BotStats>;
  /** The latest questions left without an answer and those voted 👎, newest first: what an admin should look at. */
  latestProblems(limit: number): Promise<LatestProblems>;
  /**
   * Deletes the question log's entries (and their feedback) of the days before the last `keepDays`,
   * keeping those days' figures for `usage`; returns how many entries went.
   */
  pruneQuestions(keepDays: number): Promise<number>;
  /** Runs `work` while no other process sharing this store runs an ingest (waits its turn). */
  withIngestLock<T>(work: () => Promise<T>): Promise<T>;
  /** Resolves when the database answers a query (readiness). */
  ping(): Promise<void>;
  close(): Promise<void>;
}
