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
});
