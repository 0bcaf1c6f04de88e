/**
 * @module The default answerer: no model, only sentences copied from the passages. It picks the
 * sentence that covers most of the question, then adds sentences that cover what is still
 * missing (so "三个一" or a target with its baseline are gathered from several places), and
 * cites each one. Nothing is paraphrased, so nothing can be invented.
 */
import { sectionPath } from '../../core/index-format.ts';
import { splitSentences } from '../../core/text/sentences.ts';
import type { RetrievedChunk } from '../retrieval/search.ts';
import { conceptCovered, type WeightedConcept } from '../retrieval/concepts.ts';
import { refusalAnswer } from './refusal.ts';
import type { Answer, AnswerInput, Answerer, Citation } from './types.ts';

export interface ExtractiveOptions {
  /** Passages whose sentences may be quoted. */
  passages: number;
  maxSentences: number;
  /** Sentences longer than this are shown as an excerpt around the matching clauses. */
  maxSentenceChars: number;
}

export const DEFAULT_EXTRACTIVE: ExtractiveOptions = { passages: 5, maxSentences: 4, maxSentenceChars: 160 };

interface Candidate {
  hit: RetrievedChunk;
  rank: number;
  text: string;
  start: number;
  covered: Set<WeightedConcept>;
  score: number;
}

const LIST_QUESTION = /哪些|哪几|几个|几项|几方面|都有|包括|分别|有什么|三个|四个|五个|多项/;

function candidatesFrom(hit: RetrievedChunk, rank: number, concepts: WeightedConcept[]): Candidate[] {
  const heading = sectionPath(hit.chunk.headings).toLowerCase();
  return splitSentences(hit.chunk.text)
    .filter((sentence) => sentence.text.length >= 6)
    .map((sentence) => {
      const lower = sentence.text.toLowerCase();
      const covered = new Set(concepts.filter((concept) => conceptCovered(concept, lower)));
      // What the heading says counts for the sentences under it, at half weight.
      const inHeading = concepts.filter((concept) => !covered.has(concept) && conceptCovered(concept, heading));
      const score =
        [...covered].reduce((sum, concept) => sum + concept.weight, 0) +
        0.5 * inHeading.reduce((sum, concept) => sum + concept.weight, 0) +
        hit.score;
      return { hit, rank, text: sentence.text, start: sentence.start, covered, score };
    });
}

/** Keeps the clauses of a long sentence that carry the question's words, marking the cuts. */
export function excerpt(sentence: string, concepts: WeightedConcept[], maxChars: number): string {
  if (sentence.length <= maxChars) return sentence;
  const clauses = sentence.match(/[^，,；;：:]+[，,；;：:]?/g) ?? [sentence];
  const scored = clauses.map((clause, index) => ({
    index,
    weight: concepts.filter((concept) => conceptCovered(concept, clause.toLowerCase())).reduce((sum, concept) => sum + concept.weight, 0),
  }));
  const best = scored.reduce((a, b) => (b.weight > a.weight ? b : a));
  let from = best.index;
  let to = best.index;
  const length = () => clauses.slice(from, to + 1).join('').length;
  while (true) {
    const grewRight = to + 1 < clauses.length && length() + (clauses[to + 1]?.length ?? 0) <= maxChars;
    if (grewRight) to++;
    const grewLeft = from > 0 && length() + (clauses[from - 1]?.length ?? 0) <= maxChars;
    if (grewLeft) from--;
    if (!grewRight && !grewLeft) break;
  }
  const body = clauses.slice(from, to + 1).join('').replace(/[，,；;：:]$/, '');
  return `${from > 0 ? '……' : ''}${body}${to < clauses.length - 1 ? '……' : ''}`;
}

export class ExtractiveAnswerer implements Answerer {
  readonly kind = 'extractive' as const;
  readonly #options: ExtractiveOptions;

  constructor(options: Partial<ExtractiveOptions> = {}) {
    this.#options = { ...DEFAULT_EXTRACTIVE, ...options };
  }

  async answer({ query, retrieved, evidence }: AnswerInput): Promise<Answer> {
    if (!evidence.answerable) return refusalAnswer(query, retrieved, evidence);
    const concepts = evidence.concepts;
    const best = Math.max(...evidence.coverageByChunk.slice(0, this.#options.passages));
    const pool = retrieved
      .slice(0, this.#options.passages)
      .flatMap((hit, rank) => ((evidence.coverageByChunk[rank] ?? 0) >= best * 0.5 ? candidatesFrom(hit, rank, concepts) : []));
    const chosen = this.#select(pool, LIST_QUESTION.test(query.normalized));
    if (chosen.length === 0) return refusalAnswer(query, retrieved, evidence);

    // Passage rank first, then reading order inside a passage.
    chosen.sort((a, b) => a.rank - b.rank || a.start - b.start);
    const citations: Citation[] = [];
    const lines: string[] = [];
    for (const candidate of chosen) {
      const { chunk, document } = candidate.hit;
      let citation = citations.find((existing) => existing.quote === candidate.text && existing.docId === document.docId);
      if (!citation) {
        citation = {
          n: citations.length + 1,
          docId: document.docId,
          title: document.title,
          section: sectionPath(chunk.headings),
          quote: candidate.text,
          passage: chunk.text,
          ...(document.date ? { date: document.date } : {}),
          ...(document.docNumber ? { docNumber: document.docNumber } : {}),
        };
        citations.push(citation);
      }
      lines.push(`${excerpt(candidate.text, concepts, this.#options.maxSentenceChars)}[${citation.n}]`);
    }
    const titles = [...new Set(citations.map((citation) => `《${citation.title}》`))];
    const text = `根据${titles.join('、')}：\n${lines.join('\n')}`;
    return { refused: false, text, citations, closestDocuments: [], mode: 'extractive' };
  }

  #select(pool: Candidate[], listQuestion: boolean): Candidate[] {
    if (pool.length === 0) return [];
    const ranked = [...pool].sort((a, b) => b.score - a.score);
    const top = ranked[0]!;
    if (top.covered.size === 0) return [];
    const chosen = [top];
    const covered = new Set(top.covered);
    const limit = listQuestion ? this.#options.maxSentences + 1 : this.#options.maxSentences;
    while (chosen.length < limit) {
      let next: Candidate | undefined;
      let nextGain = 0;
      for (const candidate of ranked) {
        if (chosen.includes(candidate)) continue;
        const gain = [...candidate.covered].filter((concept) => !covered.has(concept)).reduce((sum, concept) => sum + concept.weight, 0);
        // Lists repeat the same words item after item: close runners-up belong to the answer too.
        const runnerUp = listQuestion && candidate.score >= top.score * 0.8 ? 0.01 : 0;
        if (gain + runnerUp > nextGain) {
          next = candidate;
          nextGain = gain + runnerUp;
        }
      }
      if (!next) break;
      chosen.push(next);
      next.covered.forEach((concept) => covered.add(concept));
    }
    return chosen;
  }
}
