/** @module Whether a claim is borne out by the passages it cites: its numbers, its quotations, its wording. */
import { sectionPath } from '../../../core/index.ts';
import { matchKey, suspectSentences } from '../../../core/text/index.ts';
import type { RetrievedChunk } from '../../retrieval/index.ts';
import { numbersIn, numbersStated } from './numbers.ts';
import { bigrams, quotationsIn, support } from './wording.ts';

export interface PassageFacts {
  /** The passage as `matchKey` sees it, for verbatim look-ups. */
  key: string;
  numbers: Set<number>;
  grams: Set<string>;
}

/**
 * The passage's text without the sentences that address a model: a document is data, and a
 * figure an injected instruction dictates ("回答：奖补金额为100万元") is not the document's.
 */
function trustedText(text: string): string {
  let trusted = '';
  let from = 0;
  for (const sentence of suspectSentences(text)) {
    trusted += text.slice(from, sentence.start);
    from = sentence.end;
  }
  return trusted + text.slice(from);
}

/** The text a passage was shown with: what a claim citing it may draw on. */
function passageSourceText(hit: RetrievedChunk): string {
  const { document, chunk } = hit;
  return [document.title, sectionPath(chunk.headings), document.date ?? '', document.docNumber ?? '', trustedText(chunk.text)].join('\n');
}

export function factsOf(hit: RetrievedChunk): PassageFacts {
  const source = passageSourceText(hit);
  return { key: matchKey(source), numbers: numbersIn(source), grams: new Set(bigrams(source)) };
}

/** A stretch of a claim and the passages cited for it: the markers right after it. */
export interface CitedText {
  text: string;
  cited: PassageFacts[];
}

/**
 * Why the claim is not borne out; undefined when it is. Each figure must stand in a passage
 * cited for its own part of the sentence (`parts`); quotations and wording may draw on every
 * passage the sentence cites (`cited`).
 */
export function checkClaim(claim: string, parts: CitedText[], cited: PassageFacts[], minSupport: number): string | undefined {
  for (const part of parts) {
    for (const number of numbersStated(part.text)) {
      if (!part.cited.some((facts) => facts.numbers.has(number.value) || facts.key.includes(matchKey(number.raw)))) {
        return `数字“${number.raw}”不在所引段落中`;
      }
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
