/**
 * @module Class labels a document defines in one place and uses in another: "5 型保障对象：全日制
 * 本科学历毕业生" under 保障对象类型, then "5 型保障对象 10 万元" under 补贴标准. A question names
 * the definition (全日制本科毕业的能拿多少), the amount names the label; read with its gloss
 * ("5 型保障对象（全日制本科学历毕业生） 10 万元") the amount's sentence is about what was asked.
 * Glosses are read for deciding and ranking only: quotes stay the document's own words.
 */
import { LRUCache } from 'lru-cache';
import type { DocumentRecord } from '../../core/index.ts';
import { conceptCovered, type WeightedConcept } from './concepts.ts';
import type { IndexHandle } from './index-handle.ts';

export interface Gloss {
  /** As the document writes it, spaces removed: 5型保障对象. */
  label: string;
  definition: string;
  /** The chunk that defines it. */
  ordinal: number;
}

const CLASS_MARK = String.raw`[0-9０-９A-Za-z一二三四五六七八九十]{1,3}\s*(?:型|类|档)`;

/**
 * A label at the start of a line or list item, its definition after a colon, up to the end of
 * the item: "5 型保障对象：全日制本科学历毕业生；", "A类人才：…". A tier with a name of up to eight
 * characters after its mark; a bare 一类：… as well.
 */
const DEFINITION = new RegExp(String.raw`(?:^|[\n；;])\s*(?:第)?(${CLASS_MARK}[\u4e00-\u9fff]{0,8}?)\s*[：:]\s*([^\n；;。]{2,120})`, 'g');

/** A passage that may use a label: without a class mark there is nothing to gloss. */
const USES_LABEL = new RegExp(CLASS_MARK);

/** Documents whose definitions were read: a few bytes each, and reading a document is not free. */
const REMEMBERED_DOCUMENTS = 2_000;
const definitionsRead = new WeakMap<IndexHandle, LRUCache<string, Gloss[]>>();

function definitionsIn(text: string, ordinal: number): Gloss[] {
  return [...text.matchAll(DEFINITION)].map((match) => ({ label: (match[1] ?? '').replace(/\s+/g, ''), definition: (match[2] ?? '').trim(), ordinal }));
}

/** The labels a document defines, read once per index version. */
function documentDefinitions(index: IndexHandle, document: DocumentRecord): Gloss[] {
  let known = definitionsRead.get(index);
  if (!known) {
    known = new LRUCache({ max: REMEMBERED_DOCUMENTS });
    definitionsRead.set(index, known);
  }
  let glosses = known.get(document.docId);
  if (!glosses) {
    const seen = new Set<string>();
    // A label defined twice (an attachment repeating the list) keeps its first definition.
    glosses = index.chunks
      .ofDocument(document)
      .flatMap((chunk, at) => definitionsIn(chunk.text, document.firstChunk + at))
      .filter((gloss) => !seen.has(gloss.label) && seen.add(gloss.label));
    known.set(document.docId, glosses);
  }
  return glosses;
}

/** How a label is found in text that may space it (5 型保障对象). */
function labelPattern(label: string): RegExp {
  return new RegExp([...label].map((char) => char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join(String.raw`\s*`), 'gi');
}

/** The labels of its document that a passage uses, each with its definition. */
export function glossesOf(index: IndexHandle, document: DocumentRecord, text: string): Gloss[] {
  if (!USES_LABEL.test(text)) return [];
  return documentDefinitions(index, document).filter((gloss) => labelPattern(gloss.label).test(text));
}

/**
 * The glosses whose definitions say most of what the question asks about and `text` does not:
 * 全日制本科毕业的 is 5 型保障对象 (全日制本科学历毕业生), not 3 型 (…全日制博士研究生…). None when
 * no definition says any of it.
 */
export function bestGlosses(glosses: Gloss[], concepts: WeightedConcept[], text = ''): Gloss[] {
  const topics = concepts.filter((concept) => !concept.generic && !concept.attributes && !conceptCovered(concept, text));
  const said = glosses.map((gloss) => topics.filter((concept) => conceptCovered(concept, gloss.definition.toLowerCase())).reduce((sum, concept) => sum + concept.weight, 0));
  const most = Math.max(0, ...said);
  return most > 0 ? glosses.filter((_, at) => said[at] === most) : [];
}

/** Whether `sentence` is where the document defines `gloss`'s label (5 型保障对象：…). */
export function definesLabel(sentence: string, gloss: Gloss): boolean {
  return new RegExp(String.raw`^\s*(?:第)?${labelPattern(gloss.label).source}\s*[：:]`, 'i').test(sentence);
}

/** Whether `text` uses `gloss`'s label other than to define it. */
export function usesLabel(text: string, gloss: Gloss): boolean {
  return withGlosses(text, [gloss]) !== text;
}

/** `text` with each label's definition after it, except where the text defines the label itself. */
export function withGlosses(text: string, glosses: Gloss[] = []): string {
  let glossed = text;
  for (const { label, definition } of glosses) {
    glossed = glossed.replace(labelPattern(label), (used, at: number, whole: string) =>
      /^\s*[：:]/.test(whole.slice(at + used.length)) ? used : `${used}（${definition.toLowerCase()}）`,
    );
  }
  return glossed;
}
