/**
 * @module The store's schema as numbered migrations, the same for SQLite and PostgreSQL where
 * their SQL agrees. `schema_migrations` records which ran; each runs once, in order, in one
 * transaction that replicas starting together take turns at (./sqlite.ts, ./postgres.ts).
 */
import type { Dialect } from './driver.ts';

interface Migration {
  version: number;
  name: string;
  /** The script, for a dialect. */
  sql(dialect: Dialect): string;
  /** SQLite files from before migrations were recorded may lack these columns of tables that already existed. */
  legacyColumns?: Record<string, string[]>;
}

/** An auto-numbered key, which the two databases spell differently. */
const serialKey = (dialect: Dialect): string => (dialect === 'sqlite' ? 'INTEGER PRIMARY KEY' : 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY');

const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'claims, answers and feedback',
    // IF NOT EXISTS: SQLite files from before recorded migrations already have these tables.
    sql: () => `
      CREATE TABLE IF NOT EXISTS handled_messages (
        message_id TEXT PRIMARY KEY,
        state TEXT NOT NULL CHECK (state IN ('working', 'done')),
        claimed_at BIGINT NOT NULL,
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
        created_at BIGINT NOT NULL,
        note TEXT,
        understood TEXT
      );
      CREATE TABLE IF NOT EXISTS feedback (
        answer_id TEXT NOT NULL REFERENCES answers(id),
        operator_id TEXT NOT NULL,
        vote TEXT NOT NULL CHECK (vote IN ('up', 'down')),
        created_at BIGINT NOT NULL,
        PRIMARY KEY (answer_id, operator_id)
      );`,
    legacyColumns: { answers: ['note', 'understood'], handled_messages: ['owner', 'message'] },
  },
  {
    version: 2,
    name: 'claim leases, shared conversation turns, question log indexes',
    sql: (dialect) => `
      ALTER TABLE handled_messages ADD COLUMN lease_until BIGINT;
      CREATE INDEX handled_messages_working ON handled_messages (state, claimed_at);
      CREATE INDEX answers_created_at ON answers (created_at);
      CREATE INDEX feedback_created_at ON feedback (created_at);
      CREATE TABLE conversation_turns (
        id ${serialKey(dialect)},
        conversation TEXT NOT NULL,
        at BIGINT NOT NULL,
        question TEXT NOT NULL,
        topic TEXT NOT NULL
      );
      CREATE INDEX conversation_turns_recent ON conversation_turns (conversation, at);`,
  },
  {
    version: 3,
    name: 'question log: outcome, kind of chat, latency; daily figures that outlive pruned entries',
    // "nothing" is quoted: a keyword to SQLite (ON CONFLICT DO NOTHING).
    sql: () => `
      ALTER TABLE answers ADD COLUMN outcome TEXT;
      ALTER TABLE answers ADD COLUMN chat_kind TEXT;
      ALTER TABLE answers ADD COLUMN latency_ms BIGINT;
      CREATE TABLE question_days (
        day TEXT PRIMARY KEY,
        questions INTEGER NOT NULL,
        answered INTEGER NOT NULL,
        related INTEGER NOT NULL,
        "nothing" INTEGER NOT NULL,
        up INTEGER NOT NULL,
        down INTEGER NOT NULL,
        p50_ms BIGINT,
        p95_ms BIGINT,
        documents TEXT NOT NULL
      );`,
  },
];

export const LATEST_VERSION = MIGRATIONS.at(-1)!.version;

/** Where the record of migrations run lives. */
export const MIGRATIONS_TABLE = 'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)';
export const RECORD_MIGRATION = 'INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)';

/** The migrations not yet run, given the versions `schema_migrations` holds, in order. */
export function pendingMigrations(done: number[]): Migration[] {
  const ran = new Set(done.map(Number));
  return MIGRATIONS.filter((migration) => !ran.has(migration.version));
}
