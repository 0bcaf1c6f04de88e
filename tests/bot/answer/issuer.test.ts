// 哪个部门发的 asks who issued the document: its card (发布机关：…) or cover letter (关于印发…)
// answers, not a passage that merely names some unit (复印件需经区行政审批局盖章).
import { describe, expect, it } from 'vitest';
import { assessEvidence } from '../../../bot/answer/index.ts';
import { analyzeQuery, loadDefaultLexicon } from '../../../bot/retrieval/index.ts';
import { passagesOf, type Excerpt } from './fixtures.ts';

// From tests/fixtures/dev-corpus/dev/pingtan-guquan-touzi-qiye-zhongdian-jiance-cailiao-qingdan-2021.docx.
const MATERIALS: Excerpt = {
  docId: 'pingtan-guquan-touzi-qiye-zhongdian-jiance-cailiao-qingdan-2021.docx',
  title: '平潭综合实验区股权投资类企业申请纳入重点监测对象的材料清单',
  text: '3.平潭综合实验区股权投资类企业纳入重点监测对象的《场所使用证明》复印件，复印件需经区行政审批局盖章；',
};

const WITH_COVER_LETTER: Excerpt = {
  ...MATERIALS,
  text: `平潭综合实验区金融管理局关于印发《平潭综合实验区股权投资类企业申请纳入重点监测对象的材料清单》的通知\n\n${MATERIALS.text}`,
};

const lexicon = loadDefaultLexicon();
const QUESTION = '平潭股权投资类企业纳入重点监测对象的材料清单是哪个部门发布的？';

const answerable = (excerpt: Excerpt) => {
  const { retrieved, stats } = passagesOf([excerpt]);
  return assessEvidence(analyzeQuery(QUESTION, lexicon), retrieved, stats).answerable;
};

describe('who issued a document', () => {
  it('is asked as the issuer, not as any department', () => {
    expect(analyzeQuery(QUESTION, lexicon).asks).toEqual(['issuer']);
    expect(analyzeQuery('平潭股权投资类企业纳入重点监测由哪个部门负责？', lexicon).asks).toEqual(['department']);
  });

  it('is not answered by a passage that only names another unit', () => {
    expect(answerable(MATERIALS)).toBe(false);
  });

  it('is answered by the cover letter that issues it', () => {
    expect(answerable(WITH_COVER_LETTER)).toBe(true);
  });
});
