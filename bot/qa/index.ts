/** @module Question answering: the QA service, its composition root, and follow-up understanding. */
export { createRuntime, ensureIndex, type Runtime } from './runtime.ts';
export { QaService, type AskResult, type Retrieval } from './service.ts';
export { RuleFollowUpResolver, topicTerms, type FollowUpResolver, type Turn } from './follow-ups.ts';
