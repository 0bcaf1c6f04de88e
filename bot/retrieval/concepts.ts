/**
 * @module How much of a question a passage covers. Each concept of the question is weighted by
 * how rare it is in the corpus (a word found nowhere, such as 公积金, weighs most); a passage
 * covers the concepts whose forms it contains. Ranking uses coverage as a soft AND over the
 * question; the evidence check uses it to decide between answering and refusing.
 */
import { chunkSearchText, type ChunkRecord, type DocumentRecord, type TermStats } from '../../core/index.ts';
import { charBigrams, tokenize } from '../../core/text/index.ts';
import { holdsAttribute } from './attributes.ts';
import type { AnalyzedQuery, Concept } from './query.ts';

export interface WeightedConcept extends Concept {
  weight: number;
  /** No document uses any of its forms as a word: the user's own word for something (养猪户, 楼盘) or a topic no document has. */
  unseen?: boolean;
}

/** Question words such as 政策/规定 count this much of a topic word. */
export const GENERIC_WEIGHT = 0.15;

/**
 * The smoothing of `idf` as a share of the corpus's chunks (never below BM25's usual 0.5). With a
 * fixed 0.5 a word the corpus never uses weighs log(chunks): the larger the corpus, the more a
 * question's one unknown word outweighs the words passages do hold, until an answered question
 * is refused because unrelated documents were added. Smoothing in proportion to the corpus keeps
 * weights a function of the share of chunks holding a word, which does not move as the corpus
 * grows; the weight saturates for words rarer than about one chunk in 400.
 */
const SMOOTHING_SHARE = 1 / 400;

function idf(df: number, total: number): number {
  const smoothing = Math.max(0.5, total * SMOOTHING_SHARE);
  return Math.log(1 + (total - df + smoothing) / (df + smoothing));
}

/** A form's document frequency as a word: a phrase is as common as its rarest token. */
function wordFrequency(form: string, stats: TermStats): number {
  const tokens = tokenize(form);
  if (tokens.length === 0) return 0;
  return Math.min(...tokens.map((token) => stats.df(token)));
}

/**
 * How many chunks coverage would find a form in. Coverage finds it anywhere in a passage, inside
 * other words too (规上 in 规上工业企业, which jieba cuts as one word), so a form is at least as
 * common as the chunks holding all its character pairs could make it: the rarest pair bounds
 * that, and a word jieba rarely cuts out on its own is not rare for that.
 */
function substringFrequency(form: string, stats: TermStats): number {
  const asWords = wordFrequency(form, stats);
  const pairs = charBigrams(form);
  if (pairs.length === 0 || pairs.length !== form.length - 1) return asWords;
  return Math.max(asWords, Math.min(...pairs.map((pair) => stats.df(pair))));
}

export function weighConcepts(query: AnalyzedQuery, stats: TermStats, genericWeight = GENERIC_WEIGHT): WeightedConcept[] {
  const weighed = query.concepts.filter((concept) => !concept.attributes).map((concept) => {
    // The commonest form decides: a colloquial word the lexicon maps to a formal one is as
    // telling as the formal word, not as "rare" as the colloquial spelling.
    const df = Math.max(...concept.forms.map((form) => substringFrequency(form, stats)));
    // A word the corpus never uses as a word is either the topic of an out-of-scope question
    // (公积金: a noun, full weight) or the user's own phrasing (办完, 哪几个, 再开: verbs and
    // pronouns, little), even where its characters meet inside other words (再开展).
    const unseen = concept.forms.every((form) => wordFrequency(form, stats) === 0);
    const salience = unseen && concept.salience < 1 ? concept.salience * 0.5 : concept.salience;
    const weight = idf(df, stats.chunkCount) * salience * (concept.generic ? genericWeight : 1);
    return { ...concept, weight, ...(unseen ? { unseen } : {}) };
  });
  // What is asked for is one of the things asked, but an amount or a date is in most passages of
  // a policy: it tells no more than the question's least telling topic word.
  const topics = weighed.filter((concept) => !concept.generic).map((concept) => concept.weight);
  const least = topics.length > 0 ? Math.min(...topics) : 0;
  const asked = query.concepts.filter((concept) => concept.attributes).map((concept) => ({ ...concept, weight: least }));
  return [...weighed, ...asked];
}

export function conceptCovered(concept: Concept, text: string): boolean {
  if (concept.attributes) return concept.attributes.some((attribute) => holdsAttribute(attribute, text));
  return concept.forms.some((form) => text.includes(form));
}

/**
 * The share of the question's weight a passage covers, counting a word no document uses in part by
 * the characters it shares with the passage (credit).
 */
export function coverageOf(concepts: WeightedConcept[], text: string): number {
  return coverageShares(concepts, text).withParts;
}

/**
 * Coverage both ways in one pass: `withParts` as coverageOf; `byForms` by the concepts' forms
 * alone, whether a passage shares a real part of the question at all.
 */
export function coverageShares(concepts: WeightedConcept[], text: string): { withParts: number; byForms: number } {
  const total = concepts.reduce((sum, concept) => sum + concept.weight, 0);
  if (total === 0) return { withParts: 0, byForms: 0 };
  let withParts = 0;
  let byForms = 0;
  for (const concept of concepts) {
    const share = credit(concept, text);
    withParts += concept.weight * share;
    if (share === 1) byForms += concept.weight;
  }
  return { withParts: withParts / total, byForms: byForms / total };
}

/** Characters too common to say anything of a word they are part of. */
const LIGHT_CHARACTERS = /[的了是在有和与及或等人大小中上下一不个这那]/g;

/**
 * How much of a concept a passage holds: all of it when it holds a form; for a word no document
 * uses (养猪户, 开张), half at most, in the share of its telling characters the passage uses in
 * words of its own (生猪养殖, 开业) — what an everyday word shares with the formal one.
 */
function credit(concept: WeightedConcept, text: string): number {
  if (conceptCovered(concept, text)) return 1;
  if (!concept.unseen || concept.attributes) return 0;
  const characters = [...new Set(concept.surface.replace(LIGHT_CHARACTERS, ''))].filter((character) => /[\u4e00-\u9fff]/.test(character));
  if (characters.length < 2) return 0;
  return (0.5 * characters.filter((character) => text.includes(character)).length) / characters.length;
}

/**
 * What a passage says, for coverage: where it sits and its text, plus the document's date and
 * number, which answer 哪年/文号 questions the body never repeats. Lower-cased like the concepts.
 */
export function passageText(document: DocumentRecord, chunk: Pick<ChunkRecord, 'headings' | 'text'>): string {
  const text = chunkSearchText(document.title, chunk);
  return `${text}\n${documentMetadata(document)}\n${compactEnumerations(text)}`.toLowerCase();
}

/**
 * Documents list one-character items apart (水、电、气、暖过户; 省、市、县三级), users write them
 * together (水电气过户, 省市县): the passage is read both ways. Three items at least, so that
 * one of them stands alone between two 、 (企业登记、公章刻制 is no such list).
 */
const SINGLE_CHARACTER_LIST = /[\u4e00-\u9fff](?:、[\u4e00-\u9fff](?=、))+、[\u4e00-\u9fff]/g;

function compactEnumerations(text: string): string {
  return [...text.matchAll(SINGLE_CHARACTER_LIST)].map(([list]) => list.replaceAll('、', '')).join(' ');
}

function documentMetadata(document: DocumentRecord): string {
  return [document.date, document.docNumber ? `文号 ${document.docNumber}` : undefined].filter(Boolean).join(' ');
}

/**
 * The document's own facts in one line, title with date and 文号: what answers 哪天印发 or 文号是多少
 * about the document as a whole, which no sentence of its body states next to its title.
 */
export function documentFacts(document: DocumentRecord): string {
  // Dated the way the documents write dates (2022-07-25 → 2022年7月25日), so it answers 哪天.
  const date = document.date?.replace(/^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/, (_, year: string, month: string, day?: string) => `${year}年${Number(month)}月${day ? `${Number(day)}日` : ''}`);
  return [document.title, date, document.docNumber ? `文号 ${document.docNumber}` : undefined].filter(Boolean).join(' ').toLowerCase();
}
