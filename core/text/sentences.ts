/**
 * @module Chinese sentence boundaries, shared by the chunker (never cut a sentence) and the
 * extractive answerer (quote whole sentences). A sentence ends after 。！？；!?; plus any closing
 * quotes or brackets that follow; a line break also ends one (headings and table rows are lines).
 */
const SENTENCE = /[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)】]*|\n|$)/g;

export interface SentenceSpan {
  text: string;
  /** Offsets into the input, `text === input.slice(start, end)` before trimming. */
  start: number;
  end: number;
}

export function splitSentences(input: string): SentenceSpan[] {
  const spans: SentenceSpan[] = [];
  for (const match of input.matchAll(SENTENCE)) {
    const raw = match[0];
    if (raw === '') continue;
    const leading = raw.length - raw.trimStart().length;
    const text = raw.trim();
    if (text === '') continue;
    const start = (match.index ?? 0) + leading;
    spans.push({ text, start, end: start + text.length });
  }
  return spans;
}
