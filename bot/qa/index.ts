/** @module Question answering: the QA service, its composition root, and follow-up understanding. */
export { createRuntime, ensureIndex } from './runtime.ts';
export { QaService, type AskResult } from './service.ts';
export { RuleFollowUpResolver, topicTerms, type FollowUpResolver, type Turn } from './follow-ups.ts';
export { CuratedQaService, CurationStore, curationDir, type CurationEntry, type PinnedClause } from './curation/index.ts';
