/**
 * @module Does the retrieved text answer the question at all? Each concept of the question is
 * weighted by how rare it is in the corpus (a word found nowhere, such as 公积金, weighs most);
 * a passage covers the concepts whose forms it contains. Too little coverage → refuse. This is
 * the guard against inventing policy, shared by every answerer.
 */
import { chunkSearchText, type TermStats } from '../../core/index-format.ts';
import { tokenize } from '../../core/text/tokenizer.ts';
import type { Concept } from '../retrieval/query.ts';
import type { AnalyzedQuery } from '../retrieval/query.ts';
import type { RetrievedChunk } from '../retrieval/search.ts';

export interface EvidenceOptions {
  /** Minimum share of the question's weight one passage must cover. */
  minCoverage: number;
  /** Passages considered for the decision. */
  consider: number;
  genericWeight: number;
}

export const DEFAULT_EVIDENCE: EvidenceOptions = { minCoverage: 0.6, consider: 5, genericWeight: 0.15 };

export interface WeightedConcept extends Concept {
  weight: number;
}

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

function idf(df: number, total: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

/** A form's document frequency: a phrase is as common as its rarest token. */
function formFrequency(form: string, stats: TermStats): number {
  const tokens = tokenize(form);
  if (tokens.length === 0) return 0;
  return Math.min(...tokens.map((token) => stats.df[token] ?? 0));
}

export function weighConcepts(query: AnalyzedQuery, stats: TermStats, options: EvidenceOptions = DEFAULT_EVIDENCE): WeightedConcept[] {
  return query.concepts.map((concept) => {
    // The commonest form decides: a colloquial word the lexicon maps to a formal one is as
    // telling as the formal word, not as "rare" as the colloquial spelling.
    const df = Math.max(...concept.forms.map((form) => formFrequency(form, stats)));
    // A word the corpus never uses is either the topic of an out-of-scope question (公积金: a
    // noun, full weight) or the user's own phrasing (办完, 哪几个: verbs and pronouns, little).
    const unseenPhrasing = df === 0 && concept.salience < 1;
    const salience = unseenPhrasing ? concept.salience * 0.5 : concept.salience;
    const weight = idf(df, stats.chunkCount) * salience * (concept.generic ? options.genericWeight : 1);
    return { ...concept, weight };
  });
}

export function conceptCovered(concept: Concept, text: string): boolean {
  return concept.forms.some((form) => text.includes(form));
}

export function coverageOf(concepts: WeightedConcept[], text: string): number {
  const total = concepts.reduce((sum, concept) => sum + concept.weight, 0);
  if (total === 0) return 0;
  const covered = concepts.filter((concept) => conceptCovered(concept, text)).reduce((sum, concept) => sum + concept.weight, 0);
  return covered / total;
}

export function assessEvidence(
  query: AnalyzedQuery,
  retrieved: RetrievedChunk[],
  stats: TermStats,
  options: EvidenceOptions = DEFAULT_EVIDENCE,
): Evidence {
  const concepts = weighConcepts(query, stats, options);
  const texts = retrieved.map((hit) => chunkSearchText(hit.document.title, hit.chunk).toLowerCase());
  const coverageByChunk = texts.map((text) => coverageOf(concepts, text));
  const considered = texts.slice(0, options.consider);
  const coverage = Math.max(0, ...coverageByChunk.slice(0, options.consider));
  const missing = concepts.filter((concept) => !considered.some((text) => conceptCovered(concept, text))).map((concept) => concept.surface);
  const meaningful = concepts.some((concept) => !concept.generic);
  return { answerable: meaningful && coverage >= options.minCoverage, coverage, concepts, missing, coverageByChunk };
}
