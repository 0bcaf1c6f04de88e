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
  /** Offsets into the input: `text === input.slice(start, end)`, save for joined wrapped lines. */
  start: number;
  end: number;
}

/** A line long enough to have been wrapped at the page or column edge, not a heading. */
const MIN_WRAPPED_LINE = 20;
/** What starts a line of its own: a list item, an article, a table row, an attachment. */
const LINE_START = /^(?:[（(]?[\d一二三四五六七八九十]+[)）.、．]|第[^\s]{1,6}[条章节]|[|#附]|[-*•·])/;

/**
 * Where a PDF or crawler wrapped a long line inside a sentence (进行 5\n个工作日的公示): a line
 * of prose that ends without closing its sentence, followed by one that starts no item of its own.
 */
function wrapPoints(input: string): Set<number> {
  const points = new Set<number>();
  let lineStart = 0;
  for (let at = input.indexOf('\n'); at !== -1; at = input.indexOf('\n', lineStart)) {
    const line = input.slice(lineStart, at).trim();
    const next = input.slice(at + 1, input.indexOf('\n', at + 1) === -1 ? undefined : input.indexOf('\n', at + 1)).trim();
    const open = line.length >= MIN_WRAPPED_LINE && !/[。！？；!?;：:”’」』）)】]$/.test(line) && !line.startsWith('|');
    if (open && next !== '' && !LINE_START.test(next)) points.add(at);
    lineStart = at + 1;
  }
  return points;
}

const CJK = /[\u3400-\u9fff]/;

/**
 * Sentences of `input`. With `joinWrapped`, a sentence a wrapped line broke in two is read whole
 * (for quoting and checking what a passage says; the chunker keeps lines as ingest made them):
 * its text drops the line break between two Chinese characters and reads it as a space
 * elsewhere (5 个工作日), while `start`/`end` stay offsets into the input.
 */
export function splitSentences(input: string, { joinWrapped = false }: { joinWrapped?: boolean } = {}): SentenceSpan[] {
  const wraps = joinWrapped ? wrapPoints(input) : new Set<number>();
  const source = wraps.size === 0 ? input : input.split('').map((char, at) => (wraps.has(at) ? ' ' : char)).join('');
  const spans: SentenceSpan[] = [];
  for (const match of source.matchAll(SENTENCE)) {
    const raw = match[0];
    if (raw === '') continue;
    const leading = raw.length - raw.trimStart().length;
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    const start = (match.index ?? 0) + leading;
    const end = start + trimmed.length;
    const text = wraps.size === 0 ? trimmed : trimmed.split('').filter((_, offset) => !(wraps.has(start + offset) && CJK.test(source[start + offset - 1] ?? '') && CJK.test(source[start + offset + 1] ?? ''))).join('');
    spans.push({ text, start, end });
  }
  return spans;
}
