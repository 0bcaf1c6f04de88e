/** @module Scoring a question set: retrieval hits, refusals, latency, and the generative path's own measures. */
export { formatGenerativeMetrics, generativeMetrics, requireLlmConfig, citationsResolve } from './generative-metrics.ts';
export { evaluate, firstEvidenceRank, keyFactStated, percentile, readQuestions, type EvalMetrics, type EvalQuestion, type EvalResult } from './metrics.ts';
