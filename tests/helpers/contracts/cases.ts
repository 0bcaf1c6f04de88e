/**
 * Contract suites, in the style of Hono's `src/router/common.case.test.ts`: one exported
 * `runXContract({ …, skip })` per interface holds every case; each implementation's test file calls
 * it. An implementation leaves a case out only by naming it in `skip` with a reason, which the
 * skipped test's title then carries.
 */
import { expect, it } from 'vitest';
import type { Answer } from '../../../bot/answer/index.ts';

/** Cases one implementation does not run, and why. */
export interface Skip<Case extends string> {
  reason: string;
  cases: readonly Case[];
}

/** An `it` for the cases of one contract that honours `skip`. */
export function contractCase<Case extends string>(skip: readonly Skip<Case>[] = []) {
  const reasons = new Map<Case, string>();
  for (const { reason, cases } of skip) {
    if (reason.trim() === '') throw new Error(`skipping ${cases.join(', ')} needs a reason`);
    for (const name of cases) reasons.set(name, reason);
  }
  return (name: Case, test: () => Promise<void>, timeoutMs?: number): void => {
    const reason = reasons.get(name);
    if (reason) it.skip(`${name} (skipped: ${reason})`, test);
    else it(name, test, timeoutMs);
  };
}

/** The `[n]` markers of an answer's text, in order. */
export function markersOf(text: string): number[] {
  return [...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
}

/**
 * An answer the user can check: at least one marker; every marker names a citation and every
 * citation is cited; citations are numbered 1..N; each quote stands verbatim in its passage.
 */
export function expectTraceable(answer: Answer): void {
  expect(answer.refused).toBe(false);
  expect(answer.citations.length).toBeGreaterThan(0);
  const numbers = answer.citations.map((citation) => citation.n);
  expect(numbers).toEqual(answer.citations.map((_, index) => index + 1));
  const markers = markersOf(answer.text);
  expect(markers.length).toBeGreaterThan(0);
  for (const n of markers) expect(numbers).toContain(n);
  for (const n of numbers) expect(markers).toContain(n);
  for (const citation of answer.citations) {
    expect(citation.quote.length).toBeGreaterThan(0);
    expect(citation.passage).toContain(citation.quote);
  }
}
