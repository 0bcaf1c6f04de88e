/**
 * What real documents say about themselves, as the index records it when no manifest entry
 * names it: title, issuer, 文号, date, 施行日期 and 有效期, read from the file's own metadata and
 * text. Expected values are what each document states (tests/fixtures/dev-corpus; the 安阳,
 * 浙江 and 国办 texts of tests/fixtures/unseen).
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentIndexDir, readManifest, type DocumentRecord } from '../../core/index.ts';
import { cleanText, extractText, inferTitle, ingestKnowledge } from '../../ingest/index.ts';
import { RecordingEmbedder, fixture, tempDirs } from '../helpers/ingest.ts';
import { KNOWLEDGE_DIR, REPO_ROOT, UNSEEN_DIR } from '../helpers/paths.ts';

const DEV = path.join(REPO_ROOT, 'tests/fixtures/dev-corpus/dev');
const TEST = path.join(REPO_ROOT, 'tests/fixtures/dev-corpus/test');

const DOCUMENTS = [
  path.join(DEV, 'anhua-xian-fangdichan-goufang-butie-cuoshi-2022.html'),
  path.join(DEV, 'fuzhou-changle-rencai-goufang-butie-xize-2024.pdf'),
  path.join(DEV, 'guoxinban-zhongduan-shebei-zhilian-weixing-fuwu-guanli-guiding-2025.md'),
  path.join(TEST, 'beijing-kexue-jishu-jiangli-banfa-2025.docx'),
  path.join(TEST, 'caizhengbu-shuiwu-zongju-zhufang-zengzhishui-gonggao-2025.html'),
  path.join(TEST, 'dongguan-yijidu-kaimenhong-butie-cuoshi-2026.html'),
  path.join(TEST, 'guowuyuan-shisiwu-guojia-yingji-tixi-guihua-2021.md'),
  path.join(TEST, 'jiangxi-guojiaji-kaifaqu-chuangxin-tisheng-ruogan-yijian-2020.txt'),
  path.join(TEST, 'mingxi-xian-fangdichan-xiaofei-butie-cuoshi-2022.pdf'),
  path.join(TEST, 'shanghai-zhongdian-shiyanshi-jianshe-yunxing-guanli-banfa-2025.md'),
  path.join(UNSEEN_DIR, 'anyang-zhengwu-fuwu-tiaoli.txt'),
  path.join(UNSEEN_DIR, 'guobanfa-2019-6-rongzi-danbao.txt'),
  path.join(UNSEEN_DIR, 'zhejiang-zuiduo-paoyici-guiding.txt'),
  // A bundled document, without the manifest entry that names it in knowledge/.
  path.join(KNOWLEDGE_DIR, 'bohai-shuangchuang-shuangfu-2018.txt'),
];

/**
 * Before GB/T 9704-2012, 公文 dated their 落款 in Chinese numerals; no document of the corpus is
 * that old, so this one is written out.
 */
const OLD_STYLE_NOTICE = [
  '某某县人民政府办公室关于印发某某县就业补贴办法的通知',
  '某政办〔2009〕12号',
  '各乡镇人民政府，县直各单位：',
  '《某某县就业补贴办法》已经县政府同意，现印发给你们，请认真贯彻执行。',
  '某某县人民政府办公室',
  '二〇〇九年十月二十七日',
  '第一条 本办法自二〇〇九年十一月一日起施行，有效期两年。',
].join('\n');

const temp = tempDirs();
let records: Map<string, DocumentRecord>;

beforeAll(async () => {
  const root = await temp.make();
  const knowledgeDir = path.join(root, 'knowledge');
  await mkdir(knowledgeDir);
  for (const file of DOCUMENTS) await copyFile(file, path.join(knowledgeDir, path.basename(file)));
  await writeFile(path.join(knowledgeDir, 'old-style-notice.txt'), OLD_STYLE_NOTICE);
  const indexDir = path.join(root, 'index');
  await ingestKnowledge({ knowledgeDir, indexDir, embedder: new RecordingEmbedder(), maxFileBytes: 20 * 1024 * 1024 });
  records = new Map(readManifest(currentIndexDir(indexDir)!).documents.map((document) => [path.basename(document.file, path.extname(document.file)), document]));
}, 60_000);
afterAll(() => temp.cleanup());

const record = (name: string) => {
  const found = records.get(name);
  expect(found, name).toBeDefined();
  return found!;
};

describe('metadata from the documents themselves', () => {
  it('reads 文号, 落款 and date off a notice (明溪县, PDF with red masthead and page numbers)', () => {
    expect(record('mingxi-xian-fangdichan-xiaofei-butie-cuoshi-2022')).toMatchObject({
      title: '明溪县人民政府关于印发明溪县促进房地产市场平稳健康发展若干措施(修订)的通知',
      issuer: '明溪县人民政府',
      docNumber: '明政规〔2022〕6号',
      date: '2022-11-26',
    });
  });

  it('reads a joint notice’s issuers and its 施行 clause (终端设备直连卫星服务管理规定)', () => {
    expect(record('guoxinban-zhongduan-shebei-zhilian-weixing-fuwu-guanli-guiding-2025')).toMatchObject({
      issuer: expect.stringMatching(/^国家互联网信息办公室、国家发展和改革委员会、工业和信息化部、/),
      docNumber: '国信办发文〔2025〕1号',
      date: '2025-04-23',
      effectiveDate: '2025-06-01',
    });
  });

  it('reads a regulation’s 题注: enacting body, its 令 number, the latest revision (北京市科学技术奖励办法)', () => {
    expect(record('beijing-kexue-jishu-jiangli-banfa-2025')).toMatchObject({
      title: '北京市科学技术奖励办法',
      issuer: '北京市人民政府',
      docNumber: '北京市人民政府令第93号',
      date: '2025-12-05',
      effectiveDate: '2026-01-01',
    });
  });

  it('takes a local regulation’s date from its own 通过, not the province’s 批准 (安阳, 浙江)', () => {
    expect(record('anyang-zhengwu-fuwu-tiaoli')).toMatchObject({
      title: '安阳市政务服务条例',
      issuer: '安阳市人民代表大会常务委员会',
      date: '2021-08-30',
      effectiveDate: '2021-12-01',
    });
    expect(record('zhejiang-zuiduo-paoyici-guiding')).toMatchObject({
      issuer: '浙江省人民代表大会常务委员会',
      date: '2018-11-30',
      effectiveDate: '2019-01-01',
    });
  });

  it('reads 施行日期 and 有效期 as stated: a date, 自印发之日起, a period', () => {
    expect(record('anhua-xian-fangdichan-goufang-butie-cuoshi-2022')).toMatchObject({
      docNumber: '安政办发〔2022〕20号',
      date: '2022-09-27',
      effectiveDate: '2022-06-01',
      expiryDate: '2023-12-31',
      validity: '有效期至2023年12月31日止',
    });
    expect(record('shanghai-zhongdian-shiyanshi-jianshe-yunxing-guanli-banfa-2025')).toMatchObject({
      docNumber: '沪科规〔2025〕10号',
      effectiveDate: '2026-01-01',
      expiryDate: '2030-12-31',
      validity: '有效期至2030年12月31日',
    });
    // 本政策措施自印发之日起实施: in force from the date the notice bears.
    expect(record('dongguan-yijidu-kaimenhong-butie-cuoshi-2026')).toMatchObject({ date: '2026-01-27', effectiveDate: '2026-01-27', expiryDate: '2026-03-31' });
    expect(record('fuzhou-changle-rencai-goufang-butie-xize-2024')).toMatchObject({
      effectiveDate: '2023-06-27',
      expiryDate: '2026-06-27',
      validity: '实施期限为2023年6月27日-2026年6月27日',
    });
    expect(record('caizhengbu-shuiwu-zongju-zhufang-zengzhishui-gonggao-2025')).toMatchObject({
      docNumber: expect.stringMatching(/^财政部\s?税务总局公告2025年第17号$/),
      date: '2025-12-29',
      effectiveDate: '2026-01-01',
    });
  });

  it('records only what the text states (the 江西 .txt has its date but neither title nor 文号)', () => {
    const jiangxi = record('jiangxi-guojiaji-kaifaqu-chuangxin-tisheng-ruogan-yijian-2020');
    expect(jiangxi).toMatchObject({ date: '2020-03-06', title: 'jiangxi-guojiaji-kaifaqu-chuangxin-tisheng-ruogan-yijian-2020' });
    expect(jiangxi).not.toHaveProperty('docNumber');
    expect(jiangxi).not.toHaveProperty('effectiveDate');
    expect(record('guobanfa-2019-6-rongzi-danbao')).toMatchObject({ issuer: '国务院办公厅', docNumber: '国办发〔2019〕6号', date: '2019-01-22' });
  });

  it('reads a 文号 in square brackets and the 落款 of a page saved as text (渤海新区)', () => {
    expect(record('bohai-shuangchuang-shuangfu-2018')).toMatchObject({
      title: '沧州渤海新区管理委员会关于印发《沧州渤海新区2018年开展“双创双服”活动的实施意见》的通知',
      issuer: '沧州渤海新区管理委员会',
      docNumber: '渤新管字[2018]168号',
      date: '2018-04-20',
    });
  });

  it('reads dates written in Chinese numerals and a 有效期 given as a length', () => {
    expect(record('old-style-notice')).toMatchObject({
      title: '某某县人民政府办公室关于印发某某县就业补贴办法的通知',
      issuer: '某某县人民政府办公室',
      docNumber: '某政办〔2009〕12号',
      date: '2009-10-27',
      effectiveDate: '2009-11-01',
      validity: '有效期两年',
    });
  });
});

describe('inferTitle on real texts', () => {
  async function titleOf(file: string): Promise<string> {
    const { text } = await extractText(readFileSync(file), path.basename(file));
    return inferTitle(cleanText(text), file);
  }

  it('skips page furniture, 索引号 tables, 附件 labels, mastheads and 文号', async () => {
    expect(await titleOf(path.join(DEV, 'anhua-xian-fangdichan-goufang-butie-cuoshi-2022.html'))).toBe('印发《关于促进安化县房地产市场平稳健康发展的若干政策措施》的通知');
    expect(await titleOf(path.join(DEV, 'fuzhou-changle-rencai-goufang-butie-xize-2024.pdf'))).toMatch(/^“好年华\s?聚福州”长乐区人才购房补贴的实施细则（试行）$/);
    expect(await titleOf(path.join(TEST, 'mingxi-xian-fangdichan-xiaofei-butie-cuoshi-2022.pdf'))).toBe('明溪县人民政府关于印发明溪县促进房地产市场平稳健康发展若干措施(修订)的通知');
  });

  it('puts a title broken over lines back together', async () => {
    expect(await titleOf(path.join(DEV, 'anhui-cujin-xiaofei-ruogan-cuoshi-2022.docx'))).toBe('关于印发进一步做好近期促进消费工作若干措施的通知');
    expect(await titleOf(path.join(DEV, 'pingtan-guquan-touzi-qiye-zhongdian-jiance-cailiao-qingdan-2021.docx'))).toBe('平潭综合实验区股权投资类企业申请纳入重点监测对象的材料清单');
  });

  it('titles a notice that issues a document by the notice, over a bare Markdown # and front matter', () => {
    const raw = (file: string) => readFileSync(path.join(TEST, file), 'utf8');
    // The crawler's # heading names only the plan; the document is the 国务院 notice.
    expect(inferTitle(cleanText(raw('guowuyuan-shisiwu-guojia-yingji-tixi-guihua-2021.md')), 'x.md')).toBe('国务院关于印发“十四五”国家应急体系规划的通知');
    expect(inferTitle(cleanText(raw('shanghai-zhongdian-shiyanshi-jianshe-yunxing-guanli-banfa-2025.md')), 'x.md')).toBe('关于印发《上海市重点实验室建设与运行管理办法》的通知');
  });

  it('takes the last crumb of a breadcrumb when the page has no title line, and the file name when the text has no title', async () => {
    expect(await titleOf(path.join(TEST, 'beijing-gangshebu-butie-jingban-guicheng-wenda-undated.html'))).toBe('《用人单位岗位补贴和社会保险补贴经办规程（试行）》相关问答');
    expect(inferTitle(cleanText(readFileSync(fixture('beijing-kexue-jishu-jiangli-banfa-2025.unnumbered.txt'), 'utf8')), 'x.txt')).toBe('北京市科学技术奖励办法');
    expect(await titleOf(path.join(TEST, 'jiangxi-guojiaji-kaifaqu-chuangxin-tisheng-ruogan-yijian-2020.txt'))).toBe('jiangxi-guojiaji-kaifaqu-chuangxin-tisheng-ruogan-yijian-2020');
  });
});
