/**
 * @module Scores the QA pipeline on a question set: retrieval hits against evidence strings,
 * refusal behaviour on answerable and unanswerable questions, and latency.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AppError } from '../../core/index.ts';
import { matchKey } from '../../core/text/index.ts';
import type { Answer } from '../answer/index.ts';
import type { AskResult, QaService } from '../qa/index.ts';

const questionSchema = z.object({
  id: z.string(),
  question: z.string().min(1),
  doc: z.string().optional(),
  evidence: z.array(z.string().min(1)).optional(),
  answerable: z.boolean().optional(),
  history: z.array(z.string()).optional(),
});
export type EvalQuestion = z.infer<typeof questionSchema>;

export function readQuestions(file: string): EvalQuestion[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '')
    .map(({ line, number }) => {
      const parsed = questionSchema.safeParse((() => {
        try {
          return JSON.parse(line);
        } catch {
          return undefined;
        }
      })());
      if (!parsed.success) throw new AppError('invalid_argument', `${file} 第 ${number} 行不是有效的问题：${line.slice(0, 80)}`);
      return parsed.data;
    });
}

export interface EvalMetrics {
  questions: number;
  answerable: number;
  unanswerable: number;
  'hit@1': number;
  'hit@3': number;
  'hit@5': number;
  'mrr@10': number;
  /** Unanswerable questions refused. */
  refusalAccuracy: number;
  /** Answerable questions refused. */
  falseRefusalRate: number;
  /** Answerable, answered, and at least one citation quotes a passage holding the evidence. */
  citedEvidenceRate: number;
  /**
   * Answerable, answered, and the answer text itself states the key fact (keyFactStated): what
   * the user reads, not only what the citations point at.
   */
  keyFactRate: number;
  /**
   * How many questions of each kind got each outcome. The refusal rates above count `related`
   * and `none` alike; these show how the refusals were presented.
   */
  outcomes: Record<'answerable' | 'unanswerable', OutcomeCounts>;
  latencyMs: { p50: number; p95: number; p99: number; max: number };
}

type OutcomeCounts = Record<Answer['outcome'], number>;

function countOutcomes(results: EvalResult[]): OutcomeCounts {
  const counts: OutcomeCounts = { answer: 0, related: 0, none: 0 };
  for (const entry of results) counts[entry.result.answer.outcome]++;
  return counts;
}

export interface EvalResult {
  id: string;
  rank: number | null;
  evidenceCited: boolean;
  keyFactStated: boolean;
  result: AskResult;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

const round = (value: number) => Number(value.toFixed(4));

export function firstEvidenceRank(result: AskResult, evidence: string[]): number | null {
  const keys = evidence.map(matchKey);
  const index = result.retrieved.slice(0, 10).findIndex((hit) => keys.some((key) => matchKey(hit.chunk.text).includes(key)));
  return index === -1 ? null : index + 1;
}

/** Citation markers and the excerpt cuts of a long sentence are no part of what it states. */
const ANSWER_MARKUP = /\[\d+\]|……/g;
const FIGURE = /\d+(?:\.\d+)?/g;

/**
 * The answer states an evidence string: it contains it, or, when the evidence is a figure
 * (最高贷款额度由35万元调整为45万元), every number in it, since a long sentence is shown as an
 * excerpt around the figure.
 */
export function keyFactStated(answerText: string, evidence: string[]): boolean {
  const text = matchKey(answerText.replace(ANSWER_MARKUP, ''));
  return evidence.some((fact) => {
    const key = matchKey(fact);
    if (text.includes(key)) return true;
    const figures = key.match(FIGURE) ?? [];
    return figures.length > 0 && figures.every((figure) => new RegExp(`(?<![\\d.])${figure.replace('.', '\\.')}(?![\\d.])`).test(text));
  });
}

export async function evaluate(
  qa: QaService,
  questions: EvalQuestion[],
  ask: (question: EvalQuestion) => Promise<AskResult> = (question) => qa.ask(question.question),
): Promise<{ metrics: EvalMetrics; results: EvalResult[] }> {
  const results: EvalResult[] = [];
  for (const question of questions) {
    const result = await ask(question);
    const evidence = question.evidence ?? [];
    const keys = evidence.map(matchKey);
    results.push({
      id: question.id,
      rank: evidence.length > 0 ? firstEvidenceRank(result, evidence) : null,
      evidenceCited: result.answer.citations.some((citation) => keys.some((key) => matchKey(citation.passage).includes(key))),
      keyFactStated: !result.answer.refused && keyFactStated(result.answer.text, evidence),
      result,
    });
  }
  const answerable = results.filter((_, index) => questions[index]?.answerable !== false);
  const unanswerable = results.filter((_, index) => questions[index]?.answerable === false);
  const hit = (k: number) => answerable.filter((entry) => entry.rank !== null && entry.rank <= k).length / Math.max(1, answerable.length);
  const latencies = results.map((entry) => entry.result.latencyMs).sort((a, b) => a - b);
  const metrics: EvalMetrics = {
    questions: results.length,
    answerable: answerable.length,
    unanswerable: unanswerable.length,
    'hit@1': round(hit(1)),
    'hit@3': round(hit(3)),
    'hit@5': round(hit(5)),
    'mrr@10': round(answerable.reduce((sum, entry) => sum + (entry.rank ? 1 / entry.rank : 0), 0) / Math.max(1, answerable.length)),
    refusalAccuracy: round(unanswerable.filter((entry) => entry.result.answer.refused).length / Math.max(1, unanswerable.length)),
    falseRefusalRate: round(answerable.filter((entry) => entry.result.answer.refused).length / Math.max(1, answerable.length)),
    citedEvidenceRate: round(answerable.filter((entry) => !entry.result.answer.refused && entry.evidenceCited).length / Math.max(1, answerable.length)),
    keyFactRate: round(answerable.filter((entry) => entry.keyFactStated).length / Math.max(1, answerable.length)),
    outcomes: { answerable: countOutcomes(answerable), unanswerable: countOutcomes(unanswerable) },
    latencyMs: {
      p50: round(percentile(latencies, 50)),
      p95: round(percentile(latencies, 95)),
      p99: round(percentile(latencies, 99)),
      max: round(latencies.at(-1) ?? 0),
    },
  };
  return { metrics, results };
}
