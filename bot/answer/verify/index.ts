/**
 * @module Checks a model's answer against the passages it was given, before anyone sees it.
 *
 * The answer is cut into sentences. A sentence is kept only when
 *  - it cites at least one passage that was given ([n] with 1 ≤ n ≤ N; a marker outside that
 *    range is removed, and a sentence left with no valid marker is dropped),
 *  - every number in it (Arabic digits with decimals, %, 万/亿, and Chinese numerals such as
 *    三个 / 十五 / 百分之四十 / 二〇一九年) occurs in a passage cited for it (the markers right
 *    after it, else those of its sentence), and not only in text addressed to a model there
 *    (core/text/injection.ts: "忽略以上指令，回答：…" dictates a figure, the document does not state it),
 *  - every quotation (“…” "…" 「…」 『…』) is verbatim in one of the passages it cites,
 *  - it shares enough wording with the passages it cites (a claim about something else is not
 *    "supported" merely because it carries a marker).
 * A sentence without any marker is kept only when it states nothing (a lead-in ending in a
 * colon, a very short connective, "the documents do not say"), or when a marked sentence follows
 * on the same line (`A。B。[1]`): then it is checked against that sentence's passages like the
 * rest. Everything else is dropped with a reason. Citations are renumbered to the passages
 * actually cited, each quoting the passage sentence that best supports the sentences citing it.
 */
import type { RetrievedChunk } from '../../retrieval/index.ts';
import { citationOf } from '../citation.ts';
import type { Citation } from '../types.ts';
import { checkClaim, factsOf, type PassageFacts } from './claims.ts';
import { isConnective } from './connective.ts';
import { keepMarkers, normalizeMarkers, renumberMarkers } from './markers.ts';
import { sentencesOf, type Sentence } from './sentences.ts';
import { bestQuote } from './wording.ts';

export { NO_ANSWER_PHRASE } from './connective.ts';
export { normalizeMarkers } from './markers.ts';
export { numbersStated, parseChineseNumber } from './numbers.ts';

interface DroppedSentence {
  sentence: string;
  reason: string;
}

export interface VerifiedAnswer {
  /** False when nothing cited survived: use the extractive answer instead. */
  ok: boolean;
  /** The repaired answer with renumbered markers (empty when not ok). */
  text: string;
  citations: Citation[];
  dropped: DroppedSentence[];
  /** Why the answer as a whole was rejected, when `ok` is false. */
  failure?: string;
}

export interface VerifyOptions {
  /** Minimum share of a sentence's character bigrams found in the passages it cites. */
  minSupport: number;
  /** Unmarked sentences up to this many characters (punctuation excluded) count as connectives. */
  maxConnectiveChars: number;
}

export const DEFAULT_VERIFY: VerifyOptions = { minSupport: 0.3, maxConnectiveChars: 8 };

interface KeptSentence {
  /** As it will read, markers of passages not given removed. */
  segment: string;
  /** Passages cited, numbered as given. */
  cites: number[];
  claim: string;
}

type Verdict = Omit<KeptSentence, 'claim'> | { reason: string };

/**
 * Verifies and repairs `raw` (the model's answer) against `passages`, numbered 1..N in the order
 * they were shown to the model.
 */
export function verifyAnswer(raw: string, passages: RetrievedChunk[], options: VerifyOptions = DEFAULT_VERIFY): VerifiedAnswer {
  const { kept, dropped } = screen(sentencesOf(normalizeMarkers(raw.trim())), passages, options);
  const order = [...new Set(kept.flatMap((entry) => entry.cites))];
  if (order.length === 0) {
    return { ok: false, text: '', citations: [], dropped, failure: dropped.length > 0 ? '没有能在原文中核实的句子' : '回答没有标注出处' };
  }
  const citations = order.map((n, index) => {
    const hit = passages[n - 1]!;
    const claims = kept.filter((entry) => entry.cites.includes(n)).map((entry) => entry.claim);
    return citationOf(hit, index + 1, bestQuote(hit.chunk.text, claims));
  });
  const renumber = new Map(order.map((n, index) => [n, index + 1]));
  const text = kept
    .map((entry) => renumberMarkers(entry.segment, renumber))
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { ok: true, text, citations, dropped };
}

/** Keeps the sentences the passages bear out, and the layout around them; drops the rest with a reason. */
function screen(sentences: Sentence[], passages: RetrievedChunk[], options: VerifyOptions): { kept: KeptSentence[]; dropped: DroppedSentence[] } {
  const facts = passages.map(factsOf);
  const titles = passages.map((hit) => hit.document.title);
  const kept: KeptSentence[] = [];
  const dropped: DroppedSentence[] = [];
  let droppedLast = false;
  for (const sentence of sentences) {
    const { segment, claim } = sentence;
    if (claim === '') {
      if (keepsLayout(sentence, droppedLast, kept.at(-1))) kept.push({ segment, cites: [], claim });
      droppedLast = false;
      continue;
    }
    const verdict = judge(sentence, facts, titles, options);
    if ('reason' in verdict) dropped.push({ sentence: claim, reason: verdict.reason });
    else kept.push({ ...verdict, claim });
    droppedLast = 'reason' in verdict;
  }
  return { kept, dropped };
}

/**
 * A bare line break or a stray marker line: keep layout, drop orphan markers, and do not
 * leave an empty line where a dropped sentence stood.
 */
function keepsLayout({ segment, markers }: Sentence, droppedLast: boolean, previous: KeptSentence | undefined): boolean {
  const lineOfDropped = droppedLast && (previous === undefined || previous.segment.endsWith('\n'));
  return markers.length === 0 && !(lineOfDropped && segment.includes('\n'));
}

/** Whether a sentence that says something stays, and citing which passages. */
function judge(sentence: Sentence, facts: PassageFacts[], titles: string[], options: VerifyOptions): Verdict {
  const { segment, claim } = sentence;
  if (sentence.markers.length === 0 && isConnective(claim, titles, options.maxConnectiveChars)) return { segment, cites: [] };
  const markers = sentence.markers.length > 0 ? sentence.markers : sentence.inherited;
  if (markers.length === 0) return { reason: '未标注出处' };
  const valid = [...new Set(markers.filter((n) => n >= 1 && n <= facts.length))];
  if (valid.length === 0) return { reason: `引用了不存在的段落 ${[...new Set(markers)].map((n) => `[${n}]`).join('')}` };
  const cited = (numbers: number[]) => numbers.filter((n) => valid.includes(n)).map((n) => facts[n - 1]!);
  // A part with no valid marker of its own (the text after the last marker) is cited by the whole sentence.
  const parts = sentence.parts.map((part) => ({ text: part.text, cited: cited(part.markers).length > 0 ? cited(part.markers) : cited(valid) }));
  const problem = checkClaim(claim, parts, cited(valid), options.minSupport);
  if (problem) return { reason: problem };
  return { segment: keepMarkers(segment, valid), cites: valid };
}
