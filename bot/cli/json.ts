/** @module The CLIs' documented JSON output: `ask --json` and `eval --json`. */
import { sectionPath } from '../../core/index.ts';
import type { EvalMetrics, EvalResult } from '../eval/index.ts';
import type { AskResult } from '../qa/index.ts';

/** The documented `ask --json` shape. */
export function askResultJson(result: AskResult) {
  return {
    question: result.question,
    refused: result.answer.refused,
    outcome: result.answer.outcome,
    answer: result.answer.text,
    citations: result.answer.citations.map(({ n, docId, title, section, quote }) => ({ n, doc: docId, title, section, quote })),
    retrieved: result.retrieved.slice(0, 10).map((hit, index) => ({
      rank: index + 1,
      doc: hit.document.docId,
      title: hit.document.title,
      section: sectionPath(hit.chunk.headings),
      text: hit.chunk.text,
      score: Number(hit.score.toFixed(4)),
    })),
    latencyMs: Number(result.latencyMs.toFixed(2)),
  };
}

export function evalReportJson(report: { metrics: EvalMetrics; results: EvalResult[] }) {
  return {
    metrics: report.metrics,
    results: report.results.map((entry) => ({ id: entry.id, ...askResultJson(entry.result), evidenceRank: entry.rank, evidenceCited: entry.evidenceCited, keyFactStated: entry.keyFactStated })),
  };
}
