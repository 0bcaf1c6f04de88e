/** @module The [n] markers of an answer: read in whatever form the model wrote them, pruned and renumbered. */

// One or two digits: `[2018]` in a document number such as 渤新管字[2018]168号 is not a marker.
const MARKER_GROUP = /[[［【]\s*([0-9０-９]{1,2}(?:\s*(?:[,，、]|[-–~～])\s*[0-9０-９]{1,2})*)\s*[\]］】]/g;
const MARKER = /\[(\d{1,2})\]/g;

function toAsciiDigits(text: string): string {
  return text.replace(/[０-９]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xfee0));
}

/** `［1］`, `【1,2】`, `[1、3]`, `[1-3]` → `[1]`, `[1][2]`, `[1][3]`, `[1][2][3]`. */
export function normalizeMarkers(text: string): string {
  return text.replace(MARKER_GROUP, (_whole, inner: string) => {
    const numbers: number[] = [];
    for (const part of toAsciiDigits(inner).split(/\s*[,，、]\s*/)) {
      const range = /^(\d+)\s*[-–~～]\s*(\d+)$/.exec(part);
      if (range) {
        const from = Number(range[1]);
        const to = Number(range[2]);
        for (let n = from; n <= to && n - from < 20; n++) numbers.push(n);
      } else if (/^\d+$/.test(part)) numbers.push(Number(part));
    }
    return numbers.map((n) => `[${n}]`).join('');
  });
}

export function markersIn(text: string): number[] {
  return [...text.matchAll(MARKER)].map((match) => Number(match[1]));
}

export function withoutMarkers(text: string): string {
  return text.replace(MARKER, '');
}

/** Removes the markers whose number is not in `keep`. */
export function keepMarkers(text: string, keep: number[]): string {
  return text.replace(MARKER, (whole, n: string) => (keep.includes(Number(n)) ? whole : ''));
}

/** Renumbers markers by `renumber` (others stay as they are) and merges repeats: `[3][3]` → `[3]`. */
export function renumberMarkers(text: string, renumber: Map<number, number>): string {
  return text.replace(MARKER, (_whole, n: string) => `[${renumber.get(Number(n)) ?? n}]`).replace(/(\[\d+\])\1+/g, '$1');
}
