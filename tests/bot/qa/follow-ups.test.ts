/**
 * Two-turn scripts from tests/eval/followups.jsonl: the follow-up alone is ambiguous; with the
 * rule-based resolver carrying the previous topic, retrieval must find the evidence.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationMemory } from '../../../bot/chat/index.ts';
import { firstEvidenceRank, readQuestions } from '../../../bot/eval/index.ts';
import { RuleFollowUpResolver, topicTerms, type QaService } from '../../../bot/qa/index.ts';
import { EVAL_DIR } from '../../helpers/paths.ts';
import { openBundledQa, type OpenedQa } from '../../helpers/qa.ts';

const cases = readQuestions(path.join(EVAL_DIR, 'followups.jsonl'));
let bundled: OpenedQa;
let qa: QaService;

beforeAll(() => {
  bundled = openBundledQa();
  qa = bundled.qa;
});

afterAll(() => bundled?.close());

describe('follow-up questions without a model', () => {
  it('finds the evidence for most two-turn scripts, far more often than the follow-up alone', async () => {
    const resolver = new RuleFollowUpResolver((question) => qa.retrieve(question));
    let withContext = 0;
    let alone = 0;
    for (const entry of cases) {
      const memory = new ConversationMemory({ maxTurns: 3, ttlMs: 60_000 });
      for (const previous of entry.history ?? []) {
        const first = await qa.ask(previous);
        await memory.record('chat', { question: previous, topic: topicTerms(first.query) });
      }
      const understood = await resolver.resolve(entry.question, await memory.recent('chat'));
      const resolved = await qa.ask(understood ?? entry.question);
      const bare = await qa.ask(entry.question);
      if ((firstEvidenceRank(resolved, entry.evidence ?? []) ?? 99) <= 5) withContext++;
      if ((firstEvidenceRank(bare, entry.evidence ?? []) ?? 99) <= 5) alone++;
    }
    expect(cases.length).toBeGreaterThanOrEqual(10);
    expect(withContext / cases.length).toBeGreaterThanOrEqual(0.75);
    expect(withContext).toBeGreaterThan(alone);
  });

  it('rewrites a pointing question with the previous topic and leaves a complete one alone', async () => {
    const resolver = new RuleFollowUpResolver((question) => qa.retrieve(question));
    const first = await qa.ask('双创双服里孵化器要建几个？');
    const history = [{ question: '双创双服里孵化器要建几个？', topic: topicTerms(first.query), at: Date.now() }];
    const rewritten = await resolver.resolve('这个由哪个部门负责？', history);
    expect(rewritten).toContain('孵化器');
    expect(rewritten).not.toContain('这个');
    expect(await resolver.resolve('开发区技术改造事后奖补政策的条件是什么？', history)).toBeUndefined();
  });
});
