// Word, Markdown, PDF and text files as admins upload them: the real documents of
// tests/fixtures/dev-corpus/ (true titles, issuers, 文号 and dates from shared/dev-corpus/README.md).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { chunkDocument, cleanText, inferTitle } from '../../../ingest/index.ts';
import { extractText } from '../../../ingest/load/index.ts';
import { REPO_ROOT } from '../../helpers/paths.ts';

const corpus = (half: 'dev' | 'test', name: string) => path.join(REPO_ROOT, 'tests/fixtures/dev-corpus', half, name);
const loaded = new Map<string, ReturnType<typeof extractText>>();
/** Each document is read once: the PDFs take a second or more. */
function load(half: 'dev' | 'test', name: string): ReturnType<typeof extractText> {
  const key = `${half}/${name}`;
  if (!loaded.has(key)) loaded.set(key, extractText(readFileSync(corpus(half, name)), name));
  return loaded.get(key)!;
}

describe('Word (.docx)', () => {
  it.each([
    ['dev', 'anhui-cujin-xiaofei-ruogan-cuoshi-2022.docx', '关于印发进一步做好近期促进消费工作若干措施的通知'],
    ['dev', 'pingtan-guquan-touzi-qiye-zhongdian-jiance-cailiao-qingdan-2021.docx', '平潭综合实验区股权投资类企业申请纳入重点监测对象的材料清单'],
    ['test', 'beijing-kexue-jishu-jiangli-banfa-2025.docx', '北京市科学技术奖励办法'],
  ] as const)('titles %s/%s from its title lines (two centred lines joined; dc:title is empty)', async (half, name, title) => {
    const { metadata, format } = await load(half, name);
    expect(format).toBe('docx');
    expect(metadata?.title).toBe(title);
  });

  it('reads the 安徽 notice body, its 落款 left for ingest to read from the text', async () => {
    const { metadata, text } = await load('dev', 'anhui-cujin-xiaofei-ruogan-cuoshi-2022.docx');
    expect(metadata).toEqual({ title: '关于印发进一步做好近期促进消费工作若干措施的通知' });
    const cleaned = cleanText(text);
    expect(cleaned).toContain('一、加强民生商品保供稳价。加强节日应急价格监测');
    expect(cleaned).toContain('省完善促进消费体制机制厅际联席会议（代章）\n2022年1月26日');
  });

  it('writes the 平潭 材料清单 tables as rows, kept whole by the chunker', async () => {
    const { text } = await load('dev', 'pingtan-guquan-touzi-qiye-zhongdian-jiance-cailiao-qingdan-2021.docx');
    const lines = text.split('\n');
    expect(lines).toContain('| 页签序号 | 页签名称 | 序号 | 申请材料名称 | 特殊适用情形说明 | 内容要求 | 签章要求 |');
    // The first cells are merged down from 机构基本信息's row: blank, so 序号 stays in its column.
    expect(lines).toContain('|  |  | 2 | 公司章程/合伙协议 |  | 管理人的公司章程/合伙协议约定事项如有变更，可提交章程修正案/补充合伙协议，或提交最新修订的章程/合伙协议。 | 复印件需加盖申请机构公章，多页加盖骑缝章。 |');
    expect(lines.filter((line) => line.startsWith('|')).length).toBeGreaterThan(10);
    expect(lines).not.toContain('页签序号');
    const chunks = chunkDocument('pingtan.docx', cleanText(text));
    const table = chunks.find((chunk) => chunk.kind === 'table' && chunk.text.includes('| 2 | 机构基本信息 | 1 | 承诺函 |'));
    expect(table?.text).toContain('| 页签序号 | 页签名称 |');
    expect(cleanText(text)).toContain('1.承诺书（附件1,承诺人处法人代表或委派代表签字并加盖公章）；');
  });

  it('keeps the 第X章 and 第X条 numbers Word draws from its numbering definitions', async () => {
    const { text } = await load('test', 'beijing-kexue-jishu-jiangli-banfa-2025.docx');
    expect(text).toMatch(/^第一章 总则$/m);
    expect(text).toMatch(/^第五章 附则$/m);
    expect(text).toMatch(/^第六条\s+本市设立市科学技术奖励委员会（以下简称奖励委员会）。/m);
    const chunks = chunkDocument('beijing.docx', cleanText(text));
    const article = chunks.find((chunk) => chunk.text.includes('本市设立市科学技术奖励委员会'));
    expect(article?.headings).toEqual(['第一章 总则', '第六条']);
  });
});

/** A minimal .docx: centred first paragraph, a body paragraph, and `title` as dc:title. */
async function makeDocx(title: string): Promise<Buffer> {
  const w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
  const paragraph = (text: string, centred = false) => `<w:p>${centred ? '<w:pPr><w:jc w:val="center"/></w:pPr>' : ''}<w:r><w:t>${text}</w:t></w:r></w:p>`;
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>');
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
      '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
      '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>',
  );
  zip.file('word/document.xml', `<?xml version="1.0"?><w:document ${w}><w:body>${paragraph('某某市优化营商环境若干措施', true)}${paragraph('第一条 为了优化营商环境，制定本措施。')}</w:body></w:document>`);
  zip.file('docProps/core.xml', `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>${title}</dc:title></cp:coreProperties>`);
  return zip.generateAsync({ type: 'nodebuffer' });
}

describe('Word (.docx) core properties', () => {
  it.each([
    ['a dc:title the text bears out', '优化营商环境若干措施', '优化营商环境若干措施'],
    ['a placeholder dc:title', 'Microsoft Word 文档', '某某市优化营商环境若干措施'],
    ['a file name as dc:title', '新建文件.docx', '某某市优化营商环境若干措施'],
    ['a dc:title left over from another document', '关于做好春节期间安全生产工作的通知', '某某市优化营商环境若干措施'],
  ])('takes the title from %s', async (_, coreTitle, expected) => {
    const { metadata, text } = await extractText(await makeDocx(coreTitle), 'measures.docx');
    expect(metadata?.title).toBe(expected);
    expect(cleanText(text)).toBe('某某市优化营商环境若干措施\n第一条 为了优化营商环境，制定本措施。');
  });
});

describe('Markdown (.md) from crawlers', () => {
  it.each([
    ['dev', 'guoxinban-zhongduan-shebei-zhilian-weixing-fuwu-guanli-guiding-2025.md', { title: '终端设备直连卫星服务管理规定', issuer: expect.stringMatching(/^国家互联网信息办公室、/), date: '2025-04-23' }],
    ['dev', 'shanghai-minying-jingji-ruogan-cuoshi-wenda-shilu-2025.md', { title: '问答实录：《新时代新征程促进民营经济高质量发展的若干措施》相关情况', issuer: '上海市科学技术委员会', date: '2025-04-21' }],
    // The crawler's heading is the bare 事由; the notice names itself in full under 政策全文.
    // **发布机构** is empty; the 落款 under the notice names 国务院.
    ['test', 'guowuyuan-shisiwu-guojia-yingji-tixi-guihua-2021.md', { title: '国务院关于印发“十四五”国家应急体系规划的通知', issuer: '国务院', date: '2021-12-30' }],
    // **发布日期**: 2025-12-29 is the posting; the notice is dated 2025年12月26日 (its 成文日期).
    ['test', 'shanghai-zhongdian-shiyanshi-jianshe-yunxing-guanli-banfa-2025.md', { title: '关于印发《上海市重点实验室建设与运行管理办法》的通知', issuer: '上海市科学技术委员会', date: '2025-12-26' }],
  ] as const)('reads %s/%s: title, issuer and date', async (half, name, expected) => {
    const { metadata, format } = await load(half, name);
    expect(format).toBe('utf-8');
    expect(metadata).toEqual(expected);
  });

  it('prefers the 落款 to a month-only 发布日期 and a cut-short 发布机构', async () => {
    // **发布日期**: 2025年4月, **发布机构**: 国家互联网信息办; the notice is signed by seven bodies on 2025年4月23日.
    const { metadata } = await load('dev', 'guoxinban-zhongduan-shebei-zhilian-weixing-fuwu-guanli-guiding-2025.md');
    expect(metadata?.date).toBe('2025-04-23');
    expect(metadata?.issuer).toMatch(/^国家互联网信息办公室、国家发展和改革委员会、工业和信息化部、.*国家广播电视总局$/);
  });

  it('turns the crawler furniture into metadata, not text', async () => {
    for (const [half, name] of [
      ['dev', 'shanghai-minying-jingji-ruogan-cuoshi-wenda-shilu-2025.md'],
      ['test', 'shanghai-zhongdian-shiyanshi-jianshe-yunxing-guanli-banfa-2025.md'],
      ['test', 'guowuyuan-shisiwu-guojia-yingji-tixi-guihua-2021.md'],
    ] as const) {
      const { text } = await load(half, name);
      expect(text).not.toMatch(/发布日期|发布机构|原文链接|检索时间|检索关键词|更新时间|\*\*|^#/m);
    }
  });

  it('makes headings plain lines the chunker recognises, with the body intact', async () => {
    const { text } = await load('test', 'shanghai-zhongdian-shiyanshi-jianshe-yunxing-guanli-banfa-2025.md');
    expect(text.split('\n')[0]).toBe('关于印发《上海市重点实验室建设与运行管理办法》的通知');
    const cleaned = cleanText(text);
    expect(cleaned).toContain('第二条 重点实验室是本市高水平科技力量的重要组成部分');
    const chunks = chunkDocument('shanghai.md', cleaned);
    const headings = chunks.find((chunk) => chunk.text.includes('第六条 上海市科学技术委员会'))?.headings;
    expect(headings?.[0]).toMatch(/^第二章 职\s?责$/);
    expect(headings?.[1]).toBe('第六条');
  });

  it('reads front matter and comments as metadata, tables as rows, links as their text', async () => {
    const markdown = [
      '---',
      'title: 关于优化企业开办服务的通知',
      'source: https://example.gov.cn/a.html',
      '---',
      '<!-- 发文字号: 示政发〔2024〕3号 -->',
      '<!-- 发布日期: 2024年3月5日 -->',
      '',
      '# 企业开办',
      '',
      '**来源**：示例市人民政府办公室',
      '',
      '## 一、办理时限',
      '',
      '企业开办*全程*网上办理，详见[政务服务网](https://zwfw.example.gov.cn)。',
      '',
      '| 事项 | 时限 |',
      '| --- | --- |',
      '| 营业执照 | 0.5个工作日 |',
      '| 公章刻制 | **1**个工作日 |',
    ].join('\n');
    const { text, metadata } = await extractText(Buffer.from(markdown), 'notice.md');
    expect(metadata).toEqual({ title: '关于优化企业开办服务的通知', issuer: '示例市人民政府办公室', docNumber: '示政发〔2024〕3号', date: '2024-03-05' });
    expect(text).not.toMatch(/<!--|-->|来源|source|---|\*|#/);
    const cleaned = cleanText(text);
    expect(cleaned).toContain('一、办理时限');
    expect(cleaned).toContain('企业开办全程网上办理，详见政务服务网。');
    expect(cleaned).toContain('| 事项 | 时限 |\n| 营业执照 | 0.5个工作日 |\n| 公章刻制 | 1个工作日 |');
  });
});

describe('PDF', () => {
  it.each([
    ['dev', 'fuzhou-changle-rencai-goufang-butie-xize-2024.pdf', '“好年华 聚福州”长乐区人才购房补贴的实施细则（试行）'],
    ['dev', 'jiangxi-touzi-xiangmu-rongque-shenpi-chengnuozhi-qingdan-2020.pdf', '江西省投资项目“容缺审批+承诺制”办理模式事项清单'],
    ['test', 'mingxi-xian-fangdichan-xiaofei-butie-cuoshi-2022.pdf', '明溪县人民政府关于印发明溪县促进房地产市场平稳健康发展若干措施(修订)的通知'],
  ] as const)('titles %s/%s from the large type at the head of page 1', async (half, name, title) => {
    const { metadata, format } = await load(half, name);
    expect(format).toBe('pdf');
    expect(metadata?.title).toBe(title);
  });

  it('reads the 明溪 notice: 文号 under the masthead, body in reading order without page numbers', async () => {
    const { text, metadata } = await load('test', 'mingxi-xian-fangdichan-xiaofei-butie-cuoshi-2022.pdf');
    expect(metadata).toEqual({ title: '明溪县人民政府关于印发明溪县促进房地产市场平稳健康发展若干措施(修订)的通知', docNumber: '明政规〔2022〕6号' });
    const lines = text.split('\n');
    expect(lines[0]).toBe('明溪县人民政府文件');
    expect(lines).not.toContain('- 1 -');
    expect(text).not.toMatch(/^-\s*\d+\s*-$/m);
    const cleaned = cleanText(text);
    expect(cleaned).toContain('本文件实施期内购房消费补贴总额不超过 1000 万元。');
    expect(cleaned).toContain('附件：住房消费补贴申请需提供的材料和发放流程');
  });

  it('rebuilds the wide 江西 事项清单 table as rows, a row’s cells on one line', async () => {
    // Its trailer's /EncryptType (a font stream key) once made it look password-protected.
    const { text } = await load('dev', 'jiangxi-touzi-xiangmu-rongque-shenpi-chengnuozhi-qingdan-2020.pdf');
    const lines = text.split('\n');
    const header = '| 序号 | 事项名称 | 事项类别 | 事项办理项目范围 | 材料序号 | 申请材料 | 材料提供适用情形 | 材料类型 |';
    // The header is repeated on each of the 24 pages; the text keeps it once.
    expect(lines.filter((line) => line === header)).toHaveLength(1);
    expect(lines).toContain('| 1 | 企业投资项目核准 | 行政许可 | 《政府核准的投资项目目录(江西省)》(按最新版本执行,当前执行版本为2017年本,见赣府发〔2017〕7号文)中的项目需办理 | 1 | 项目申请报告 |  | 主审材料 |');
    expect(lines).toContain('|  |  |  |  | 2 | 建设项目用地预审与选址意见书 | 涉及划拨用地、新增建设用地的建设项目 | 主审材料(可用容缺审批初审意见或同意开展相关前期工作的函件替代) |');
    expect(lines.filter((line) => line.startsWith('|')).length).toBeGreaterThan(200);
    // No cell fragments: every line is a row or one of the two title lines.
    expect(lines.filter((line) => !line.startsWith('|'))).toEqual(['附件1', '江西省投资项目“容缺审批+承诺制”办理模式事项清单']);
    const chunks = chunkDocument('jiangxi.pdf', cleanText(text));
    expect(chunks.some((chunk) => chunk.kind === 'table' && chunk.text.includes('| 23 | 洪水影响评价审批 | 行政许可 |'))).toBe(true);
  });

  it('reads the 长乐 细则 and its application forms', async () => {
    const { text } = await load('dev', 'fuzhou-changle-rencai-goufang-butie-xize-2024.pdf');
    const cleaned = cleanText(text);
    expect(cleaned).toContain('6 型保障对象：全日制大专学历毕业生、初级职称专业技术人才。');
    expect(text.split('\n')).toContain('| 序号 | 姓名 | 性别 | 身份证号码 | 人才类别 | 学历 | 毕业院校 | 职称 | 劳动合同起止时间 | 社保缴交起止时间 | 联系方式 | 婚姻状况 | 与申请人关系 |');
  });
});

describe('plain text (.txt)', () => {
  it('leaves the title of the 江西 意见 (which has no title line) to ingest, and keeps its text as is', async () => {
    const name = 'jiangxi-guojiaji-kaifaqu-chuangxin-tisheng-ruogan-yijian-2020.txt';
    const { text, metadata, format } = await load('test', name);
    expect(format).toBe('utf-8');
    expect(text).toBe(readFileSync(corpus('test', name), 'utf8'));
    expect(metadata).toBeUndefined();
    expect(inferTitle(cleanText(text), name)).toBe('jiangxi-guojiaji-kaifaqu-chuangxin-tisheng-ruogan-yijian-2020');
  });
});
