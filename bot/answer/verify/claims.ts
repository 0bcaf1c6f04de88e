/** @module Whether a claim is borne out by the passages it cites: its numbers, its quotations, its wording. */
import { sectionPath } from '../../../core/index.ts';
import { matchKey } from '../../../core/text/index.ts';
import type { RetrievedChunk } from '../../retrieval/index.ts';
import { numbersIn, numbersStated } from './numbers.ts';
import { bigrams, quotationsIn, support } from './wording.ts';

export interface PassageFacts {
  /** The passage as `matchKey` sees it, for verbatim look-ups. */
  key: string;
  numbers: Set<number>;
  grams: Set<string>;
}

/** The text a passage was shown with: what a claim citing it may draw on. */
function passageSourceText(hit: RetrievedChunk): string {
  const { document, chunk } = hit;
  return [document.title, sectionPath(chunk.headings), document.date ?? '', document.docNumber ?? '', chunk.text].join('\n');
}

export function factsOf(hit: RetrievedChunk): PassageFacts {
  const source = passageSourceText(hit);
  return { key: matchKey(source), numbers: numbersIn(source), grams: new Set(bigrams(source)) };
}

/** Why the claim is not borne out by the `cited` passages; undefined when it is. */
export function checkClaim(claim: string, cited: PassageFacts[], minSupport: number): string | undefined {
  for (const number of numbersStated(claim)) {
    if (!cited.some((facts) => facts.numbers.has(number.value) || facts.key.includes(matchKey(number.raw)))) {
      return `数字“${number.raw}”不在所引段落中`;
    }
  }
  for (const quote of quotationsIn(claim)) {
    if (!cited.some((facts) => facts.key.includes(matchKey(quote)))) return `引文“${quote}”与原文不一致`;
  }
  const grams = new Set(cited.flatMap((facts) => [...facts.grams]));
  const share = support(claim, grams);
  if (share < minSupport) return `内容与所引段落不符（重合 ${Math.round(share * 100)}%）`;
  return undefined;
}
