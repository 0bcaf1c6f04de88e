/** @module An answer cut into sentences, each with what it claims and the markers it carries or inherits. */
import { markersIn, withoutMarkers } from './markers.ts';

/** Sentence-sized segments whose concatenation is the text; markers after a full stop stay with the sentence before. */
const SEGMENT = /[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』）)】"]*(?:[ \t]*\[\d{1,2}\])*|\n|$)/g;
const LIST_PREFIX = /^\s*(?:[-*•·]\s+|\d{1,2}[.、)）](?!\d)\s*|[（(][一二三四五六七八九十\d]{1,3}[)）]\s*|[一二三四五六七八九十]{1,3}、\s*|#{1,6}\s+)/;

/** Part of a sentence up to a run of markers: what those markers cite (`A为10万元[1]，B为20万元[2]。`). */
interface CitedPart {
  text: string;
  /** The run of markers right after it; empty for the text after the last run. */
  markers: number[];
}

export interface Sentence {
  /** As written, markers included: the segments put together are the answer. */
  segment: string;
  /** What it says: empty for a bare line break or a line of markers. */
  claim: string;
  /** The markers it carries. */
  markers: number[];
  /** Markers of the next marked sentence on the same line: `A。B。[1]` cites [1] for A too. */
  inherited: number[];
  /** The claim cut after each run of markers, so a figure is checked against the passage cited for it. */
  parts: CitedPart[];
}

/** What a sentence says, without markers, list numbering and markdown emphasis. */
function claimOf(segment: string): string {
  return withoutMarkers(segment).replace(/\*\*|__/g, '').replace(LIST_PREFIX, '').trim();
}

const MARKER_RUN = /(?:\[\d{1,2}\][ \t]*)+/g;

function partsOf(segment: string): CitedPart[] {
  const parts: CitedPart[] = [];
  let from = 0;
  for (const run of segment.matchAll(MARKER_RUN)) {
    parts.push({ text: segment.slice(from, run.index), markers: markersIn(run[0]) });
    from = run.index + run[0].length;
  }
  parts.push({ text: segment.slice(from), markers: [] });
  // List numbering (`1. `) is only ever at the start, and is not a figure the answer states.
  return parts.map((part, index) => ({ ...part, text: index === 0 ? claimOf(part.text) : part.text.replace(/\*\*|__/g, '') }));
}

function inheritedMarkers(sentences: Omit<Sentence, 'inherited'>[], index: number): number[] {
  for (let next = index; next < sentences.length; next++) {
    const { segment, markers } = sentences[next]!;
    if (next > index && markers.length > 0) return markers;
    if (segment.endsWith('\n')) return [];
  }
  return [];
}

export function sentencesOf(answer: string): Sentence[] {
  const sentences = [...answer.matchAll(SEGMENT)]
    .map((match) => match[0])
    .filter((segment) => segment !== '')
    .map((segment) => ({ segment, claim: claimOf(segment), markers: markersIn(segment), parts: partsOf(segment) }));
  return sentences.map((sentence, index) => ({ ...sentence, inherited: inheritedMarkers(sentences, index) }));
}
