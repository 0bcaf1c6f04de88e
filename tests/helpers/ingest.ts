/** Pieces for tests that ingest small, hand-made document sets: temp folders, hand-made PDFs, a counting embedder, sample documents. */
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LocalLexicalEmbeddings, type IndexEmbedder } from '../../core/embeddings/index.ts';
import { INGEST_FIXTURES } from './paths.ts';

/** A file of `tests/fixtures/ingest/`. */
export function fixture(name: string): string {
  return path.join(INGEST_FIXTURES, name);
}

/** Creates a temp folder and registers it for removal; call `cleanup()` in afterEach/afterAll. */
export function tempDirs(): { make: (prefix?: string) => Promise<string>; cleanup: () => Promise<void> } {
  const made: string[] = [];
  return {
    async make(prefix = 'ingest-test-') {
      const directory = await mkdtemp(path.join(os.tmpdir(), prefix));
      made.push(directory);
      return directory;
    },
    async cleanup() {
      await Promise.all(made.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
    },
  };
}

export async function writeFiles(directory: string, files: Record<string, string | Uint8Array>): Promise<void> {
  await mkdir(directory, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(directory, name)), { recursive: true });
    await writeFile(path.join(directory, name), content);
  }
}

/** The version folders under an index root (what `CURRENT` may point at). */
export async function versionDirs(indexRoot: string): Promise<string[]> {
  const entries = await readdir(indexRoot, { withFileTypes: true });
  return entries.filter((entry) => entry.isDirectory() && entry.name.startsWith('v')).map((entry) => entry.name).sort();
}

export async function readPointer(indexRoot: string): Promise<string> {
  return (await readFile(path.join(indexRoot, 'CURRENT'), 'utf8')).trim();
}

/**
 * A minimal, valid one-page PDF with `lines` drawn in Helvetica (ASCII only: the standard font has
 * no Chinese glyphs). `trailerExtra` lets a test add entries such as an /Encrypt reference.
 */
export function makePdf(lines: string[], options: { trailerExtra?: string; extraObjects?: string[] } = {}): Buffer {
  const escapePdf = (text: string) => text.replace(/[\\()]/g, (character) => `\\${character}`);
  const content = ['BT', '/F1 12 Tf', '14 TL', '72 720 Td', ...lines.map((line) => `(${escapePdf(line)}) Tj T*`), 'ET'].join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    ...(options.extraObjects ?? []),
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, index) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${index + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${options.trailerExtra ?? ''}>>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The real local embedder, counting what it is asked to embed. */
export class RecordingEmbedder implements IndexEmbedder {
  readonly inner: LocalLexicalEmbeddings;
  readonly calls: string[][] = [];

  constructor(options: { dimensions?: number } = {}) {
    this.inner = new LocalLexicalEmbeddings(options);
  }

  get id(): string {
    return this.inner.id;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  /** Texts embedded since the last `reset()`. */
  get embeddedTexts(): string[] {
    return this.calls.flat();
  }

  reset(): void {
    this.calls.length = 0;
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    this.calls.push([...texts]);
    return this.inner.embedDocuments(texts);
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.inner.embedQuery(text);
  }
}

/** Small structured policy texts, each a few clauses long. */
export const DOC_ALPHA = [
  '关于印发《测试市企业开办便利化办法》的通知',
  '第一条 为了优化营商环境，推进企业开办便利化，制定本办法。',
  '第二条 企业开办实行一窗通办，申请人在一个窗口即可领取营业执照、刻制公章和申领发票。',
  '第三条 企业开办时间压缩至一个工作日以内，全程免费。',
  '',
].join('\n');

export const DOC_BETA = [
  '测试市技术改造奖补实施细则',
  '一、支持范围',
  '工业企业实施技术改造项目，设备投资额在五百万元以上的，可以申请奖补资金。',
  '二、奖补标准',
  '按照设备投资额的百分之十给予奖补，单个项目最高不超过二百万元。',
  '',
].join('\n');

export const DOC_GAMMA = [
  '测试市人才安居办法',
  '第一条 引进的高层次人才可以申请人才公寓。',
  '第二条 符合条件的青年人才，每月发放租房补贴一千五百元，期限三年。',
  '',
].join('\n');
