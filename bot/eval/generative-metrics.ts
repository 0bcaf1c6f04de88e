/**
 * @module Extra measures for `npm run eval -- --llm`: how the generative path does on the same
 * question set (kept apart from metrics.ts, which scores retrieval and refusal for any answerer).
 *
 * - `answerFactsPresent`: answerable questions whose answer cites (with an [n] in its text) a
 *   passage containing one of the question's evidence strings.
 * - `citationsValid`: answers (not refusals) with at least one [n], every one of which resolves
 *   to a citation.
 * - `generative` / `fellBack` / `repaired`: how answers were produced (model, extractive fallback,
 *   model with sentences dropped by verification).
 */
import { AppError, type Config } from '../../core/index.ts';
import { matchKey } from '../../core/text/index.ts';
import type { Answer } from '../answer/index.ts';
import type { EvalQuestion, EvalResult } from './metrics.ts';

export interface GenerativeMetrics {
  answered: number;
  generative: number;
  fellBack: number;
  repaired: number;
  answerFactsPresent: number;
  citationsValid: number;
}

/** `--llm` needs a model: a clear error instead of silently measuring the extractive path. */
export function requireLlmConfig(config: Config): void {
  if (!config.llm) {
    throw new AppError('config_invalid', '--llm 需要配置大模型：请设置 LLM_BASE_URL 与 LLM_MODEL（以及需要时的 LLM_API_KEY）');
  }
}

function markers(answer: Answer): number[] {
  return [...answer.text.matchAll(/\[(\d{1,2})\]/g)].map((match) => Number(match[1]));
}

export function citationsResolve(answer: Answer): boolean {
  const used = markers(answer);
  const known = new Set(answer.citations.map((citation) => citation.n));
  return used.length > 0 && used.every((n) => known.has(n));
}

function factsPresent(answer: Answer, evidence: string[]): boolean {
  if (answer.refused || evidence.length === 0) return false;
  const used = new Set(markers(answer));
  const keys = evidence.map(matchKey);
  return answer.citations.some((citation) => used.has(citation.n) && keys.some((key) => matchKey(citation.passage).includes(key)));
}

const round = (value: number) => Number(value.toFixed(4));

export function generativeMetrics(questions: EvalQuestion[], results: EvalResult[]): GenerativeMetrics {
  const answers = results.map((entry) => entry.result.answer);
  const answered = answers.filter((answer) => !answer.refused);
  const answerable = results
    .map((entry, index) => ({ answer: entry.result.answer, question: questions[index] }))
    .filter(({ question }) => question && question.answerable !== false);
  return {
    answered: answered.length,
    generative: answered.filter((answer) => answer.mode === 'generative').length,
    fellBack: answered.filter((answer) => answer.mode === 'extractive').length,
    repaired: answered.filter((answer) => answer.mode === 'generative' && answer.note).length,
    answerFactsPresent: round(answerable.filter(({ answer, question }) => factsPresent(answer, question?.evidence ?? [])).length / Math.max(1, answerable.length)),
    citationsValid: round(answered.filter(citationsResolve).length / Math.max(1, answered.length)),
  };
}

export function formatGenerativeMetrics(metrics: GenerativeMetrics): string {
  return [
    `大模型回答 ${metrics.generative}/${metrics.answered}（其中核验删句 ${metrics.repaired}），回退原文摘录 ${metrics.fellBack}`,
    `回答含证据 ${metrics.answerFactsPresent}  引用有效 ${metrics.citationsValid}`,
  ].join('\n');
}
