import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chunkDocument, cleanText, inferTitle, extractText, isSupportedFile } from '../../../ingest/index.ts';
import { fixture, makePdf } from '../../helpers/ingest.ts';

describe('extractText', () => {
  it('reads the 安阳 .docx with its 第X条 clauses', async () => {
    const { text, format } = await extractText(readFileSync(fixture('anyang-zhengwu-fuwu-tiaoli.docx')), 'anyang.docx');
    expect(format).toBe('docx');
    expect(text).toContain('安阳市政务服务条例');
    expect(text).toMatch(/第一条\s*为了规范政务服务行为/);
    expect(text).toContain('第二条 本市行政区域内的政务服务工作，适用本条例。');
    expect(inferTitle(cleanText(text), 'anyang.docx')).toBe('安阳市政务服务条例');
    const chunks = chunkDocument('anyang.docx', cleanText(text));
    expect(chunks.some((chunk) => chunk.headings.some((heading) => heading.startsWith('第一条')))).toBe(true);
  });

  it('strips navigation, breadcrumbs and page tools from an .html page and keeps tables as rows', async () => {
    const { text, format } = await extractText(readFileSync(fixture('policy-page.html')), 'page.html');
    expect(format).toBe('html/utf-8');
    expect(text).not.toContain('办事服务'); // only in <nav>
    expect(text).not.toContain('pageViews'); // <script>
    expect(text).not.toContain('font-size'); // <style>
    const cleaned = cleanText(text);
    expect(cleaned).not.toMatch(/您现在的位置|字体|打印|保护视力色|阅读次数/);
    expect(cleaned).toContain('关于进一步优化企业开办服务的通知');
    expect(cleaned).toContain('企业开办实行一窗通办，申请人在一个窗口即可办结营业执照、公章刻制和发票申领。');
    expect(cleaned).toContain('表1 办理时限\n| 事项 | 时限 |\n| 营业执照 | 0.5个工作日 |');
    const chunks = chunkDocument('page.html', cleaned);
    const table = chunks.find((chunk) => chunk.kind === 'table');
    expect(table?.text).toBe('表1 办理时限\n| 事项 | 时限 |\n| 营业执照 | 0.5个工作日 |');
  });

  it('extracts the text of a small text PDF', async () => {
    const pdf = makePdf(['Article 1. Enterprise registration is handled at one window.', 'Article 2. Fees are waived.']);
    const { text, format } = await extractText(pdf, 'notice.pdf');
    expect(format).toBe('pdf');
    expect(text).toContain('Article 1. Enterprise registration is handled at one window.');
    expect(text).toContain('Article 2. Fees are waived.');
  });

  it('refuses an encrypted PDF as document_encrypted', async () => {
    const pdf = makePdf(['secret'], {
      extraObjects: ['<< /Filter /Standard /V 1 /R 2 /O (0123456789abcdef0123456789abcdef) /U (0123456789abcdef0123456789abcdef) /P -4 >>'],
      trailerExtra: '/Encrypt 6 0 R /ID [<0123456789abcdef0123456789abcdef> <0123456789abcdef0123456789abcdef>] ',
    });
    await expect(extractText(pdf, 'locked.pdf')).rejects.toMatchObject({ code: 'document_encrypted', message: expect.stringContaining('locked.pdf') });
  });

  it('refuses an OLE container named .docx (encrypted Word or old .doc) as document_encrypted', async () => {
    const ole = Buffer.alloc(512);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(ole);
    await expect(extractText(ole, 'protected.docx')).rejects.toMatchObject({ code: 'document_encrypted', message: expect.stringContaining('protected.docx') });
  });

  it('refuses a zip that is not a Word file with a clear Chinese message', async () => {
    const error = await extractText(readFileSync(fixture('not-a-docx.zip')), 'archive.docx').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'document_unsupported' });
    expect((error as Error).message).toContain('archive.docx');
    expect((error as Error).message).toContain('不是 Word (.docx) 文件');
  });

  it('refuses a text file named .pdf and unknown extensions', async () => {
    await expect(extractText(Buffer.from('plain words'), 'fake.pdf')).rejects.toMatchObject({ code: 'document_unsupported' });
    await expect(extractText(Buffer.from('a,b'), 'table.xlsx')).rejects.toMatchObject({ code: 'document_unsupported', message: expect.stringContaining('table.xlsx') });
    expect(isSupportedFile('A.DOCX')).toBe(true);
    expect(isSupportedFile('a.doc')).toBe(false);
  });
});
