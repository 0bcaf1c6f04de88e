/**
 * @module The store's one body of SQL over either database (./driver.ts). Claims never need a
 * transaction: a first claim is one `INSERT … ON CONFLICT DO NOTHING`, and a takeover one UPDATE
 * that succeeds only while the row is exactly as it was read (compare-and-set), so of replicas
 * racing for a message one wins. While this store lives it renews the lease of its claims.
 */
import { describeError, type Logger } from '../../../core/index.ts';
import type { Citation } from '../../answer/index.ts';
import type { Turn } from '../../qa/index.ts';
import type { QuestionLogEntry, QuestionLogFilter, UsageFigures } from '../question-log.ts';
import type { IncomingMessage } from '../types.ts';
import { newOwner, releaseOwner, takeable, type ClaimRow } from './claims.ts';
import type { Driver } from './driver.ts';
import { storeError } from './errors.ts';
import { pruneQuestionLog, questionLogEntries, questionUsage } from './question-log-sql.ts';
import type { BotStats, ChatStore, LatestProblems, StoredAnswer } from './types.ts';

/** Lark stops re-delivering after about 7 hours; keep ids (and stray conversation turns) a day. */
const HANDLED_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_LEASE_MS = 30_000;
/** Replicas may run for weeks without a restart (which prunes too). */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface StoreOptions {
  now?: () => number;
  /** How long a claim stays with its owner without a renewal (default 30 s); renewed every third of it. */
  leaseMs?: number;
  /** Where a failed lease renewal is reported. */
  logger?: Pick<Logger, 'warn'>;
}

interface AnswerRow {
  id: string;
  chat_id: string;
  message_id: string;
  question: string;
  answer: string;
  refused: number;
  citations: string;
  created_at: number;
  note: string | null;
  understood: string | null;
}

export class SqlStore implements ChatStore {
  readonly location: string;
  readonly #db: Driver;
  readonly #now: () => number;
  readonly #leaseMs: number;
  readonly #owner = newOwner();
  readonly #renewal: NodeJS.Timeout;
  readonly #pruning: NodeJS.Timeout;

  constructor(driver: Driver, options: StoreOptions = {}) {
    this.#db = driver;
    this.location = driver.location;
    this.#now = options.now ?? Date.now;
    this.#leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.#renewal = setInterval(() => {
      this.#renewLeases().catch((error: unknown) => options.logger?.warn('claim lease renewal failed', { store: this.location, error: describeError(error) }));
    }, Math.max(1, Math.floor(this.#leaseMs / 3)));
    this.#renewal.unref();
    this.#pruning = setInterval(() => {
      this.pruneHandled().catch((error: unknown) => options.logger?.warn('pruning handled messages failed', { store: this.location, error: describeError(error) }));
    }, PRUNE_EVERY_MS);
    this.#pruning.unref();
  }

  /** Runs one operation; a failure becomes `store_failed` naming the store. */
  async #run<T>(action: string, operation: (db: Driver) => Promise<T>): Promise<T> {
    try {
      return await operation(this.#db);
    } catch (error) {
      throw storeError(action, this.#db, error);
    }
  }

  #renewLeases(): Promise<number> {
    return this.#run('续约消息认领于', (db) => db.run(`UPDATE handled_messages SET lease_until = ? WHERE owner = ? AND state = 'working'`, [this.#now() + this.#leaseMs, this.#owner]));
  }

  /** Takes a claim over if it is still exactly the row that was judged takeable. */
  async #takeOver(db: Driver, row: ClaimRow, now: number, content: string): Promise<boolean> {
    const changed = await db.run(
      `UPDATE handled_messages SET claimed_at = ?, lease_until = ?, owner = ?, message = ?
       WHERE message_id = ? AND state = 'working' AND claimed_at = ? AND COALESCE(owner, '') = ? AND COALESCE(lease_until, 0) = ?`,
      [now, now + this.#leaseMs, this.#owner, content, row.message_id, row.claimed_at, row.owner ?? '', row.lease_until ?? 0],
    );
    return changed === 1;
  }

  claimMessage(message: IncomingMessage): Promise<boolean> {
    const now = this.#now();
    const content = JSON.stringify(message);
    return this.#run('记录消息到', async (db) => {
      const inserted = await db.all(
        `INSERT INTO handled_messages (message_id, state, claimed_at, lease_until, owner, message) VALUES (?, 'working', ?, ?, ?, ?)
         ON CONFLICT (message_id) DO NOTHING RETURNING message_id`,
        [message.messageId, now, now + this.#leaseMs, this.#owner, content],
      );
      if (inserted.length > 0) return true;
      const [row] = await db.all<ClaimRow>('SELECT * FROM handled_messages WHERE message_id = ?', [message.messageId]);
      return row !== undefined && takeable(row, this.#owner, now) && (await this.#takeOver(db, row, now, content));
    });
  }

  /** A claim kept without its content (a file from before it was kept) is left for a redelivery to take over. */
  takeOverUnfinished(): Promise<IncomingMessage[]> {
    const now = this.#now();
    return this.#run('读取未答复的消息自', async (db) => {
      const rows = await db.all<ClaimRow>(`SELECT * FROM handled_messages WHERE state = 'working' AND message IS NOT NULL ORDER BY claimed_at`);
      const taken: IncomingMessage[] = [];
      for (const row of rows) {
        if (takeable(row, this.#owner, now) && (await this.#takeOver(db, row, now, row.message!))) taken.push(JSON.parse(row.message!) as IncomingMessage);
      }
      return taken;
    });
  }

  async finishMessage(messageId: string): Promise<void> {
    // The content was kept only to answer after a crash; once answered it is not needed.
    await this.#run('记录消息到', (db) => db.run(`UPDATE handled_messages SET state = 'done', message = NULL WHERE message_id = ?`, [messageId]));
  }

  async pruneHandled(): Promise<void> {
    const before = this.#now() - HANDLED_TTL_MS;
    await this.#run('清理', async (db) => {
      await db.run('DELETE FROM handled_messages WHERE claimed_at < ?', [before]);
      await db.run('DELETE FROM conversation_turns WHERE at < ?', [before]);
    });
  }

  async saveAnswer(answer: Omit<StoredAnswer, 'createdAt'>): Promise<void> {
    await this.#run('保存回答到', (db) =>
      db.run(
        'INSERT INTO answers (id, chat_id, message_id, question, answer, refused, citations, created_at, note, understood, outcome, chat_kind, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [
        answer.id,
        answer.chatId,
        answer.messageId,
        answer.question,
        answer.answer,
        answer.refused ? 1 : 0,
        JSON.stringify(answer.citations),
        this.#now(),
        answer.note ?? null,
        answer.understood ?? null,
        answer.outcome ?? null,
        answer.chatKind ?? null,
        answer.latencyMs === undefined ? null : Math.round(answer.latencyMs),
        ],
      ),
    );
  }

  getAnswer(id: string): Promise<StoredAnswer | undefined> {
    return this.#run('读取', async (db) => {
      const [row] = await db.all<AnswerRow>('SELECT * FROM answers WHERE id = ?', [id]);
      if (!row) return undefined;
      return {
        id: row.id,
        chatId: row.chat_id,
        messageId: row.message_id,
        question: row.question,
        answer: row.answer,
        refused: Number(row.refused) === 1,
        citations: JSON.parse(row.citations) as Citation[],
        ...(row.note ? { note: row.note } : {}),
        ...(row.understood ? { understood: row.understood } : {}),
        createdAt: Number(row.created_at),
      };
    });
  }

  async recordFeedback(answerId: string, operatorId: string, vote: 'up' | 'down'): Promise<void> {
    await this.#run('保存反馈到', (db) =>
      db.run(
        `INSERT INTO feedback (answer_id, operator_id, vote, created_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (answer_id, operator_id) DO UPDATE SET vote = excluded.vote, created_at = excluded.created_at`,
        [answerId, operatorId, vote, this.#now()],
      ),
    );
  }

  stats(sinceMs: number): Promise<BotStats> {
    const since = this.#now() - sinceMs;
    return this.#run('读取', async (db) => {
      const [answers] = await db.all<{ total: number; refused: number }>('SELECT COUNT(*) AS total, COALESCE(SUM(refused), 0) AS refused FROM answers WHERE created_at >= ?', [since]);
      const votes = await db.all<{ vote: string; count: number }>('SELECT vote, COUNT(*) AS count FROM feedback WHERE created_at >= ? GROUP BY vote', [since]);
      const count = (vote: string) => Number(votes.find((row) => row.vote === vote)?.count ?? 0);
      return { questions: Number(answers?.total ?? 0), refused: Number(answers?.refused ?? 0), helpful: count('up'), unhelpful: count('down'), since };
    });
  }

  latestProblems(limit: number): Promise<LatestProblems> {
    const at = (rows: { question: string; at: number }[]) => rows.map((row) => ({ question: row.question, at: Number(row.at) }));
    return this.#run('读取', async (db) => ({
      refused: at(await db.all('SELECT question, created_at AS at FROM answers WHERE refused = 1 ORDER BY created_at DESC LIMIT ?', [limit])),
      unhelpful: at(
        await db.all(`SELECT answers.question, feedback.created_at AS at FROM feedback JOIN answers ON answers.id = feedback.answer_id WHERE feedback.vote = 'down' ORDER BY feedback.created_at DESC LIMIT ?`, [limit]),
      ),
    }));
  }

  questions(filter: QuestionLogFilter): Promise<QuestionLogEntry[]> {
    return this.#run('读取提问记录自', (db) => questionLogEntries(db, filter));
  }

  usage({ days }: { days: number }): Promise<UsageFigures> {
    return this.#run('读取使用统计自', (db) => questionUsage(db, { days, now: this.#now() }));
  }

  pruneQuestions(keepDays: number): Promise<number> {
    return this.#run('清理提问记录于', (db) => pruneQuestionLog(db, { keepDays, now: this.#now() }));
  }

  recentTurns(conversation: string, since: number, limit: number): Promise<Turn[]> {
    return this.#run('读取会话上下文自', async (db) => {
      const rows = await db.all<{ question: string; topic: string; at: number }>(
        'SELECT question, topic, at FROM conversation_turns WHERE conversation = ? AND at >= ? ORDER BY at DESC, id DESC LIMIT ?',
        [conversation, since, limit],
      );
      return rows.reverse().map((row) => ({ question: row.question, topic: JSON.parse(row.topic) as string[], at: Number(row.at) }));
    });
  }

  async addTurn(conversation: string, turn: Turn, { keep, since }: { keep: number; since: number }): Promise<void> {
    await this.#run('保存会话上下文到', async (db) => {
      await db.run('INSERT INTO conversation_turns (conversation, at, question, topic) VALUES (?, ?, ?, ?)', [conversation, turn.at, turn.question, JSON.stringify(turn.topic)]);
      await db.run(
        `DELETE FROM conversation_turns WHERE conversation = ? AND (at < ? OR id NOT IN (
           SELECT id FROM conversation_turns WHERE conversation = ? ORDER BY at DESC, id DESC LIMIT ?))`,
        [conversation, since, conversation, keep],
      );
    });
  }

  async forgetTurns(conversation: string): Promise<void> {
    await this.#run('清除会话上下文于', (db) => db.run('DELETE FROM conversation_turns WHERE conversation = ?', [conversation]));
  }

  withIngestLock<T>(work: () => Promise<T>): Promise<T> {
    return this.#db.exclusive('ingest', work);
  }

  async ping(): Promise<void> {
    await this.#run('连接', (db) => db.all('SELECT 1'));
  }

  async close(): Promise<void> {
    clearInterval(this.#renewal);
    clearInterval(this.#pruning);
    releaseOwner(this.#owner);
    await this.#db.close();
  }
}
