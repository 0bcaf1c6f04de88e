/** What admins upload through chat: upload names cannot escape the knowledge folder. */
import { describe, expect, it } from 'vitest';
import { safeFileName } from '../../ingest/index.ts';

describe('safeFileName', () => {
  it('keeps uploads inside the knowledge folder', () => {
    expect(safeFileName('../../etc/passwd.txt')).toBe('passwd.txt');
    expect(safeFileName('..\\..\\windows\\policy.md')).toBe('policy.md');
    expect(safeFileName('.hidden.txt')).toBe('hidden.txt');
    expect(safeFileName('政策 文件(2024).DOCX')).toBe('政策_文件(2024).docx');
  });

  it('refuses names without a supported type or without a name', () => {
    for (const name of ['run.exe', 'archive.zip', '.txt', '../']) {
      expect(() => safeFileName(name)).toThrowError(/不可用/);
    }
  });

  it('cuts a long name by UTF-8 bytes, keeping its extension and whole characters, to leave room for the staging suffix', () => {
    const cut = safeFileName(`${'政务服务'.repeat(75)}.html`);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(255 - '.upload.tmp'.length);
    expect(cut).toMatch(/^(政务服务)+政?务?服?\.html$/);
    expect(safeFileName(`${'a'.repeat(238)}👨‍👩‍👧.md`)).toBe(`${'a'.repeat(238)}.md`);
  });

  it('refuses a name ingest would skip, with the reason', () => {
    expect(() => safeFileName('readme.MD')).toThrowError('文件名「readme.md」不可用：README 是知识库文件夹的说明文件，导入时会跳过。请改名后重新发送');
  });
});
