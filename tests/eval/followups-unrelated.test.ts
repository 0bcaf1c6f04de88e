/**
 * A self-contained question asked after another topic (tests/eval/followups-unrelated.jsonl) must
 * be understood exactly as if it were asked alone: the rule-based follow-up resolver leaves it as
 * it is, and the answer, the refusal and the top retrieved chunk are the same as without history.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationMemory } from '../../bot/chat/index.ts';
import { readQuestions } from '../../bot/eval/index.ts';
import { RuleFollowUpResolver, topicTerms, type AskResult, type QaService } from '../../bot/qa/index.ts';
import { EVAL_DIR } from '../helpers/paths.ts';
import { openBundledQa, type OpenedQa } from '../helpers/qa.ts';

const cases = readQuestions(path.join(EVAL_DIR, 'followups-unrelated.jsonl'));
let bundled: OpenedQa;
let qa: QaService;

beforeAll(() => {
  bundled = openBundledQa();
  qa = bundled.qa;
});

afterAll(() => bundled?.close());

/** What the user sees of one answer: its text, whether it is a refusal, and what it rests on. */
function outcome(result: AskResult) {
  return {
    text: result.answer.text,
    refused: result.answer.refused,
    outcome: result.answer.outcome,
    top: result.retrieved[0]?.chunk.id ?? null,
  };
}

describe('unrelated second questions', () => {
  it('are not rewritten with the previous topic and are answered exactly as if asked alone', async () => {
    const resolver = new RuleFollowUpResolver((question) => qa.retrieve(question));
    const differing: string[] = [];
    for (const entry of cases) {
      // As bot/cli/eval.ts asks two-turn entries.
      const memory = new ConversationMemory({ maxTurns: 3, ttlMs: Number.POSITIVE_INFINITY });
      for (const previous of entry.history ?? []) {
        await memory.record('chat', { question: previous, topic: topicTerms((await qa.retrieve(previous)).query) });
      }
      const understood = await resolver.resolve(entry.question, await memory.recent('chat'));
      const withHistory = outcome(await qa.ask(understood ?? entry.question));
      const alone = outcome(await qa.ask(entry.question));
      if (understood !== undefined) differing.push(`${entry.id}: rewritten to ${understood}`);
      else if (JSON.stringify(withHistory) !== JSON.stringify(alone)) differing.push(`${entry.id}: different result`);
    }
    expect(cases.length).toBeGreaterThanOrEqual(30);
    expect(differing).toEqual([]);
  });
});
