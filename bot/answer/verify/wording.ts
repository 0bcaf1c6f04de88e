/** @module How far a claim is worded like its sources: shared character bigrams, quotations. */
import { splitSentences, suspectSentences } from '../../../core/text/index.ts';

const WORD_CHAR = /[\p{Script=Han}\p{L}\p{N}]/u;
const QUOTATION = /[“"「『]([^“”"「」『』\n]{2,}?)[”"」』]/g;

export function bigrams(text: string): string[] {
  const chars = [...text.normalize('NFKC').toLowerCase()].filter((char) => WORD_CHAR.test(char));
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let index = 0; index + 1 < chars.length; index++) out.push(chars[index]! + chars[index + 1]!);
  return out;
}

/** Share of the claim's bigrams found in `source`; a claim without words is fully supported. */
export function support(claim: string, source: Set<string>): number {
  const grams = bigrams(claim);
  if (grams.length === 0) return 1;
  return grams.filter((gram) => source.has(gram)).length / grams.length;
}

export function quotationsIn(text: string): string[] {
  return [...text.matchAll(QUOTATION)].map((match) => match[1]!.trim()).filter((quote) => quote.length >= 2);
}

/** The sentence of the passage that shares most wording with the claims that cite it; never one addressed to a model. */
export function bestQuote(passage: string, claims: string[]): string {
  const suspect = new Set(suspectSentences(passage).map((sentence) => sentence.start));
  const sentences = splitSentences(passage).filter((sentence) => sentence.text.length >= 4 && !suspect.has(sentence.start));
  if (sentences.length === 0) return passage.trim();
  // A claim without words supports every sentence alike: it has no say in the choice.
  const worded = claims.filter((claim) => bigrams(claim).length > 0);
  const scored = sentences.map((sentence) => {
    const grams = new Set(bigrams(sentence.text));
    return { text: sentence.text, score: Math.max(...worded.map((claim) => support(claim, grams))) };
  });
  return scored.reduce((best, next) => (next.score > best.score ? next : best)).text;
}
