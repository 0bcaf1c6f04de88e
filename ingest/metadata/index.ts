/**
 * @module What a document says about itself in its text: title, issuer, 文号, dates, 施行 and
 * 有效期 — read by ingest and by the loaders that find the same things in a file's own fields.
 */
export { parseDate, SIGNATURE_DATE_LINE } from './dates.ts';
export { isDocNumberLine, normalizeDocNumber } from './doc-number.ts';
export { metadataFromText } from './from-text.ts';
export { organisationName, readSignature } from './signature.ts';
export { inferTitle } from './title.ts';
