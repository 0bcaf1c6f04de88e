/**
 * @module The bot's durable state in one SQLite file: which messages were handled (Lark
 * re-delivers for hours, also across our restarts), the answers given (so buttons carry only an
 * id), and feedback.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Citation } from '../answer/index.ts';

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
  createdAt: number;
}

export interface BotStats {
  questions: number;
  refused: number;
  helpful: number;
  unhelpful: number;
  since: number;
}

/** A claim older than this is from a process that died mid-answer; the message may be retried. */
const STALE_CLAIM_MS = 5 * 60 * 1000;
/** Lark stops re-delivering after about 7 hours; keep ids a day. */
const HANDLED_TTL_MS = 24 * 60 * 60 * 1000;

export class BotStore {
  readonly #db: Database.Database;
  readonly #now: () => number;

  constructor(file: string, options: { now?: () => number } = {}) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.#db = new Database(file);
    this.#now = options.now ?? Date.now;
    this.#db.pragma('journal_mode = WAL');
    // WAL with NORMAL survives a crash of this process (not a power cut) without an fsync per
    // message; better-sqlite3 is synchronous, so an fsync here would stall every chat's acks.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS handled_messages (
        message_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('working', 'done')),
        claimed_at INTEGER NOT NULL
      );
      CREATE TABLE IF NOT EXISTS answers (
        id TEXT PRIMARY KEY,
        chat_id TEXT NOT NULL,
        message_id TEXT NOT NULL,
        question TEXT NOT NULL,
        answer TEXT NOT NULL,
        refused INTEGER NOT NULL,
        citations TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        note TEXT,
        understood TEXT
      );
      CREATE TABLE IF NOT EXISTS feedback (
        answer_id TEXT NOT NULL REFERENCES answers(id),
        operator_id TEXT NOT NULL,
        vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        created_at INTEGER NOT NULL,
        PRIMARY KEY (answer_id, operator_id)
      );
    `);
    // Files created before note/understood existed get the columns added in place.
    const columns = new Set((this.#db.prepare('PRAGMA table_info(answers)').all() as { name: string }[]).map((column) => column.name));
    for (const column of ['note', 'understood']) if (!columns.has(column)) this.#db.exec(`ALTER TABLE answers ADD COLUMN ${column} TEXT`);
  }

  /**
   * Claims a message for handling. False when it was handled already or another worker holds a
   * fresh claim; a stale claim (its worker died) is taken over so the user still gets an answer.
   */
  claimMessage(messageId: string): boolean {
    const now = this.#now();
    const result = this.#db
      .prepare(
        `INSERT INTO handled_messages (message_id, state, claimed_at) VALUES (?, 'working', ?)
         ON CONFLICT(message_id) DO UPDATE SET claimed_at = excluded.claimed_at
         WHERE handled_messages.state = 'working' AND handled_messages.claimed_at < ?`,
      )
      .run(messageId, now, now - STALE_CLAIM_MS);
    return result.changes > 0;
  }

  finishMessage(messageId: string): void {
    this.#db.prepare(`UPDATE handled_messages SET state = 'done' WHERE message_id = ?`).run(messageId);
  }


  pruneHandled(): void {
    this.#db.prepare('DELETE FROM handled_messages WHERE claimed_at < ?').run(this.#now() - HANDLED_TTL_MS);
  }

  saveAnswer(answer: Omit<StoredAnswer, 'createdAt'>): void {
    this.#db
      .prepare('INSERT INTO answers (id, chat_id, message_id, question, answer, refused, citations, created_at, note, understood) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(answer.id, answer.chatId, answer.messageId, answer.question, answer.answer, answer.refused ? 1 : 0, JSON.stringify(answer.citations), this.#now(), answer.note ?? null, answer.understood ?? null);
  }

  getAnswer(id: string): StoredAnswer | undefined {
    const row = this.#db.prepare('SELECT * FROM answers WHERE id = ?').get(id) as
      | { id: string; chat_id: string; message_id: string; question: string; answer: string; refused: number; citations: string; created_at: number; note: string | null; understood: string | null }
      | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      chatId: row.chat_id,
      messageId: row.message_id,
      question: row.question,
      answer: row.answer,
      refused: row.refused === 1,
      citations: JSON.parse(row.citations) as Citation[],
      ...(row.note ? { note: row.note } : {}),
      ...(row.understood ? { understood: row.understood } : {}),
      createdAt: row.created_at,
    };
  }

  /** One vote per person per answer; voting again replaces the earlier vote. */
  recordFeedback(answerId: string, operatorId: string, vote: 'up' | 'down'): void {
    this.#db
      .prepare(
        `INSERT INTO feedback (answer_id, operator_id, vote, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(answer_id, operator_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at`,
      )
      .run(answerId, operatorId, vote, this.#now());
  }


  stats(sinceMs: number): BotStats {
    const since = this.#now() - sinceMs;
    const answers = this.#db.prepare('SELECT COUNT(*) AS total, COALESCE(SUM(refused), 0) AS refused FROM answers WHERE created_at >= ?').get(since) as {
      total: number;
      refused: number;
    };
    const votes = this.#db.prepare('SELECT vote, COUNT(*) AS count FROM feedback WHERE created_at >= ? GROUP BY vote').all(since) as { vote: string; count: number }[];
    return {
      questions: answers.total,
      refused: answers.refused,
      helpful: votes.find((row) => row.vote === 'up')?.count ?? 0,
      unhelpful: votes.find((row) => row.vote === 'down')?.count ?? 0,
      since,
    };
  }

  close(): void {
    this.#db.close();
  }
}
