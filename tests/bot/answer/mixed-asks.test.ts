// A figure or phone number asked beside a place, materials or steps (每人能领多少？在哪个平台抢？) is the part a
// passage must state: the others are words many passages merely use (the 网上 of 网上年货节). On a
// real index of real documents, where how common those words are decides as it does in use.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_CORPUS_DIR } from '../../helpers/paths.ts';
import { buildQaOf, type OpenedQa } from '../../helpers/qa.ts';

const FILES = ['anhui-cujin-xiaofei-ruogan-cuoshi-2022.docx', 'anhua-xian-fangdichan-goufang-butie-cuoshi-2022.html', 'cixi-baozhangxing-zulin-zhufang-yunying-jiangbu-2023.html'];

describe('a figure asked beside a place or materials', () => {
  let qa: OpenedQa & { cleanup(): void };
  beforeAll(async () => {
    qa = await buildQaOf(DEV_CORPUS_DIR, FILES);
  });
  afterAll(() => qa.cleanup());

  it('is not answered by a passage that only uses a word of the other part', async () => {
    // The documents say 有条件的地方可联合企业发放消费券, no amount, no platform.
    expect((await qa.qa.ask('安徽春节消费券每人能领多少？在哪个平台抢？')).answer.refused).toBe(true);
    expect((await qa.qa.ask('安化契税补贴要准备哪些材料，多久能到账？')).answer.refused).toBe(true);
    // A phone number asked beside where: the 网站 a notice is posted on says neither.
    expect((await qa.qa.ask('慈溪市保障性租赁住房领导小组办公室在哪办公，电话多少')).answer.refused).toBe(true);
  });

  it('is answered where the figure is stated, though the other part is not', async () => {
    const { answer } = await qa.qa.ask('安化契税补贴能补多少？去哪个窗口申请？');
    expect(answer.refused).toBe(false);
    expect(answer.text).toContain('50%');
  });
});
