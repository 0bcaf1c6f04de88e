/**
 * @module Benchmark helper run in its own process (`node --import tsx`): what serving an index
 * costs a fresh process. Opens `--index` as the bot does (IndexHolder + QaService with the
 * extractive answerer), answers the question set once, idles a second, and prints one JSON line:
 * the open time, resident memory before opening, after opening and idle after answering.
 * Everything the bot adds besides (Lark client, chat store) is measured by the bot section.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ExtractiveAnswerer } from '../../bot/answer/index.ts';
import { readQuestions } from '../../bot/eval/index.ts';
import { QaService } from '../../bot/qa/index.ts';
import { IndexHolder } from '../../bot/retrieval/index.ts';
import { LocalLexicalEmbeddings } from '../../core/embeddings/index.ts';
import { MB, REPO_ROOT, round } from './util.ts';

export interface ServeChildResult {
  openMs: number;
  rssBeforeOpenMb: number;
  rssAfterOpenMb: number;
  /** After answering every question once and a second of idling. */
  idleRssMb: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { index: { type: 'string' } } });
  if (!values.index) throw new Error('usage: serve-child.ts --index DIR');
  const embedder = new LocalLexicalEmbeddings();
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
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const result: ServeChildResult = {
    openMs: round(openMs, 1),
    rssBeforeOpenMb: round(rssBefore / MB, 1),
    rssAfterOpenMb: round(rssAfter / MB, 1),
    idleRssMb: round(process.memoryUsage().rss / MB, 1),
  };
  index.close();
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
