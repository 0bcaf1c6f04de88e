/**
 * @module What a document's cleaned text says about itself: issuer, 文号, date, 施行日期 and
 * 有效期. The last source for each field, below the admin's manifest and the file's own metadata.
 *
 * For each field the most specific statement wins. Date: the 成文日期 a portal labels, else the
 * 落款, else the latest act in a regulation's 题注, else a labelled publication date. Issuer: the
 * 落款, else the 题注's enacting body, else the body named before 关于 in the title, else a
 * labelled 发布机构 (portals abbreviate it: 市住建局).
 */
import type { DocumentRecord } from '../../core/index.ts';
import { parseDate } from './dates.ts';
import { isDocNumberLine, normalizeDocNumber } from './doc-number.ts';
import { readInForce } from './in-force.ts';
import { labelledFacts } from './page-labels.ts';
import { organisationName, readHistoryNote, readSignature } from './signature.ts';

/** The record's fields the text can state, in the record's own forms. */
export type TextMetadata = Pick<DocumentRecord, 'issuer' | 'docNumber' | 'date' | 'effectiveDate' | 'expiryDate' | 'validity'>;

/** The 文号 is printed under the masthead, among the first lines; later ones are references. */
const DOC_NUMBER_WITHIN = 40;

/** 东莞市发展和改革局关于印发… → 东莞市发展和改革局; 财政部 税务总局关于… → 财政部、税务总局. */
function issuerInTitle(title: string | undefined): string | undefined {
  const names = title?.match(/^(.{2,60}?)(?:关于|印发|转发)/)?.[1]?.split(/\s+/) ?? [];
  const organisations = names.map(organisationName);
  return names.length > 0 && organisations.every((name) => name !== undefined) ? organisations.join('、') : undefined;
}

function docNumberIn(value: string | undefined): string | undefined {
  return value && isDocNumberLine(value) ? normalizeDocNumber(value) : undefined;
}

/**
 * `known` is what higher sources already say: the title, which may name the issuer, and the date,
 * which 自印发之日起施行 refers to.
 */
export function metadataFromText(text: string, known: { title?: string; date?: string } = {}): TextMetadata {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const labelled = labelledFacts(lines);
  const dateLabelled = (fact: 'written' | 'published' | 'effective' | 'expiry') => {
    const value = labelled.get(fact);
    return value === undefined ? undefined : parseDate(value);
  };
  const signature = readSignature(lines);
  const note = readHistoryNote(lines);

  const date = dateLabelled('written') ?? signature.date ?? note.date ?? dateLabelled('published');
  const issuer = signature.issuer ?? note.enactor ?? issuerInTitle(known.title) ?? organisationName(labelled.get('issuer') ?? '');
  const docNumber =
    docNumberIn(labelled.get('docNumber')) ?? lines.slice(0, DOC_NUMBER_WITHIN).map(docNumberIn).find((found) => found !== undefined) ?? note.decree;
  const inForce = readInForce(text, known.date ?? date);
  const effectiveDate = dateLabelled('effective') ?? inForce.effectiveDate;
  const expiryDate = dateLabelled('expiry') ?? inForce.expiryDate;

  const found: TextMetadata = { issuer, docNumber, date, effectiveDate, expiryDate, validity: inForce.validity };
  return Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined)) as TextMetadata;
}
