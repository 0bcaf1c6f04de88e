/**
 * @module Shared by the loaders for what a file states about itself: whether a title field is
 * worth believing, metadata without empty fields, and the 公文 conventions (文号, 落款, dates) a
 * loader reads where its format puts them. The conventions themselves live in ingest's
 * doc-number, dates and signature modules, which metadataFromText applies to every cleaned text;
 * the loaders use the same readings, so a field means the same from either source.
 */
import { isDocNumberLine, normalizeDocNumber, organisationName, parseDate, readSignature } from '../metadata/index.ts';
import type { FoundMetadata } from './types.ts';

/** The 签发人 printed beside the 文号 of an upward report. */
const SIGNER = /\s+签发人[:：].*$/;

/** The 文号 when `line` is nothing but one (not a reference inside a sentence), as written. */
export function docNumberOf(line: string): string | undefined {
  const candidate = line.replace(SIGNER, '').trim();
  return isDocNumberLine(candidate) ? normalizeDocNumber(candidate) : undefined;
}

/**
 * The first date in `text` as YYYY-MM-DD, or YYYY-MM when it names only the month. parseDate
 * reads the text with its spaces removed (PDFs space out 2022 年 9 月); a page's date and time
 * (2022-08-16 10:00) would then run together, so each word is tried on its own as well.
 */
export function isoDate(text: string): string | undefined {
  return parseDate(text) ?? text.split(/\s+/).map(parseDate).find((date) => date !== undefined);
}

/** The 落款 (issuing bodies over a date) among `lines`, which may be untrimmed and have blank lines. */
export function findSignature(lines: string[]): Pick<FoundMetadata, 'issuer' | 'date'> {
  return readSignature(lines.map((line) => line.trim()).filter((line) => line !== ''));
}

/** 国务院, 财政部 税务总局, 国家发展改革委、工业和信息化部: one or more issuing bodies. */
export function isIssuerName(text: string): boolean {
  const names = text.split(/[、\s]+/).filter(Boolean);
  return names.length > 0 && names.every((name) => organisationName(name) !== undefined);
}

/** Titles that editors and converters fill in by default, not the document's name. */
const PLACEHOLDER_TITLE = /^(?:标题|无标题|未命名|title|untitled|document\s*\d*|文档\s*\d*|新建.*文档|microsoft\s+(?:word|office).*|wps\s*.*|作者|主题|科目|subject|author|\d+|[-_.\s]*)$/i;

/**
 * A title field (Word's dc:title, a PDF's /Title, front matter) worth believing: not empty, not
 * a placeholder (WPS writes 标题), not a file or template name (Microsoft Word - 通知.doc, Normal.dotm).
 */
export function isMeaningfulTitle(title: string | undefined, templateNames: string[] = []): title is string {
  const text = title?.trim() ?? '';
  if (text.length < 2 || PLACEHOLDER_TITLE.test(text)) return false;
  if (/\.(?:docx?|dotm?|wps|pdf|txt|html?|xlsx?)$/i.test(text) || /^microsoft\s+word\s*-/i.test(text)) return false;
  return !templateNames.some((name) => name !== '' && text.toLowerCase() === name.toLowerCase());
}

/** Drops empty fields, so `{ ...found, ...manifest }` never overwrites with `undefined`. */
export function compactMetadata(metadata: FoundMetadata): FoundMetadata | undefined {
  const entries = Object.entries(metadata).filter(([, value]) => typeof value === 'string' && value.trim() !== '');
  return entries.length > 0 ? (Object.fromEntries(entries) as FoundMetadata) : undefined;
}
