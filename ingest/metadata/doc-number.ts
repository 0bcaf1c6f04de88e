/**
 * @module The forms a document number (文号) takes: 赣府发〔2020〕8号, 渤新管字[2018]168号,
 * 沪科规〔2025〕10号, 财政部 税务总局公告2025年第17号, 北京市人民政府令第93号 / 第93号令.
 */
const ISSUER = '[\\u3400-\\u9fffA-Za-z ]{0,24}';
const FORMS = [
  // Year in brackets: 〔2022〕 [2018] （2018） 【2018】.
  String.raw`${ISSUER}[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号`,
  String.raw`${ISSUER}公告\s*(?:19|20)\d{2}\s*年\s*第\s*\d{1,4}\s*号`,
  String.raw`${ISSUER}(?:令|公告)\s*第\s*\d{1,4}\s*号`,
  String.raw`${ISSUER}第\s*\d{1,4}\s*号(?:令|公告)`,
];

const DOC_NUMBER_LINE = new RegExp(`^(?:${FORMS.join('|')})$`);

/** True when the line is only a document number, as printed under a notice's red header. */
export function isDocNumberLine(line: string): boolean {
  return DOC_NUMBER_LINE.test(line.trim());
}

/** The number as written, without the spaces a PDF text layer puts between its parts. */
export function normalizeDocNumber(text: string): string {
  return text.trim().replace(/(?<=[\d〔〕[\]［］【】()（）年第号])\s+|\s+(?=[\d〔〕[\]［］【】()（）年第号])/g, '');
}
