/**
 * @module Does the retrieved text answer the question at all? A passage must cover enough of the
 * question's weighted concepts (see retrieval/concepts.ts). Too little coverage → refuse. This is
 * the guard against inventing policy, shared by every answerer.
 */
import type { TermStats } from '../../core/index.ts';
import { conceptCovered, coverageOf, FIGURE, GENERIC_WEIGHT, passageText, weighConcepts, type WeightedConcept, ASKS_MONEY, ASKS_PERCENTAGE, type AnalyzedQuery, type RetrievedChunk } from '../retrieval/index.ts';
import { splitSentences } from '../../core/text/index.ts';


export interface EvidenceOptions {
  /** Minimum share of the question's weight one passage must cover. */
  minCoverage: number;
  /** Passages considered for the decision. */
  consider: number;
  genericWeight: number;
  /** Share two passages must cover together when neither covers `minCoverage` alone … */
  minJointCoverage: number;
  /** … and that each of the two must cover on its own. */
  minPartCoverage: number;
}

export const DEFAULT_EVIDENCE: EvidenceOptions = { minCoverage: 0.6, consider: 5, genericWeight: GENERIC_WEIGHT, minJointCoverage: 0.9, minPartCoverage: 0.35 };

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

/**
 * Could this passage be the answer at all? It must name the year or plan period asked about
 * (a 2018 figure does not answer a question about 2022), and when a figure is asked for
 * (百分之几, 多少钱) the figure must stand in the same sentence as the weightiest thing the
 * passage shares with the question: an amount next to something else is not the amount asked.
 */
function canAnswer(query: AnalyzedQuery, concepts: WeightedConcept[], text: string): boolean {
  if (concepts.some((concept) => concept.specific && !conceptCovered(concept, text))) return false;
  if (!query.asks) return true;
  const figure = FIGURE[query.asks];
  const topic = concepts
    .filter((concept) => !concept.generic && !concept.specific && !ASKS_MONEY.test(concept.surface) && !ASKS_PERCENTAGE.test(concept.surface))
    .filter((concept) => conceptCovered(concept, text))
    .sort((a, b) => b.weight - a.weight)[0];
  const sentences = splitSentences(text).map((sentence) => sentence.text);
  return sentences.some((sentence) => figure.test(sentence) && (!topic || conceptCovered(topic, sentence)));
}

/**
 * A question about two things the documents treat in two places (开公司 + 跑几次: 企业开办 here,
 * 最多跑一次 there) is answered by quoting both. Two passages count together when each covers a
 * real part of the question on its own and between them they cover nearly all of it.
 */
function jointCoverage(concepts: WeightedConcept[], texts: string[], options: EvidenceOptions): number {
  const total = concepts.reduce((sum, concept) => sum + concept.weight, 0);
  if (total === 0) return 0;
  const covered = texts.map((text) => concepts.filter((concept) => conceptCovered(concept, text)));
  const share = (set: Iterable<WeightedConcept>) => [...set].reduce((sum, concept) => sum + concept.weight, 0) / total;
  let best = 0;
  for (let first = 0; first < covered.length; first++) {
    for (let second = first + 1; second < covered.length; second++) {
      const a = covered[first]!;
      const b = covered[second]!;
      if (share(a) < options.minPartCoverage || share(b) < options.minPartCoverage) continue;
      best = Math.max(best, share(new Set([...a, ...b])));
    }
  }
  return best;
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
  // A passage from a document about another place (search.ts, offPlace) answers nothing here.
  const usable = considered.map((text, rank) => !retrieved[rank]?.offPlace && canAnswer(query, concepts, text));
  const coverage = Math.max(0, ...considered.map((_, rank) => (usable[rank] ? (coverageByChunk[rank] ?? 0) : 0)));
  const missing = concepts.filter((concept) => !considered.some((text) => conceptCovered(concept, text))).map((concept) => concept.surface);
  const meaningful = concepts.some((concept) => !concept.generic);
  const joint = jointCoverage(concepts, considered.filter((_, rank) => usable[rank]), options);
  return { answerable: meaningful && (coverage >= options.minCoverage || joint >= options.minJointCoverage), coverage, concepts, missing, coverageByChunk };
}
