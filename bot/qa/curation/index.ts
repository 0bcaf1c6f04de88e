/** @module The admins' curation of answers: pinned clauses, out-of-scope questions, added vocabulary. */
export { CuratedQaService } from './curated-qa.ts';
export { CurationStore, curationDir, type CurationEntry, type PinnedClause } from './curation-store.ts';
