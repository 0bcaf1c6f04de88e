/**
 * `npm run eval -- --questions FILE.jsonl [--index DIR] [--json OUT.json] [--verbose] [--llm]`
 *
 * Without `--llm` the extractive answerer is measured even when a model is configured (offline,
 * reproducible); with it, the configured model, plus the generative measures of ../eval/.
 */
import 'dotenv/config';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { describeError, loadConfig } from '../../core/index.ts';
import { ExtractiveAnswerer } from '../answer/index.ts';
import { ConversationMemory } from '../chat/index.ts';
import { evaluate, formatGenerativeMetrics, generativeMetrics, readQuestions, requireLlmConfig, type EvalMetrics, type EvalQuestion } from '../eval/index.ts';
import { createRuntime, RuleFollowUpResolver, topicTerms } from '../qa/index.ts';
import { evalReportJson } from './json.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      questions: { type: 'string', default: 'tests/eval/questions.jsonl' },
      index: { type: 'string' },
      json: { type: 'string' },
      verbose: { type: 'boolean', short: 'v', default: false },
      llm: { type: 'boolean', default: false },
    },
  });
  const config = loadConfig();
  const questions = readQuestions(path.resolve(values.questions));
  if (values.llm) requireLlmConfig(config);
  const runtime = await createRuntime(config, {
    ...(values.index ? { indexDir: path.resolve(values.index) } : {}),
    ...(values.llm ? {} : { answerer: new ExtractiveAnswerer() }),
  });
  // Two-turn entries (`history`) are asked the way the chat asks them: with the follow-up rule.
  const resolver = new RuleFollowUpResolver((question) => runtime.qa.retrieve(question));
  const ask = async (question: EvalQuestion) => {
    const memory = new ConversationMemory({ maxTurns: config.CHAT_CONTEXT_TURNS || 3, ttlMs: Number.POSITIVE_INFINITY });
    for (const previous of question.history ?? []) {
      await memory.record('eval', { question: previous, topic: topicTerms((await runtime.qa.retrieve(previous)).query) });
    }
    const understood = question.history?.length ? await resolver.resolve(question.question, await memory.recent('eval')) : undefined;
    return runtime.qa.ask(understood ?? question.question);
  };
  const report = await evaluate(runtime.qa, questions, ask);
  const { metrics } = report;
  if (values.verbose) {
    report.results.forEach((entry, index) => {
      const question = questions[index]!;
      const expectRefusal = question.answerable === false;
      const wrongRefusal = entry.result.answer.refused !== expectRefusal;
      const miss = !expectRefusal && (entry.rank === null || entry.rank > 1);
      if (wrongRefusal || miss) {
        console.log(`${entry.id} rank=${entry.rank ?? '-'} refused=${entry.result.answer.refused} cov=${entry.result.evidence.coverage.toFixed(2)} ${question.question}`);
      }
    });
  }
  console.log(`问题 ${metrics.questions}（可回答 ${metrics.answerable}，不可回答 ${metrics.unanswerable}）`);
  console.log(`hit@1 ${metrics['hit@1']}  hit@3 ${metrics['hit@3']}  hit@5 ${metrics['hit@5']}  MRR@10 ${metrics['mrr@10']}`);
  console.log(`拒答准确率 ${metrics.refusalAccuracy}  误拒率 ${metrics.falseRefusalRate}  引用含证据 ${metrics.citedEvidenceRate}  答案含要点 ${metrics.keyFactRate}`);
  const outcomes = (counts: EvalMetrics['outcomes']['answerable']) => `回答 ${counts.answer} / 相关条款 ${counts.related} / 未找到 ${counts.none}`;
  console.log(`可回答：${outcomes(metrics.outcomes.answerable)}；不可回答：${outcomes(metrics.outcomes.unanswerable)}`);
  console.log(`延迟 ms：p50 ${metrics.latencyMs.p50}  p95 ${metrics.latencyMs.p95}  p99 ${metrics.latencyMs.p99}  max ${metrics.latencyMs.max}`);
  const generative = values.llm ? generativeMetrics(questions, report.results) : undefined;
  if (generative) console.log(formatGenerativeMetrics(generative));
  if (values.json) writeFileSync(path.resolve(values.json), JSON.stringify({ ...evalReportJson(report), ...(generative ? { generative } : {}) }, null, 2));
}

main().catch((error: unknown) => {
  console.error(`评测失败：${describeError(error)}`);
  process.exitCode = 1;
});
