/** `npm run ask -- --json`, as a script runs it: the documented shape, with the outcome of each kind of question. */
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.ts';
import { bundledIndexDir } from '../../helpers/qa.ts';

interface AskJson {
  question: string;
  refused: boolean;
  outcome: 'answer' | 'related' | 'none';
  answer: string;
  citations: { n: number; doc: string; title: string; section: string; quote: string }[];
  retrieved: { rank: number; doc: string; text: string }[];
}

async function askJson(question: string): Promise<AskJson> {
  // The extractive answerer, whatever the environment configures.
  const run = await runCli('bot/cli/ask.ts', ['--json', '--index', bundledIndexDir(), question], { LLM_BASE_URL: '', LLM_MODEL: '', EMBEDDINGS: '' });
  if (run.code !== 0) throw new Error(`ask exited ${run.code}: ${run.stderr}`);
  return JSON.parse(run.stdout) as AskJson;
}

let answered: AskJson;
let related: AskJson;
let none: AskJson;

beforeAll(async () => {
  // Each CLI start costs a couple of seconds: the three run side by side.
  [answered, related, none] = await Promise.all([askJson('技术改造有什么奖补政策？'), askJson('技改事后奖补按设备投资额的百分之几给？'), askJson('住房公积金怎么提取？')]);
}, 60_000);

describe('npm run ask -- --json', () => {
  it('has the documented fields, outcome after refused', () => {
    expect(Object.keys(related)).toEqual(['question', 'refused', 'outcome', 'answer', 'citations', 'retrieved', 'latencyMs']);
  });

  it('says which of the three outcomes each question got', () => {
    expect([answered.outcome, answered.refused]).toEqual(['answer', false]);
    expect([related.outcome, related.refused]).toEqual(['related', true]);
    expect([none.outcome, none.refused]).toEqual(['none', true]);
    expect(none.citations).toEqual([]);
  });

  it('cites the related clauses with quotes verbatim in retrieved passages', () => {
    expect(related.answer.startsWith('文件中没有直接回答这个问题。')).toBe(true);
    expect(related.citations.length).toBeGreaterThan(0);
    for (const citation of related.citations) {
      expect(related.retrieved.some((hit) => hit.doc === citation.doc && hit.text.includes(citation.quote)), citation.quote).toBe(true);
    }
  });
});
