/**
 * @module The question log's reads and its retention over either database (./driver.ts): the
 * answers table is the log; `question_days` keeps the daily figures of the days whose entries
 * QUESTION_LOG_DAYS has deleted. Days are the process's local calendar days, grouped here rather
 * than in SQL, where SQLite and PostgreSQL spell date arithmetic differently.
 */
import type { Citation } from '../../answer/index.ts';
import type { DailyUsage, QuestionLogEntry, QuestionLogFilter, QuestionOutcome, UsageFigures } from '../question-log.ts';
import type { Driver } from './driver.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const TOP_DOCUMENTS = 8;

/** Rows from before the outcome was recorded: a refused answer has citations exactly when it gave the closest clauses. */
const OUTCOME = `COALESCE(answers.outcome, CASE WHEN answers.refused = 0 THEN 'answer' WHEN answers.citations = '[]' THEN 'none' ELSE 'related' END)`;
const VOTES = (vote: 'up' | 'down') => `(SELECT COUNT(*) FROM feedback WHERE feedback.answer_id = answers.id AND feedback.vote = '${vote}')`;

interface LogRow {
  id: string;
  created_at: number | string;
  chat_kind: 'p2p' | 'group' | null;
  question: string;
  outcome: QuestionOutcome;
  citations: string;
  latency_ms: number | string | null;
  up: number | string;
  down: number | string;
}

interface DayRow {
  day: string;
  questions: number | string;
  answered: number | string;
  related: number | string;
  nothing: number | string;
  up: number | string;
  down: number | string;
  p50_ms: number | string | null;
  p95_ms: number | string | null;
  documents: string;
}

/** YYYY-MM-DD of the local calendar day of `at`. */
function dayOf(at: number): string {
  const date = new Date(at);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

function startOfDay(at: number): number {
  const date = new Date(at);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** Nearest-rank percentile; undefined without values. */
function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const numberOrUndefined = (value: number | string | null) => (value === null ? undefined : Number(value));

function entryOf(row: LogRow): QuestionLogEntry {
  const latencyMs = numberOrUndefined(row.latency_ms);
  return {
    id: row.id,
    at: Number(row.created_at),
    ...(row.chat_kind ? { chatKind: row.chat_kind } : {}),
    question: row.question,
    outcome: row.outcome,
    sources: (JSON.parse(row.citations) as Citation[]).map((citation) => ({ title: citation.title, section: citation.section })),
    ...(latencyMs === undefined ? {} : { latencyMs }),
    up: Number(row.up),
    down: Number(row.down),
  };
}

function logRows(db: Driver, where: string, params: unknown[], limit?: number): Promise<LogRow[]> {
  return db.all<LogRow>(
    `SELECT answers.id, answers.created_at, answers.chat_kind, answers.question, ${OUTCOME} AS outcome, answers.citations, answers.latency_ms, ${VOTES('up')} AS up, ${VOTES('down')} AS down
     FROM answers WHERE ${where} ORDER BY answers.created_at DESC${limit === undefined ? '' : ' LIMIT ?'}`,
    limit === undefined ? params : [...params, limit],
  );
}

export async function questionLogEntries(db: Driver, filter: QuestionLogFilter): Promise<QuestionLogEntry[]> {
  const where = ['1 = 1'];
  if (filter.refused) where.push('answers.refused = 1');
  if (filter.unhelpful) where.push(`${VOTES('down')} > 0`);
  return (await logRows(db, where.join(' AND '), [], filter.limit)).map(entryOf);
}

/** One day's figures from its entries. */
function dayFigures(day: string, entries: QuestionLogEntry[]): DailyUsage & { documents: Record<string, number> } {
  const outcomes: Record<QuestionOutcome, number> = { answer: 0, related: 0, none: 0 };
  const documents: Record<string, number> = {};
  for (const entry of entries) {
    outcomes[entry.outcome]++;
    for (const title of new Set(entry.sources.map((source) => source.title))) documents[title] = (documents[title] ?? 0) + 1;
  }
  const latencies = entries.flatMap((entry) => (entry.latencyMs === undefined ? [] : [entry.latencyMs]));
  const p50Ms = percentile(latencies, 50);
  const p95Ms = percentile(latencies, 95);
  return {
    day,
    questions: entries.length,
    outcomes,
    up: entries.reduce((sum, entry) => sum + entry.up, 0),
    down: entries.reduce((sum, entry) => sum + entry.down, 0),
    ...(p50Ms === undefined ? {} : { p50Ms }),
    ...(p95Ms === undefined ? {} : { p95Ms }),
    documents,
  };
}

function dayFromRow(row: DayRow): DailyUsage & { documents: Record<string, number> } {
  const p50Ms = numberOrUndefined(row.p50_ms);
  const p95Ms = numberOrUndefined(row.p95_ms);
  return {
    day: row.day,
    questions: Number(row.questions),
    outcomes: { answer: Number(row.answered), related: Number(row.related), none: Number(row.nothing) },
    up: Number(row.up),
    down: Number(row.down),
    ...(p50Ms === undefined ? {} : { p50Ms }),
    ...(p95Ms === undefined ? {} : { p95Ms }),
    documents: JSON.parse(row.documents) as Record<string, number>,
  };
}

function byDay(entries: QuestionLogEntry[]): Map<string, QuestionLogEntry[]> {
  const days = new Map<string, QuestionLogEntry[]>();
  for (const entry of entries) {
    const day = dayOf(entry.at);
    days.set(day, [...(days.get(day) ?? []), entry]);
  }
  return days;
}

export async function questionUsage(db: Driver, { days, now }: { days: number; now: number }): Promise<UsageFigures> {
  const first = startOfDay(now) - (days - 1) * DAY_MS;
  const entries = (await logRows(db, 'answers.created_at >= ?', [first])).map(entryOf);
  const kept = new Map((await db.all<DayRow>('SELECT * FROM question_days WHERE day >= ?', [dayOf(first)])).map((row) => [row.day, dayFromRow(row)]));
  const live = byDay(entries);
  const figures: (DailyUsage & { documents: Record<string, number> })[] = [];
  for (let index = 0; index < days; index++) {
    // Noon avoids a daylight-saving hour moving the date across midnight.
    const day = dayOf(first + index * DAY_MS + DAY_MS / 2);
    figures.push(kept.get(day) ?? dayFigures(day, live.get(day) ?? []));
  }
  const documents = new Map<string, number>();
  for (const figure of figures) for (const [title, count] of Object.entries(figure.documents)) documents.set(title, (documents.get(title) ?? 0) + count);
  const latencies = entries.flatMap((entry) => (entry.latencyMs === undefined ? [] : [entry.latencyMs]));
  const p50Ms = percentile(latencies, 50);
  const p95Ms = percentile(latencies, 95);
  return {
    days: figures.map(({ documents: _documents, ...figure }) => figure),
    topDocuments: [...documents].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0], 'zh')).slice(0, TOP_DOCUMENTS).map(([title, citations]) => ({ title, citations })),
    latency: { ...(p50Ms === undefined ? {} : { p50Ms }), ...(p95Ms === undefined ? {} : { p95Ms }) },
  };
}

/**
 * Deletes the entries (and their feedback) of the days before the last `keepDays`, whole days at
 * a time, after folding each day into `question_days`, so the usage figures outlive them.
 * Returns how many entries were deleted.
 */
export function pruneQuestionLog(db: Driver, { keepDays, now }: { keepDays: number; now: number }): Promise<number> {
  const cutoff = startOfDay(now) - (keepDays - 1) * DAY_MS;
  // One replica at a time, so no day is folded twice.
  return db.exclusive('question-log-retention', async () => {
    const old = (await logRows(db, 'answers.created_at < ?', [cutoff])).map(entryOf);
    if (old.length === 0) return 0;
    for (const [day, entries] of byDay(old)) {
      const [existing] = await db.all<DayRow>('SELECT * FROM question_days WHERE day = ?', [day]);
      const folded = dayFigures(day, entries);
      if (existing) {
        const earlier = dayFromRow(existing);
        for (const outcome of ['answer', 'related', 'none'] as const) folded.outcomes[outcome] += earlier.outcomes[outcome];
        for (const [title, count] of Object.entries(earlier.documents)) folded.documents[title] = (folded.documents[title] ?? 0) + count;
        Object.assign(folded, { questions: folded.questions + earlier.questions, up: folded.up + earlier.up, down: folded.down + earlier.down });
        await db.run('DELETE FROM question_days WHERE day = ?', [day]);
      }
      await db.run('INSERT INTO question_days (day, questions, answered, related, "nothing", up, down, p50_ms, p95_ms, documents) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', [
        day,
        folded.questions,
        folded.outcomes.answer,
        folded.outcomes.related,
        folded.outcomes.none,
        folded.up,
        folded.down,
        folded.p50Ms === undefined ? null : Math.round(folded.p50Ms),
        folded.p95Ms === undefined ? null : Math.round(folded.p95Ms),
        JSON.stringify(folded.documents),
      ]);
    }
    await db.run('DELETE FROM feedback WHERE answer_id IN (SELECT id FROM answers WHERE created_at < ?)', [cutoff]);
    return db.run('DELETE FROM answers WHERE created_at < ?', [cutoff]);
  });
}
