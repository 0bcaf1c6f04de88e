// The 8 saved government web pages of the dev corpus, read through extractText as admins upload
// them: the article whole, the portal around it gone, and the page's own title, 文号 and date
// (true values from shared/dev-corpus/README.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractText } from '../../../ingest/load/index.ts';
import { REPO_ROOT } from '../../helpers/paths.ts';

const corpus = (half: 'dev' | 'test', name: string) => path.join(REPO_ROOT, 'tests/fixtures/dev-corpus', half, name);

interface Page {
  file: string;
  half: 'dev' | 'test';
  title: string;
  /** The README's title when the page's own is longer (the issuers before 关于). */
  readmeTitle?: string;
  issuer?: string;
  docNumber?: string;
  date?: string;
  /** Furniture strings that are in the raw page. */
  furniture: string[];
  /** Sentences of the article. */
  body: string[];
}

const PAGES: Page[] = [
  {
    file: 'anhua-xian-fangdichan-goufang-butie-cuoshi-2022.html',
    half: 'dev',
    title: '印发《关于促进安化县房地产市场平稳健康发展的若干政策措施》的通知',
    issuer: '安化县人民政府办公室',
    docNumber: '安政办发〔2022〕20号',
    date: '2022-09-27',
    furniture: ['当前位置', '扫一扫在手机打开当前页', '责任编辑', '相关文档', '索引号', '50000007/2022-1663341', '浏览量'],
    body: [
      '各乡镇人民政府，县人民政府有关局办、直属机构，有关垂直管理单位：',
      '一、实行契税补贴。在安化县境内购买新建商品住房的购房人',
      '由财政部门按其所缴纳契税的50%对购房人予以补贴。',
      '十三、整治房地产市场秩序。',
      '本政策措施自2022年6月1日起实行，有效期至2023年12月31日止。',
    ],
  },
  {
    file: 'bazhong-enyang-qu-wenzhu-jingji-zengzhang-zhengce-cuoshi-2022.html',
    half: 'dev',
    title: '巴中市恩阳区人民政府关于印发《巴中市恩阳区进一步扎实稳住经济增长若干政策措施》的通知',
    issuer: '巴中市恩阳区人民政府',
    date: '2022-07-25',
    furniture: ['begin-->', 'end-->', 'Produced By', '大汉版通发布系统', '浏览次数', '服务资讯', 'col44571'],
    body: [
      '现将《巴中市恩阳区进一步扎实稳住经济增长若干政策措施》印发给你们，请结合实际认真贯彻执行。',
      '1.全面落实增值税留抵退税政策。',
      '十、强化统筹协调',
      '80.加大政策宣传力度。通过政府门户网站、公众号、电视广播等信息媒介',
    ],
  },
  {
    file: 'beijing-youhua-yingshang-huanjing-tiaoli-2024.html',
    half: 'dev',
    title: '北京市优化营商环境条例',
    issuer: '北京市人民代表大会常务委员会',
    date: '2024-11-29',
    furniture: ['历史版本', '（2022年版历史版本）', '您访问的链接即将离开', '放弃', '字号：'],
    body: [
      '2024年11月29日北京市第十六届人民代表大会常务委员会第十三次会议第一次修订',
      '第一条　为了持续优化营商环境，推进首都治理体系和治理能力现代化',
      '第九十四条　本条例自公布之日起施行。',
    ],
  },
  {
    file: 'cixi-baozhangxing-zulin-zhufang-yunying-jiangbu-2023.html',
    half: 'dev',
    title: '慈溪市住房和城乡建设局 慈溪市财政局关于印发《慈溪市保障性租赁住房运营奖补实施细则（试行）》的通知',
    readmeTitle: '关于印发《慈溪市保障性租赁住房运营奖补实施细则（试行）》的通知',
    issuer: '慈溪市住房和城乡建设局、慈溪市财政局',
    docNumber: '慈住建〔2023〕36号',
    date: '2023-04-21',
    furniture: ['索引号', '11330282002976461L/2023-175371', '【顶部】', '政策解读（文字版）', '分享到', '慈溪市政府信息公开'],
    body: [
      '各镇人民政府、街道办事处，各产业平台：',
      '一、申请主体条件',
      '已在我市工商注册并已办理税务登记，具有独立法人资格的企业（不含前湾新区所辖企业）',
      '2.市房管中心按国库集中支付流程进行资金拨付。',
    ],
  },
  {
    file: 'beijing-gangshebu-butie-jingban-guicheng-wenda-undated.html',
    half: 'test',
    title: '《用人单位岗位补贴和社会保险补贴经办规程（试行）》相关问答',
    issuer: '北京市人力资源和社会保障局',
    furniture: ['您访问的链接即将离开', '放弃', '《关于做好北京市建筑业工伤保险相关工作的补充通知》相关问答', '政策问答'],
    body: [
      // Readability keeps only the longest answer of this page: the whole Q&A comes from the fallback.
      '制定背景是什么？',
      '为贯彻习近平总书记关于社保基金安全的重要指示批示精神',
      '主要内容有哪些？',
      '申请岗社补的用人单位范围有哪些？',
      '用人单位招用哪些人员可以申请享受岗社补？',
      '用人单位申请享受岗社补的要求有哪些？',
      '用人单位如何申请岗社补？',
      '招用补贴对象后多长时间可以提出申请？',
      '用人单位申请信息通过系统比对后，还需要提交哪些纸质材料？',
      '（六）上述材料提交一份，复印件注明“与原件一致”，每页加盖公章。',
    ],
  },
  {
    file: 'caizhengbu-shuiwu-zongju-zhufang-zengzhishui-gonggao-2025.html',
    half: 'test',
    title: '财政部 税务总局关于个人销售住房增值税政策的公告',
    issuer: '财政部、税务总局',
    docNumber: '财政部 税务总局公告2025年第17号',
    date: '2025-12-29',
    furniture: ['本站热词', '网站地图', '热门关键词', '当前位置', '国家税务总局税务干部学院', 'ICP备', '用户登录', '扫一扫在手机打开当前页', '语音播报'],
    body: [
      '现将个人销售住房增值税政策公告如下：',
      '个人将购买2年以上（含2年）的住房对外销售的，免征增值税。',
      '特此公告。',
      '2025年12月29日',
    ],
  },
  {
    file: 'dongguan-yijidu-kaimenhong-butie-cuoshi-2026.html',
    half: 'test',
    title: '东莞市发展和改革局关于印发《关于奋力实现一季度经济“开门红”的若干措施》的通知',
    issuer: '东莞市发展和改革局',
    date: '2026-01-27',
    furniture: ['搜索位置', '高级搜索', '无障碍', '网站标识码', '浏览次数', '【打印】', '索引号', '东莞市发展和改革局政府信息公开', '下载文字版'],
    body: [
      '各镇人民政府（街道办事处、园区管委会）、市府直属各有关单位：',
      '一、支持企业稳产增产。',
      '每家企业最高补贴30万元。',
      '九、保持政务服务不打烊。',
      '本政策措施自印发之日起实施，有效期至2026年3月31日。',
    ],
  },
  {
    file: 'suzhou-anhui-fangdichan-cuoshi-banli-liucheng-2022.html',
    half: 'test',
    title: '关于贯彻执行《关于促进房地产市场平稳健康发展的若干措施》的实施细则',
    issuer: '宿州市房管中心',
    date: '2022-08-16',
    furniture: ['您当前的位置', '网站地图', '加入收藏', 'ICP备', '主办单位', '打印本页', '阅读：'],
    body: [
      '确保各项惠民惠企措施落实到位，特制定如下实施细则。',
      '2. 受理。行政审批服务窗口进行初审，符合条件的，在0.5个工作日内转交建筑规划科进行审查。',
      '本实施细则自发布之日起施行，有效期与《若干措施》一致。',
    ],
  },
];

/** The page as a browser shows it: the text to look for furniture in (tags and scripts aside). */
function rawText(bytes: Buffer): string {
  let html: string;
  try {
    html = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    html = new TextDecoder('gb18030').decode(bytes);
  }
  return html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, '');
}

const compact = (text: string) => text.replace(/\s+/g, '');

describe('saved government web pages (dev corpus)', () => {
  it.each(PAGES)('$file: the article whole, the portal gone, the page metadata found', async (page) => {
    const bytes = readFileSync(corpus(page.half, page.file));
    const { text, metadata } = await extractText(bytes, page.file);

    expect(metadata?.title).toBe(page.title);
    if (page.readmeTitle) expect(page.title.endsWith(page.readmeTitle)).toBe(true);
    expect(text.split('\n')[0]).toBe(page.title);
    expect(metadata?.docNumber).toBe(page.docNumber);
    expect(metadata?.date).toBe(page.date);
    expect(metadata?.issuer).toBe(page.issuer);

    const raw = rawText(bytes);
    for (const furniture of page.furniture) {
      expect(raw.includes(furniture), `the raw page has ${furniture}`).toBe(true);
      expect(text.includes(furniture), `furniture left in the text: ${furniture}`).toBe(false);
    }
    for (const sentence of page.body) expect(compact(text)).toContain(compact(sentence));
    // The info tables (索引号, 发布机构, 文号…) are metadata, not table rows.
    expect(text).not.toMatch(/^\| *(索引号|发布机构|文号)/m);
  });

  it('keeps every numbered measure of the longest page (恩阳区, 80 measures)', async () => {
    const file = 'bazhong-enyang-qu-wenzhu-jingji-zengzhang-zhengce-cuoshi-2022.html';
    const { text } = await extractText(readFileSync(corpus('dev', file)), file);
    const measures = [...text.matchAll(/^(\d+)\.\S/gm)].map((match) => Number(match[1]));
    expect(measures).toEqual(Array.from({ length: 80 }, (_, index) => index + 1));
  });

  it('keeps all 94 articles and 6 chapters of the 北京 regulation', async () => {
    const file = 'beijing-youhua-yingshang-huanjing-tiaoli-2024.html';
    const { text } = await extractText(readFileSync(corpus('dev', file)), file);
    expect(text.match(/^\s*第[一二三四五六七八九十百]+条　/gm)).toHaveLength(94);
    // Each chapter heading twice: in the 目录 and above its articles.
    expect(text.match(/^\s*第[一二三四五六]章　/gm)).toHaveLength(12);
  });

  it('decodes the GB2312 page (安化) by its declared charset', async () => {
    const file = 'anhua-xian-fangdichan-goufang-butie-cuoshi-2022.html';
    const bytes = readFileSync(corpus('dev', file));
    expect(bytes.subarray(0, 200).toString('latin1')).toContain('charset="gb2312"');
    const { text, format } = await extractText(bytes, file);
    expect(format).toBe('html/gb18030');
    expect(text).toContain('安化县人民政府办公室');
    expect(text).not.toContain('\ufffd');
  });

  it.each([
    ['dev', 'cixi-baozhangxing-zulin-zhufang-yunying-jiangbu-2023.html', '。</p>'],
    ['test', 'dongguan-yijidu-kaimenhong-butie-cuoshi-2026.html', '特制定以下措施。</p>'],
    // The Q&A page goes through the fallback container, not Readability.
    ['test', 'beijing-gangshebu-butie-jingban-guicheng-wenda-undated.html', '具体条件详见《岗社补招用人员类型表》。</p>'],
  ] as const)('keeps a table inside the article of %s/%s as `| a | b |` rows', async (half, file, anchor) => {
    const html = readFileSync(corpus(half, file), 'utf8');
    expect(html).toContain(anchor);
    const table = '<table><caption>表1 补贴标准</caption><tr><th>类别</th><th>标准</th></tr><tr><td>新增就业</td><td>最高30万元</td></tr></table>';
    // Labels side by side in a header row: the document's own table, not the page's info table.
    const listing = '<table><tr><th>文件名称</th><th>文号</th><th>发布日期</th></tr><tr><td>关于做好春节期间保供稳价工作的通知</td><td>东发改〔2026〕1号</td><td>2026-01-05</td></tr></table>';
    const { text, metadata } = await extractText(Buffer.from(html.replace(anchor, `${anchor}${table}${listing}`)), file);
    expect(text).toContain('表1 补贴标准\n| 类别 | 标准 |\n| 新增就业 | 最高30万元 |');
    expect(text).toContain('| 文件名称 | 文号 | 发布日期 |\n| 关于做好春节期间保供稳价工作的通知 | 东发改〔2026〕1号 | 2026-01-05 |');
    expect(metadata?.docNumber).not.toBe('东发改〔2026〕1号');
  });
});

describe('declared charsets', () => {
  /** 第一條 本辦法適用於全市，申請人應於三十日內提出申請。 in Big5 (Python's big5 codec). */
  const BIG5_SENTENCE = Buffer.from('b2c4a440b1f820a5bbbfecaa6bbe41a5cea9f3a5fea5aba141a5d3bdd0a448c0b3a9f3a454a451a4e9a4bab4a3a558a5d3bdd0a143', 'hex');
  const page = (head: string, body: Buffer) => Buffer.concat([Buffer.from(`<html><head>${head}</head><body><p>`), body, Buffer.from('</p></body></html>')]);

  it('honours an http-equiv Content-Type charset that sniffing would misread (Big5 is not GB18030)', async () => {
    const { text, format } = await extractText(page('<meta http-equiv="Content-Type" content="text/html; charset=big5">', BIG5_SENTENCE), 'big5.html');
    expect(format).toBe('html/big5');
    expect(text).toContain('第一條 本辦法適用於全市，申請人應於三十日內提出申請。');
  });

  it('honours <meta charset>', async () => {
    const { text } = await extractText(page('<meta charset="BIG5">', BIG5_SENTENCE), 'big5.html');
    expect(text).toContain('本辦法適用於全市');
  });

  it('reads a page re-saved as UTF-8 that still declares gb2312 as UTF-8', async () => {
    const { text, format } = await extractText(page('<meta charset="gb2312">', Buffer.from('第一条 本办法适用于全市，申请人应于三十日内提出申请。')), 'resaved.html');
    expect(format).toBe('html/utf-8');
    expect(text).toContain('第一条 本办法适用于全市，申请人应于三十日内提出申请。');
  });
});
