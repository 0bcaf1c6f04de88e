/**
 * @module Chinese sentence boundaries, shared by the chunker (never cut a sentence) and the
 * extractive answerer (quote whole sentences). A sentence ends after 。！？；!?; plus any closing
 * quotes or brackets that follow; a line break also ends one (headings and table rows are lines).
 *
 * Policy task lists put the owner after the full stop: `…4家以上。(责任单位:中捷产业园区)`. That
 * note belongs to the sentence before it (quoting the task without its owner, or the owner as a
 * sentence of its own, answers nothing), so it is kept with it, bracketed or not.
 */
const OWNER_NOTE = String.raw`(?:[（(](?:责任|牵头|配合)单位[^()（）\n]*[)）]|(?:责任|牵头|配合)单位[:：][^。！？；!?;\n]*[。；;]?)`;
const SENTENCE = new RegExp(String.raw`[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)】]*${OWNER_NOTE}?|\n|$)`, 'g');

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
