/**
 * @module The bot's durable state in one SQLite file: which messages were handled (Lark
 * re-delivers for hours, also across our restarts) together with what each one asked, so a
 * message claimed by a process that died is still answered; the answers given (so buttons carry
 * only an id), and feedback. Every failure names the file, so the operator knows where to look.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../core/index.ts';
import type { Citation } from '../answer/index.ts';
import type { IncomingMessage } from './types.ts';

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

/** A claim older than this is from a process that died or hung mid-answer; the message may be retried. */
const STALE_CLAIM_MS = 5 * 60 * 1000;
/** Lark stops re-delivering after about 7 hours; keep ids a day. */
const HANDLED_TTL_MS = 24 * 60 * 60 * 1000;

interface ClaimRow {
  message_id: string;
  state: 'working' | 'done';
  claimed_at: number;
  owner: string | null;
  message: string | null;
}

/** What an operator can do about a store that cannot be opened or written, by SQLite's error code. */
function storeAdvice(error: unknown, file: string): string {
  const code = String((error as { code?: unknown }).code ?? '');
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return `文件已损坏。请停止机器人，把它（连同同名的 -wal、-shm 文件）移走或改名后重启，机器人会新建空的数据文件（已处理消息与反馈记录将丢失，可从备份恢复）`;
  }
  if (code.startsWith('SQLITE_FULL') || code === 'ENOSPC') return `磁盘已满。请清理 ${path.dirname(file)} 所在磁盘的空间`;
  if (code.startsWith('SQLITE_IOERR')) return `磁盘读写出错。请检查 ${path.dirname(file)} 所在磁盘的空间、权限与健康状况`;
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return `文件或所在目录不可写。请检查 DATA_DIR（${path.dirname(file)}）的权限，并确认磁盘未以只读方式挂载`;
  }
  return '请检查该文件与所在目录的权限和磁盘空间';
}

function storeError(action: string, file: string, error: unknown): AppError {
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('store_failed', `${action}机器人数据文件 ${file} 失败（${reason}）：${storeAdvice(error, file)}。`, { cause: error, context: { file } });
}

/** Whether a process with this id exists (signal 0 only checks; EPERM means it exists but is not ours). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class BotStore {
  readonly file: string;
  readonly #db: Database.Database;
  readonly #now: () => number;
  /** This store's claims: the pid tells whether their process still runs, the token tells this instance from an earlier one with the same pid. */
  readonly #owner = `${process.pid}:${randomUUID()}`;

  /** Opening fails with `store_failed` naming the file and what to do when it is corrupt, read-only or on a full disk. */
  constructor(file: string, options: { now?: () => number } = {}) {
    this.file = file;
    this.#now = options.now ?? Date.now;
    let opened: Database.Database | undefined;
    try {
      if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
      opened = new Database(file);
      this.#db = opened;
      this.#open();
    } catch (error) {
      opened?.close();
      throw storeError('打开', file, error);
    }
  }

  #open(): void {
    this.#db.pragma('journal_mode = WAL');
    // WAL with NORMAL survives a crash of this process (not a power cut) without an fsync per
    // message; better-sqlite3 is synchronous, so an fsync here would stall every chat's acks.
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    // SQLite opens a write-protected file read-only without a word; this write fails there at
    // start instead of on the first message. It records the layout version, too.
    this.#db.pragma('user_version = 2');
    this.#db.exec(`
      CREATE TABLE IF NOT EXISTS handled_messages (
        message_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('working', 'done')),
        claimed_at INTEGER NOT NULL,
        owner TEXT,
        message TEXT
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
    // Files from before a column existed get it added in place.
    this.#addColumns('answers', ['note', 'understood']);
    this.#addColumns('handled_messages', ['owner', 'message']);
    // A damaged page would otherwise surface later, on some message, as a failure far from its cause.
    const check = this.#db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw Object.assign(new Error(`quick_check: ${String(check)}`), { code: 'SQLITE_CORRUPT' });
  }

  #addColumns(table: string, wanted: string[]): void {
    const columns = new Set((this.#db.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((column) => column.name));
    for (const column of wanted) if (!columns.has(column)) this.#db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`);
  }

  /** Runs one store operation; a failure becomes `store_failed` naming the file. */
  #run<T>(action: string, operation: () => T): T {
    try {
      return operation();
    } catch (error) {
      throw storeError(action, this.file, error);
    }
  }

  /**
   * A claim may be taken over when its process is gone (another instance's pid that no longer runs,
   * or our own pid, which a live earlier process cannot have), or when it is stale.
   */
  #takeable(row: ClaimRow, now: number): boolean {
    if (row.state !== 'working') return false;
    if (row.claimed_at < now - STALE_CLAIM_MS) return true;
    if (!row.owner || row.owner === this.#owner) return false;
    const pid = Number(row.owner.split(':')[0]);
    return pid === process.pid || !processAlive(pid);
  }

  /**
   * Claims a message for handling and keeps what it asked. False when it was handled already or a
   * live worker holds the claim; a claim whose worker died is taken over so the user still gets an answer.
   */
  claimMessage(message: IncomingMessage): boolean {
    const now = this.#now();
    return this.#run('记录消息到', () =>
      this.#db.transaction(() => {
        const row = this.#db.prepare('SELECT * FROM handled_messages WHERE message_id = ?').get(message.messageId) as ClaimRow | undefined;
        if (row && !this.#takeable(row, now)) return false;
        this.#db
          .prepare(
            `INSERT INTO handled_messages (message_id, state, claimed_at, owner, message) VALUES (?, 'working', ?, ?, ?)
             ON CONFLICT(message_id) DO UPDATE SET claimed_at = excluded.claimed_at, owner = excluded.owner, message = excluded.message`,
          )
          .run(message.messageId, now, this.#owner, JSON.stringify(message));
        return true;
      }).immediate(),
    );
  }

  /**
   * Takes over every message claimed by a process that is gone and never finished, for answering
   * now (at start-up). A claim kept without its content (a file from before it was kept) is left
   * for a redelivery to take over.
   */
  takeOverUnfinished(): IncomingMessage[] {
    const now = this.#now();
    return this.#run('读取未答复的消息自', () =>
      this.#db.transaction(() => {
        const rows = this.#db.prepare(`SELECT * FROM handled_messages WHERE state = 'working' AND message IS NOT NULL ORDER BY claimed_at`).all() as ClaimRow[];
        const taken = rows.filter((row) => this.#takeable(row, now));
        const take = this.#db.prepare('UPDATE handled_messages SET claimed_at = ?, owner = ? WHERE message_id = ?');
        for (const row of taken) take.run(now, this.#owner, row.message_id);
        return taken.map((row) => JSON.parse(row.message!) as IncomingMessage);
      }).immediate(),
    );
  }

  finishMessage(messageId: string): void {
    // The content was kept only to answer after a crash; once answered it is not needed.
    this.#run('记录消息到', () => this.#db.prepare(`UPDATE handled_messages SET state = 'done', message = NULL WHERE message_id = ?`).run(messageId));
  }

  pruneHandled(): void {
    this.#run('清理', () => this.#db.prepare('DELETE FROM handled_messages WHERE claimed_at < ?').run(this.#now() - HANDLED_TTL_MS));
  }

  saveAnswer(answer: Omit<StoredAnswer, 'createdAt'>): void {
    this.#run('保存回答到', () => this.#db
      .prepare('INSERT INTO answers (id, chat_id, message_id, question, answer, refused, citations, created_at, note, understood) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(answer.id, answer.chatId, answer.messageId, answer.question, answer.answer, answer.refused ? 1 : 0, JSON.stringify(answer.citations), this.#now(), answer.note ?? null, answer.understood ?? null));
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
    this.#run('保存反馈到', () => this.#db
      .prepare(
        `INSERT INTO feedback (answer_id, operator_id, vote, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(answer_id, operator_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at`,
      )
      .run(answerId, operatorId, vote, this.#now()));
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

  /** The latest questions left without an answer and those voted 👎, newest first: what an admin should look at. */
  latestProblems(limit: number): { refused: { question: string; at: number }[]; unhelpful: { question: string; at: number }[] } {
    return this.#run('读取', () => ({
      refused: this.#db.prepare('SELECT question, created_at AS at FROM answers WHERE refused = 1 ORDER BY created_at DESC LIMIT ?').all(limit) as { question: string; at: number }[],
      unhelpful: this.#db
        .prepare(`SELECT answers.question, feedback.created_at AS at FROM feedback JOIN answers ON answers.id = feedback.answer_id WHERE feedback.vote = 'down' ORDER BY feedback.created_at DESC LIMIT ?`)
        .all(limit) as { question: string; at: number }[],
    }));
  }
}
