/**
 * @module The labelled facts a published document carries about itself: a portal's 索引号 table
 * (`| 文号 | 安政办发〔2022〕20号 | 发文日期 | 2022-10-12 |`), label lines whose value may sit
 * on the next line (`成文日期：` / `2023-04-21`), a crawler's front matter (`发布日期: 2025-12-29`).
 */

/** What each label states; a label names one fact, however the portal words it. */
const LABELS = {
  docNumber: ['文号', '发文字号', '发文文号', '文件编号', '发文编号'],
  written: ['成文日期', '成文时间'],
  published: ['发布日期', '发布时间', '发文日期', '印发日期', '公布日期'],
  issuer: ['发布机构', '发文机关', '发文单位', '发布单位', '制发机关'],
  effective: ['施行日期', '生效日期', '实施日期'],
  expiry: ['失效日期', '废止日期'],
} as const;

export type LabelledFact = keyof typeof LABELS;

/** Labels of page information the values above must not run into. */
const OTHER_LABELS = ['索引号', '主题分类', '组配分类', '分类', '名称', '标题', '有效性', '公开范围', '公开方式', '统一登记号', '登记日期', '主题词', '来源', '作者', '浏览次数'];

const FACT_OF = new Map<string, LabelledFact>(
  (Object.entries(LABELS) as [LabelledFact, readonly string[]][]).flatMap(([fact, labels]) => labels.map((label) => [label, fact] as const)),
);
const ALL_LABELS = [...FACT_OF.keys(), ...OTHER_LABELS].sort((a, b) => b.length - a.length);
// Not inside a longer word: 规范性文件编号 is not 文件编号.
const LABEL = new RegExp(`(?<![\\u3400-\\u9fff])(${ALL_LABELS.join('|')})\\s*[:：]`, 'g');

function rowFacts(row: string, found: Map<LabelledFact, string>): void {
  const cells = row.replace(/^\||\|$/g, '').split('|').map((cell) => cell.trim());
  cells.forEach((cell, index) => {
    const fact = FACT_OF.get(cell.replace(/[\s:：]/g, ''));
    const value = cells[index + 1]?.trim();
    if (fact && value && !found.has(fact)) found.set(fact, value);
  });
}

function lineFacts(line: string, next: string | undefined, found: Map<LabelledFact, string>): void {
  const matches = [...line.matchAll(LABEL)];
  matches.forEach((match, index) => {
    const fact = FACT_OF.get(match[1]!);
    if (!fact || found.has(fact)) return;
    const end = matches[index + 1]?.index ?? line.length;
    const value = line.slice((match.index ?? 0) + match[0].length, end).trim();
    // `成文日期：` alone on its line has its value on the next one.
    const nextIsValue = next !== undefined && [...next.matchAll(LABEL)].length === 0;
    if (value !== '') found.set(fact, value);
    else if (index === matches.length - 1 && nextIsValue) found.set(fact, next.trim());
  });
}

/** The first value given for each fact, as written (empty values are skipped). */
export function labelledFacts(lines: string[]): Map<LabelledFact, string> {
  const found = new Map<LabelledFact, string>();
  lines.forEach((line, index) => {
    if (line.startsWith('|')) rowFacts(line, found);
    else lineFacts(line, lines[index + 1], found);
  });
  return found;
}
