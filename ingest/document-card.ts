/**
 * @module A document's metadata as one chunk of its own (文件信息): title, issuer, 文号, dates and
 * 有效期 as readable Chinese lines, so that ordinary retrieval finds it for 「文号是多少」
 * 「什么时候开始施行」「谁发布的」 and the answer can cite it like any other section. The fields
 * come from the manifest, the file and its text; the cleaned text may not state them at all.
 */
import { DOCUMENT_INFO_HEADING, type ChunkRecord, type DocumentRecord } from '../core/index.ts';


type CardFields = Pick<DocumentRecord, 'title' | 'issuer' | 'docNumber' | 'date' | 'effectiveDate' | 'expiryDate' | 'validity'>;

/** 2022-09-27 → 2022年9月27日, 2025-04 → 2025年4月, 2016 → 2016年: how the documents write dates. */
function chineseDate(iso: string): string {
  const [year, month, day] = iso.split('-');
  return [`${year}年`, month ? `${Number(month)}月` : '', day ? `${Number(day)}日` : ''].join('');
}

/** The card's lines; empty when the document has nothing but a title. */
function documentCardLines(fields: CardFields): string[] {
  const lines: string[] = [];
  if (fields.issuer) lines.push(`发布机关：${fields.issuer}`);
  if (fields.docNumber) lines.push(`文号：${fields.docNumber}`);
  if (fields.date) lines.push(`发布日期：${chineseDate(fields.date)}`);
  if (fields.effectiveDate) lines.push(`施行日期：${chineseDate(fields.effectiveDate)}`);
  if (fields.expiryDate) lines.push(`有效期至：${chineseDate(fields.expiryDate)}`);
  // A stated period says more than nothing when there is no last day (有效期5年); with one, the
  // 施行/有效期至 lines already say it.
  else if (fields.validity) lines.push(`有效期：${fields.validity.replace(/^有效期(?:为|是)?/, '') || fields.validity}`);
  return lines.length === 0 ? [] : [`文件名称：${fields.title}`, ...lines];
}

/**
 * The document's chunks with its card first (`<docId>#0`, the others renumbered after it), or the
 * chunks unchanged when there is nothing to put on the card. The card is not part of the cleaned
 * text, so its offsets are start = end = 0: an empty span at the start of the document.
 */
export function withDocumentCard(fields: CardFields & Pick<DocumentRecord, 'docId'>, chunks: ChunkRecord[]): ChunkRecord[] {
  const lines = documentCardLines(fields);
  if (lines.length === 0) return chunks;
  const { docId } = fields;
  const card: ChunkRecord = { id: `${docId}#0`, docId, headings: [DOCUMENT_INFO_HEADING], text: lines.join('\n'), kind: 'text', start: 0, end: 0 };
  return [card, ...chunks.map((chunk, index) => ({ ...chunk, id: `${docId}#${index + 1}` }))];
}
