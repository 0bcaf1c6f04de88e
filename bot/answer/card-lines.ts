/**
 * @module Which line of a document's card (文件信息, ingest/document-card.ts) answers how the
 * question asks: 哪天开始实施 the 施行日期, 哪天印发 the 发布日期. Each line holds a date or a
 * name, so every one of them holds "a date" or "a unit"; the verb of the question tells them apart.
 */

const CARD_LINES: [label: RegExp, asked: RegExp][] = [
  [/^发布机关：/, /谁(?:发|印发|发布|出台|颁布|制定)|哪(?:个|些|几个|家)(?:部门|单位|机关|机构)|发文机关|发布机关|发文单位/],
  [/^文号：/, /文号|字号|发文号|编号/],
  [/^发布日期：/, /发布|印发|出台|颁布|发文|下发|公布|成文|发的/],
  [/^施行日期：/, /施行|实施|执行|生效|实行|起效/],
  [/^有效期(?:至)?：/, /有效|到期|截止|失效|管到|期限/],
];

/** The card line is the one the question asks for, by the verb or noun it asks with. */
export function cardLineAsked(line: string, question: string): boolean {
  return CARD_LINES.some(([label, asked]) => label.test(line) && asked.test(question));
}
