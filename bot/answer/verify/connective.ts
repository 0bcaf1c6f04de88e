/**
 * @module Sentences that state nothing, and so need no source: a lead-in ending in a colon, a very
 * short connective, "the documents do not say".
 */
import { matchKey } from '../../../core/text/index.ts';
import { numbersStated } from './numbers.ts';
import { quotationsIn } from './wording.ts';

/** The phrase the prompt asks the model to use when the passages do not answer. */
export const NO_ANSWER_PHRASE = '文档中没有相关规定';
const ABSENCE = /文档中没有|没有(?:相关|明确|具体)?(?:的)?规定|未(?:作|做|有)?(?:相关|明确|具体)?规定|未(?:提及|涉及|说明)|没有(?:提及|涉及|说明)/;

/** 《…》 names of documents that were given; another title is not a connective's business. */
function withoutKnownTitles(claim: string, titles: string[]): string | undefined {
  let unknown = false;
  const rest = claim.replace(/《([^《》]*)》/g, (_whole, name: string) => {
    if (!titles.some((title) => matchKey(title) === matchKey(name))) unknown = true;
    return '';
  });
  return unknown ? undefined : rest;
}

/** `titles`: of the documents given; `maxChars`: the longest connective, punctuation excluded. */
export function isConnective(fullClaim: string, titles: string[], maxChars: number): boolean {
  const claim = withoutKnownTitles(fullClaim, titles);
  if (claim === undefined) return false;
  if (numbersStated(claim).length > 0 || quotationsIn(claim).length > 0) return false;
  if (/[：:]\s*$/.test(claim)) return true;
  if (ABSENCE.test(claim)) return true;
  return claim.replace(/[^\p{L}\p{N}]/gu, '').length <= maxChars;
}
