/**
 * @module Benchmark helper run in its own process (`node --import tsx`): what serving an index
 * costs a process that does nothing else, as the bot's question worker does. Opens `--index` as
 * the bot does (IndexHolder + QaService with the extractive answerer), answers the question set
 * once to warm up, then `--repeats` timed passes, idles a second, and prints one JSON line. A
 * fresh process, so that the figures are not those of a bench process that has just ingested.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ExtractiveAnswerer } from '../../bot/answer/index.ts';
import { readQuestions } from '../../bot/eval/index.ts';
import { QaService } from '../../bot/qa/index.ts';
import { IndexHolder } from '../../bot/retrieval/index.ts';
import { createEmbedder } from '../../core/embeddings/index.ts';
import { loadConfig } from '../../core/index.ts';
import { latencyStats, MB, REPO_ROOT, round, type LatencyStats } from './util.ts';

export type ServeChildResult = LatencyStats & {
  openMs: number;
  /** Resident set size before and right after opening (jieba already loaded). */
  rssBeforeOpenMb: number;
  rssAfterOpenMb: number;
  /** After the passes and a second of idling. */
  idleRssMb: number;
  questions: number;
  /** Answerable questions refused in the first timed pass: a sanity check, not a quality metric. */
  refusedAnswerable: number;
  refusedUnanswerable: number;
};

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { index: { type: 'string' }, repeats: { type: 'string', default: '5' } } });
  if (!values.index) throw new Error('usage: serve-child.ts --index DIR [--repeats N]');
  const embedder = await createEmbedder(loadConfig());
  const questions = readQuestions(path.join(REPO_ROOT, 'tests/eval/questions.jsonl'));
  // jieba's dictionary loads on first use; load it before measuring the index.
  await embedder.embedQuery(questions[0]!.question);
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  const index = new IndexHolder(values.index, embedder);
  const openMs = performance.now() - started;
  const rssAfter = process.memoryUsage().rss;
  const qa = new QaService({ index, embedder, answerer: new ExtractiveAnswerer() });
  for (const question of questions) await qa.ask(question.question);
  const samples: number[] = [];
  let refusedAnswerable = 0;
  let refusedUnanswerable = 0;
  for (let pass = 0; pass < Number(values.repeats); pass++) {
    for (const question of questions) {
      const asked = performance.now();
      const result = await qa.ask(question.question);
      samples.push(performance.now() - asked);
      if (pass === 0 && result.answer.refused) {
        if (question.answerable === false) refusedUnanswerable++;
        else refusedAnswerable++;
      }
    }
  }
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const result: ServeChildResult = {
    ...latencyStats(samples),
    openMs: round(openMs, 1),
    rssBeforeOpenMb: round(rssBefore / MB, 1),
    rssAfterOpenMb: round(rssAfter / MB, 1),
    idleRssMb: round(process.memoryUsage().rss / MB, 1),
    questions: questions.length,
    refusedAnswerable,
    refusedUnanswerable,
  };
  index.close();
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
