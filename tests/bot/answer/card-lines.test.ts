// A document's card (文件信息) holds several dates and names; the verb of the question picks the
// line: 哪天开始实施 the 施行日期, 哪天发布 the 发布日期. On a real index of a real document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardLineAsked } from '../../../bot/answer/index.ts';
import { DEV_CORPUS_DIR } from '../../helpers/paths.ts';
import { buildQaOf, type OpenedQa } from '../../helpers/qa.ts';

// With other documents beside it: alone in an index, a document's own words tell its passages apart not at all.
const FILES = [
  'guoxinban-zhongduan-shebei-zhilian-weixing-fuwu-guanli-guiding-2025.md',
  'cixi-baozhangxing-zulin-zhufang-yunying-jiangbu-2023.html',
  'anhua-xian-fangdichan-goufang-butie-cuoshi-2022.html',
];

describe('the line of a document card a question asks for', () => {
  it('is told by the verb: 实施/施行/生效 → 施行日期, 发布/印发 → 发布日期, 谁发的 → 发布机关', () => {
    expect(cardLineAsked('施行日期：2025年6月1日', '管理规定哪天开始实施？')).toBe(true);
    expect(cardLineAsked('发布日期：2025年4月23日', '管理规定哪天开始实施？')).toBe(false);
    expect(cardLineAsked('发布日期：2025年4月23日', '这个规定是哪天印发的？')).toBe(true);
    expect(cardLineAsked('发布机关：国家互联网信息办公室', '这个规定是谁发的？')).toBe(true);
  });
});

describe('a date question answered from the card', () => {
  let qa: OpenedQa & { cleanup(): void };
  beforeAll(async () => {
    qa = await buildQaOf(DEV_CORPUS_DIR, FILES);
  });
  afterAll(() => qa.cleanup());

  it('states the 施行日期 for 哪天开始实施 and the 发布日期 for 哪天发布', async () => {
    const effective = await qa.qa.ask('手机直连卫星的管理规定哪天开始实施？');
    expect(effective.answer.text).toContain('2025年6月1日');
    const issued = await qa.qa.ask('终端设备直连卫星服务管理规定是哪天发布的？');
    expect(issued.answer.text).toContain('2025年4月23日');
  });
});
