/**
 * @module PDF with a text layer, read with pdf.js (pdfjs-dist, the engine under pdf-parse and
 * LangChain's PDFLoader) for the positions of its text: lines in reading order, ruled tables as
 * `| a | b |` rows, page numbers dropped. The title is the large type at the head of page 1 (a
 * PDF's /Title is most often a converter's placeholder), the 文号 the line printed under the
 * masthead.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../../core/index.ts';
import { compactMetadata, docNumberOf, isMeaningfulTitle } from './found-metadata.ts';
import { expectMagic } from './magic.ts';
import { type PageLayout, readPageLayout } from './pdf-layout.ts';
import type { Loader } from './types.ts';
import { tableRow } from '../table-row.ts';

/**
 * pdf.js needs its character maps to read the many Chinese PDFs whose fonts are not embedded
 * (UniGB-UCS2-H and friends); in Node they are read from the package's own folders.
 */
function assetOptions(): { cMapUrl: string; cMapPacked: true; standardFontDataUrl: string; wasmUrl: string } {
  const root = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
  const folder = (name: string) => `${path.join(root, name)}${path.sep}`;
  return { cMapUrl: folder('cmaps'), cMapPacked: true, standardFontDataUrl: folder('standard_fonts'), wasmUrl: folder('wasm') };
}

/** — 8 —, - 1 -, 第 3 页 共 25 页, 3/25: the page number printed in the margin. */
const PAGE_NUMBER = /^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d{1,4}\s*页(?:\s*[,，]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*\/\s*\d{1,4})$/;

function withoutPageNumbers(layout: PageLayout): PageLayout['elements'] {
  const { elements } = layout;
  const isNumber = (index: number) => {
    const element = elements[index];
    return element?.kind === 'line' && PAGE_NUMBER.test(element.text);
  };
  return elements.filter((_, index) => !((index === 0 || index === elements.length - 1) && isNumber(index)));
}


/** Lines above a 公文's title that are not the title: 附件 labels, the masthead, 密级, 份号, 签发人. */
const ABOVE_TITLE = /^(?:附件\s*\d*\s*[:：]?|[\u4e00-\u9fff]{2,30}文件|★?\s*(?:绝密|机密|秘密|特急|加急|特提|平急).*|\d{6}|签发人[:：].*)$/;
const TITLE_SIZE = 1.1;
const MAX_TITLE_LINES = 4;

/** The font size that carries most characters: the body size a title stands out from. */
function bodySize(layouts: PageLayout[]): number {
  const weight = new Map<number, number>();
  for (const run of layouts.flatMap((layout) => layout.runs)) {
    const size = Math.round(run.size * 2) / 2;
    weight.set(size, (weight.get(size) ?? 0) + run.text.trim().length);
  }
  return [...weight].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 0;
}

/**
 * The block of large lines at the head of page 1, below the masthead and 文号 when there are
 * any (a 公文 title set in 二号 over two or three lines, above a body in 三号), and that 文号.
 */
function layoutTitle(page: PageLayout['elements'], body: number): { title?: string; docNumber?: string } {
  const tableAt = page.findIndex((element) => element.kind === 'table');
  const lines = page.slice(0, tableAt === -1 ? 20 : tableAt).flatMap((element) => (element.kind === 'line' ? [element] : []));
  const numberAt = lines.slice(0, 8).findIndex((line) => docNumberOf(line.text) !== undefined);
  const docNumber = numberAt === -1 ? undefined : docNumberOf(lines[numberAt]!.text);
  const candidates = lines.slice(numberAt + 1);
  const start = candidates.findIndex((line) => !ABOVE_TITLE.test(line.text) && !PAGE_NUMBER.test(line.text) && line.size >= body * TITLE_SIZE);
  const first = candidates[start];
  if (!first || start > 6) return { docNumber };
  const parts = [first.text];
  for (const next of candidates.slice(start + 1, start + MAX_TITLE_LINES)) {
    if (next.size < body * TITLE_SIZE || Math.abs(next.size - first.size) > first.size * 0.2) break;
    parts.push(next.text);
  }
  const title = parts.join('');
  return title.length <= 120 && !/[。；;，,]$/.test(title) ? { title, docNumber } : { docNumber };
}

export const loadPdf: Loader = async (buffer, fileName) => {
  expectMagic(buffer, fileName, '%PDF', 'PDF');
  // Imported on first use: pdf.js costs more start-up time than a text-only run needs.
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const task = pdfjs.getDocument({ data: new Uint8Array(buffer), ...assetOptions(), isEvalSupported: false, verbosity: pdfjs.VerbosityLevel.ERRORS });
  // Only a user password stops reading: a PDF locked against printing or copying opens with an
  // empty password, and its /Encrypt entry alone does not make it unreadable.
  const document = await task.promise.catch((error: unknown) => {
    if (error instanceof Error && error.name === 'PasswordException') {
      throw new AppError('document_encrypted', `${fileName} 是加密（设置了密码）的 PDF，请提供未加密的版本`, { cause: error });
    }
    throw error;
  });
  try {
    const layouts: PageLayout[] = [];
    for (let number = 1; number <= document.numPages; number += 1) {
      const page = await document.getPage(number);
      layouts.push(await readPageLayout(page, pdfjs));
      page.cleanup();
    }
    const pages = layouts.map(withoutPageNumbers);
    const lines: string[] = [];
    let lastHeader: string | undefined;
    for (const elements of pages) {
      elements.forEach((element, index) => {
        if (element.kind === 'line') {
          lines.push(element.text);
          return;
        }
        const [header, ...rest] = element.rows.map(tableRow);
        // A table continued on the next page repeats its header row; once is enough.
        const repeated = index === 0 && header === lastHeader;
        lines.push(...(repeated ? rest : [header!, ...rest]));
        lastHeader = header;
      });
    }
    const head = layoutTitle(pages[0] ?? [], bodySize(layouts));
    const info = (await document.getMetadata().catch(() => undefined))?.info as { Title?: unknown } | undefined;
    const infoTitle = typeof info?.Title === 'string' && isMeaningfulTitle(info.Title) ? info.Title.trim() : undefined;
    const metadata = compactMetadata({ title: head.title ?? infoTitle, docNumber: head.docNumber });
    return { text: lines.join('\n'), format: 'pdf', ...(metadata ? { metadata } : {}) };
  } finally {
    await document.destroy();
  }
};
