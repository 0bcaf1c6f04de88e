/**
 * @module The regression run of the curated questions (the curation folder's regression.jsonl,
 * the format of tests/eval/*.jsonl, also run by `npm run eval -- --questions <file>`): each
 * pinned question must still be answered citing its clause, each out-of-scope one refused.
 */
import { existsSync } from 'node:fs';
import { matchKey } from '../../core/text/index.ts';
import { readQuestions } from '../eval/index.ts';
import type { AskResult } from '../qa/index.ts';

export interface RegressionResult {
  id: string;
  question: string;
  expected: 'answer' | 'refusal';
  passed: boolean;
  outcome: AskResult['answer']['outcome'];
}

export async function runRegression(file: string, qa: { ask(question: string): Promise<AskResult> }): Promise<RegressionResult[]> {
  if (!existsSync(file)) return [];
  const results: RegressionResult[] = [];
  for (const question of readQuestions(file)) {
    const { answer } = await qa.ask(question.question);
    const keys = (question.evidence ?? []).map(matchKey);
    const expected = question.answerable === false ? 'refusal' : 'answer';
    const passed = expected === 'refusal' ? answer.refused : !answer.refused && answer.citations.some((citation) => keys.some((key) => matchKey(citation.passage).includes(key)));
    results.push({ id: question.id, question: question.question, expected, passed, outcome: answer.outcome });
  }
  return results;
}
