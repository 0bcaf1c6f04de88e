/**
 * @module Does the retrieved text answer the question at all? A passage must cover enough of the
 * question's weighted concepts (see retrieval/concepts.ts). Too little coverage → refuse. This is
 * the guard against inventing policy, shared by every answerer.
 */
import type { TermStats } from '../../core/index-format.ts';
import { conceptCovered, coverageOf, passageText, weighConcepts, type WeightedConcept } from '../retrieval/concepts.ts';
import type { AnalyzedQuery } from '../retrieval/query.ts';
import type { RetrievedChunk } from '../retrieval/search.ts';

export { conceptCovered, coverageOf, weighConcepts, type WeightedConcept };

export interface EvidenceOptions {
  /** Minimum share of the question's weight one passage must cover. */
  minCoverage: number;
  /** Passages considered for the decision. */
  consider: number;
  genericWeight: number;
}

export const DEFAULT_EVIDENCE: EvidenceOptions = { minCoverage: 0.6, consider: 5, genericWeight: 0.15 };

export interface Evidence {
  answerable: boolean;
  /** Best single-passage coverage in [0, 1]. */
  coverage: number;
  concepts: WeightedConcept[];
  /** Concepts no considered passage mentions. */
  missing: string[];
  /** Coverage per retrieved passage, same order as `retrieved`. */
  coverageByChunk: number[];
}

export function assessEvidence(
  query: AnalyzedQuery,
  retrieved: RetrievedChunk[],
  stats: TermStats,
  options: EvidenceOptions = DEFAULT_EVIDENCE,
): Evidence {
  const concepts = weighConcepts(query, stats, options.genericWeight);
  const texts = retrieved.map((hit) => passageText(hit.document, hit.chunk));
  const coverageByChunk = texts.map((text) => coverageOf(concepts, text));
  const considered = texts.slice(0, options.consider);
  const coverage = Math.max(0, ...coverageByChunk.slice(0, options.consider));
  const missing = concepts.filter((concept) => !considered.some((text) => conceptCovered(concept, text))).map((concept) => concept.surface);
  const meaningful = concepts.some((concept) => !concept.generic);
  return { answerable: meaningful && coverage >= options.minCoverage, coverage, concepts, missing, coverageByChunk };
}
