/**
 * @module How much of a question a passage covers. Each concept of the question is weighted by
 * how rare it is in the corpus (a word found nowhere, such as 公积金, weighs most); a passage
 * covers the concepts whose forms it contains. Ranking uses coverage as a soft AND over the
 * question; the evidence check uses it to decide between answering and refusing.
 */
import { chunkSearchText, type ChunkRecord, type DocumentRecord, type TermStats } from '../../core/index.ts';
import { tokenize } from '../../core/text/index.ts';
import type { AnalyzedQuery, AskedFigure, Concept } from './query.ts';

export interface WeightedConcept extends Concept {
  weight: number;
}

/** Question words such as 政策/规定 count this much of a topic word. */
export const GENERIC_WEIGHT = 0.15;

function idf(df: number, total: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

/** A form's document frequency: a phrase is as common as its rarest token. */
function formFrequency(form: string, stats: TermStats): number {
  const tokens = tokenize(form);
  if (tokens.length === 0) return 0;
  return Math.min(...tokens.map((token) => stats.df[token] ?? 0));
}

export function weighConcepts(query: AnalyzedQuery, stats: TermStats, genericWeight = GENERIC_WEIGHT): WeightedConcept[] {
  return query.concepts.map((concept) => {
    // The commonest form decides: a colloquial word the lexicon maps to a formal one is as
    // telling as the formal word, not as "rare" as the colloquial spelling.
    const df = Math.max(...concept.forms.map((form) => formFrequency(form, stats)));
    // A word the corpus never uses is either the topic of an out-of-scope question (公积金: a
    // noun, full weight) or the user's own phrasing (办完, 哪几个: verbs and pronouns, little).
    const unseenPhrasing = df === 0 && concept.salience < 1;
    const salience = unseenPhrasing ? concept.salience * 0.5 : concept.salience;
    const weight = idf(df, stats.chunkCount) * salience * (concept.generic ? genericWeight : 1);
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

/**
 * What a passage says, for coverage: where it sits and its text, plus the document's date and
 * number, which answer 哪年/文号 questions the body never repeats. Lower-cased like the concepts.
 */
export function passageText(document: DocumentRecord, chunk: Pick<ChunkRecord, 'headings' | 'text'>): string {
  const metadata = [document.date, document.docNumber ? `文号 ${document.docNumber}` : undefined].filter(Boolean).join(' ');
  return `${chunkSearchText(document.title, chunk)}\n${metadata}`.toLowerCase();
}

/** How each kind of asked-for figure is written in the documents. */
export const FIGURE: Record<AskedFigure, RegExp> = {
  // 十万元 and 一百万元 as well as 10万元: laws write amounts in Chinese numerals.
  money: /[\d一二两三四五六七八九十百千]\s*(?:万|亿)?元/,
  percentage: /\d\s*%|百分之|\d成/,
  date: /(?:19|20)\d{2}\s*年|[〇一二][〇一二三四五六七八九]{3}年/,
};
