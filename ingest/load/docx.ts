/**
 * @module Word (.docx): paragraphs in reading order with the list numbers Word draws (第一章,
 * 第六条), tables as `| a | b |` rows (the form the cleaner and chunker keep whole as a table), and
 * the title (dc:title when it is believable, else the title lines the layout sets apart) with the
 * 文号 printed above it.
 *
 * The package is read with yauzl (./zip-package.ts, which refuses decompression bombs) and @xmldom/xmldom rather than mammoth: mammoth's text puts every
 * table cell on its own line and drops automatic numbering, which is how Chinese regulations number
 * their chapters and articles. The walk below covers what a policy document uses (paragraphs,
 * tables with merged cells, content controls, tracked changes, text boxes); images, headers,
 * footers, footnotes and comments are left out.
 */
import { AppError } from '../../core/index.ts';
import { ListNumbering } from './docx-numbering.ts';
import { childElements, readXml, relationshipTargets, W_NS, wAttr, wVal, type XmlElement } from './docx-xml.ts';
import { openZipPackage, type ZipPackage } from './zip-package.ts';
import { compactMetadata, docNumberOf, isMeaningfulTitle } from './found-metadata.ts';
import { expectMagic } from './magic.ts';
import type { LoadedText, Loader } from './types.ts';
import { tableRow } from '../table-row.ts';

interface Paragraph {
  kind: 'paragraph';
  text: string;
  centered: boolean;
  /** Font size of the first visible run, in half-points (w:sz). */
  size: number | undefined;
  /** A Title or Heading 1 style, or outline level 1. */
  titleStyle: boolean;
}

interface Row {
  kind: 'row';
  cells: string[];
}

type Block = Paragraph | Row;

interface ParagraphStyle {
  name?: string;
  basedOn?: string;
  centered?: boolean;
  size?: number;
  outlineLevel?: number;
  numId?: string;
  level?: number;
}

interface Context {
  styles: Map<string, ParagraphStyle>;
  defaultStyle: string | undefined;
  defaultSize: number | undefined;
  numbering: ListNumbering;
}

const MC_NS = 'http://schemas.openxmlformats.org/markup-compatibility/2006';
const DC_NS = 'http://purl.org/dc/elements/1.1/';
const EXTENDED_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/extended-properties';

function readStyles(root: XmlElement | undefined): Pick<Context, 'styles' | 'defaultStyle' | 'defaultSize'> {
  const styles = new Map<string, ParagraphStyle>();
  let defaultStyle: string | undefined;
  for (const style of childElements(root, 'style')) {
    if (wAttr(style, 'type') !== 'paragraph') continue;
    const id = wAttr(style, 'styleId') ?? '';
    if (wAttr(style, 'default') === '1') defaultStyle = id;
    const pPr = childElements(style, 'pPr')[0];
    const numPr = childElements(pPr, 'numPr')[0];
    const size = wVal(childElements(style, 'rPr')[0], 'sz');
    const outline = wVal(pPr, 'outlineLvl');
    const jc = wVal(pPr, 'jc');
    const level = wVal(numPr, 'ilvl');
    styles.set(id, {
      ...definedOnly({ name: wVal(style, 'name'), basedOn: wVal(style, 'basedOn'), numId: wVal(numPr, 'numId') }),
      ...(jc ? { centered: jc === 'center' } : {}),
      ...(size ? { size: Number(size) } : {}),
      ...(outline ? { outlineLevel: Number(outline) } : {}),
      ...(level ? { level: Number(level) } : {}),
    });
  }
  const defaults = childElements(childElements(childElements(root, 'docDefaults')[0], 'rPrDefault')[0], 'rPr')[0];
  const size = wVal(defaults, 'sz');
  return { styles, defaultStyle, defaultSize: size ? Number(size) : undefined };
}

function definedOnly<T extends Record<string, string | undefined>>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** A style with what it inherits through w:basedOn (the nearest definition wins). */
function resolveStyle(context: Context, id: string | undefined): ParagraphStyle {
  const chain: ParagraphStyle[] = [];
  const seen = new Set<string>();
  for (let current = id ?? context.defaultStyle; current && !seen.has(current); current = context.styles.get(current)?.basedOn) {
    seen.add(current);
    const style = context.styles.get(current);
    if (style) chain.unshift(style);
  }
  // The style's own name decides whether it is a title style; inherited names do not.
  return { ...Object.assign({}, ...chain), name: context.styles.get(id ?? context.defaultStyle ?? '')?.name };
}

const isW = (element: XmlElement, name: string) => element.localName === name && element.namespaceURI === W_NS;

/** The branch of an mc:AlternateContent to read: the first mc:Choice (mc:Fallback repeats it). */
function alternateChoice(element: XmlElement): XmlElement | undefined {
  return childElements(element).find((child) => child.localName === 'Choice' && child.namespaceURI === MC_NS);
}

/** The outermost text boxes inside a drawing or VML shape. */
function textBoxes(element: XmlElement): XmlElement[] {
  const boxes: XmlElement[] = [];
  for (const child of childElements(element)) {
    if (isW(child, 'txbxContent')) boxes.push(child);
    else if (child.localName === 'AlternateContent') {
      const choice = alternateChoice(child);
      if (choice) boxes.push(...textBoxes(choice));
    } else boxes.push(...textBoxes(child));
  }
  return boxes;
}

interface InlineState {
  text: string;
  size: number | undefined;
  boxes: XmlElement[];
}

function readRun(run: XmlElement, state: InlineState): void {
  for (const child of childElements(run)) {
    if (child.namespaceURI !== W_NS) {
      if (child.localName === 'AlternateContent') state.boxes.push(...textBoxes(alternateChoice(child) ?? child));
      continue;
    }
    switch (child.localName) {
      case 't': {
        const text = child.textContent ?? '';
        if (state.size === undefined && text.trim() !== '') {
          const size = wVal(childElements(run, 'rPr')[0], 'sz');
          if (size) state.size = Number(size);
        }
        state.text += text;
        break;
      }
      case 'tab':
      case 'ptab':
        state.text += ' ';
        break;
      case 'br':
      case 'cr':
        state.text += '\n';
        break;
      case 'noBreakHyphen':
        state.text += '-';
        break;
      case 'drawing':
      case 'pict':
      case 'object':
        state.boxes.push(...textBoxes(child));
        break;
    }
  }
}

/** Containers whose runs are part of the text; w:del and w:moveFrom hold deleted text and are skipped. */
const INLINE_CONTAINERS = new Set(['hyperlink', 'ins', 'moveTo', 'smartTag', 'customXml', 'fldSimple', 'sdtContent', 'bdo', 'dir']);

function readInline(element: XmlElement, state: InlineState): void {
  for (const child of childElements(element)) {
    if (child.localName === 'AlternateContent') {
      const choice = alternateChoice(child);
      if (choice) readInline(choice, state);
    } else if (isW(child, 'r')) {
      readRun(child, state);
    } else if (isW(child, 'sdt')) {
      readInline(childElements(child, 'sdtContent')[0] ?? child, state);
    } else if (child.namespaceURI === W_NS && INLINE_CONTAINERS.has(child.localName ?? '')) {
      readInline(child, state);
    }
  }
}

function readParagraph(paragraph: XmlElement, context: Context): Block[] {
  const pPr = childElements(paragraph, 'pPr')[0];
  const style = resolveStyle(context, wVal(pPr, 'pStyle'));
  const numPr = childElements(pPr, 'numPr')[0];
  const numId = numPr ? wVal(numPr, 'numId') : style.numId;
  const level = Number((numPr && wVal(numPr, 'ilvl')) ?? style.level ?? 0);
  const label = numId && numId !== '0' ? context.numbering.next(numId, level) : '';
  const state: InlineState = { text: '', size: undefined, boxes: [] };
  readInline(paragraph, state);
  const jc = wVal(pPr, 'jc');
  const outline = wVal(pPr, 'outlineLvl') ?? style.outlineLevel;
  const block: Paragraph = {
    kind: 'paragraph',
    text: `${label}${state.text}`.replace(/\s+$/, ''),
    centered: jc ? jc === 'center' : style.centered === true,
    size: state.size ?? style.size ?? context.defaultSize,
    titleStyle: /^(?:title|heading 1|标题|标题 1)$/i.test(style.name ?? '') || Number(outline) === 0,
  };
  return [block, ...state.boxes.flatMap((box) => readBlocks(box, context))];
}

/** A cell's text on one line. */
function cellText(blocks: Block[]): string {
  return blocks
    .map((block) => (block.kind === 'row' ? block.cells.join(' ') : block.text))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function readTable(table: XmlElement, context: Context): Row[] {
  const rows: Row[] = [];
  const rowElements = childElements(table).flatMap((child) => (isW(child, 'tr') ? [child] : isW(child, 'sdt') ? childElements(childElements(child, 'sdtContent')[0], 'tr') : []));
  for (const row of rowElements) {
    const cellElements = childElements(row).flatMap((child) => (isW(child, 'tc') ? [child] : isW(child, 'sdt') ? childElements(childElements(child, 'sdtContent')[0], 'tc') : []));
    const cells = cellElements.map((cell) => {
      const vMerge = childElements(childElements(cell, 'tcPr')[0], 'vMerge')[0];
      const text = cellText(readBlocks(cell, context));
      // A vertically merged cell's continuation is blank, so the row's other cells keep their columns.
      return vMerge && wAttr(vMerge, 'val') !== 'restart' ? '' : text;
    });
    if (cells.some((cell) => cell !== '')) rows.push({ kind: 'row', cells });
  }
  return rows;
}

function readBlocks(container: XmlElement, context: Context): Block[] {
  const blocks: Block[] = [];
  for (const child of childElements(container)) {
    if (child.localName === 'AlternateContent') {
      const choice = alternateChoice(child);
      if (choice) blocks.push(...readBlocks(choice, context));
    } else if (isW(child, 'p')) {
      blocks.push(...readParagraph(child, context));
    } else if (isW(child, 'tbl')) {
      blocks.push(...readTable(child, context));
    } else if (isW(child, 'sdt')) {
      blocks.push(...readBlocks(childElements(child, 'sdtContent')[0] ?? child, context));
    } else if (isW(child, 'customXml') || isW(child, 'ins') || isW(child, 'moveTo')) {
      blocks.push(...readBlocks(child, context));
    }
  }
  return blocks;
}

/** Lines above a 公文's title that are not the title: 附件 labels, the masthead, 文号, 密级 and 份号. */
function isFurnitureAboveTitle(text: string): boolean {
  return /^附件\s*\d*\s*[:：]?$/.test(text) || /^[\u4e00-\u9fff]{2,30}文件$/.test(text) || docNumberOf(text) !== undefined || /^(?:★?\s*(?:绝密|机密|秘密)|特急|加急|特提|平急)/.test(text) || /^\d{6}$/.test(text) || /^签发人[:：]/.test(text);
}

const titleLike = (text: string) => text.length >= 2 && text.length <= 60 && !/[。；;，,：:]$/.test(text);

/** The font size that carries most of the text: the body size a title stands out from. */
function bodySize(paragraphs: Paragraph[]): number | undefined {
  const weight = new Map<number, number>();
  for (const { size, text } of paragraphs) if (size !== undefined) weight.set(size, (weight.get(size) ?? 0) + text.length);
  return [...weight].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/**
 * The first paragraph, when it is set as a title (centred, larger than the body, or in a title
 * style), with the lines it continues on in the same format: Chinese titles are broken by hand
 * into two or three centred lines.
 */
function layoutTitle(blocks: Block[]): { title?: string; docNumber?: string } {
  const paragraphs = blocks.filter((block): block is Paragraph => block.kind === 'paragraph');
  const body = bodySize(paragraphs);
  const start = blocks.findIndex((block) => block.kind === 'row' || (block.text.trim() !== '' && !isFurnitureAboveTitle(block.text.trim())));
  const docNumber = blocks
    .slice(0, Math.max(start, 0))
    .map((block) => (block.kind === 'paragraph' ? docNumberOf(block.text) : undefined))
    .find((found) => found !== undefined);
  const first = blocks[start];
  if (first?.kind !== 'paragraph' || !titleLike(first.text.trim())) return { docNumber };
  if (!first.titleStyle && !first.centered && !(first.size !== undefined && body !== undefined && first.size > body)) return { docNumber };
  const parts = [first.text.trim()];
  for (const next of blocks.slice(start + 1, start + 4)) {
    if (next.kind !== 'paragraph' || !titleLike(next.text.trim())) break;
    if (next.centered !== first.centered || next.size !== first.size || next.titleStyle !== first.titleStyle) break;
    parts.push(next.text.trim());
  }
  const title = parts.reduce((joined, part) => (/[A-Za-z0-9]$/.test(joined) && /^[A-Za-z0-9]/.test(part) ? `${joined} ${part}` : joined + part));
  return { title, docNumber };
}

const compact = (text: string) => text.replace(/\s+/g, '');

async function coreTitle(zip: ZipPackage, corePath: string | undefined, appPath: string | undefined): Promise<string | undefined> {
  const core = corePath ? await readXml(zip, corePath) : undefined;
  const title = core?.getElementsByTagNameNS(DC_NS, 'title')[0]?.textContent?.trim();
  const app = appPath ? await readXml(zip, appPath) : undefined;
  const template = app?.getElementsByTagNameNS(EXTENDED_NS, 'Template')[0]?.textContent?.trim() ?? '';
  return isMeaningfulTitle(title, [template, template.replace(/\.[^.]+$/, '')]) ? title : undefined;
}

export const loadDocx: Loader = async (buffer, fileName) => {
  expectMagic(buffer, fileName, 'PK\u0003\u0004', 'Word (.docx)');
  // Zip entry names are stored uncompressed, so the main part's name is visible in the bytes
  // (usually word/document.xml; some Word Online files have word/document2.xml).
  if (!buffer.includes('word/document')) {
    throw new AppError('document_unsupported', `${fileName} 是 ZIP 压缩包，但不是 Word (.docx) 文件（缺少 word/document.xml）`);
  }
  const zip = await openZipPackage(buffer, fileName);
  try {
    return await readDocument(zip, fileName);
  } finally {
    zip.close();
  }
};

async function readDocument(zip: ZipPackage, fileName: string): Promise<LoadedText> {
  const packageParts = await relationshipTargets(zip, '_rels/.rels', '');
  const mainPart = packageParts.get('officeDocument') ?? 'word/document.xml';
  const folder = mainPart.includes('/') ? mainPart.slice(0, mainPart.lastIndexOf('/') + 1) : '';
  const parts = await relationshipTargets(zip, `${folder}_rels/${mainPart.slice(folder.length)}.rels`, folder);
  const document = await readXml(zip, mainPart);
  const body = childElements(document, 'body')[0];
  if (!body) throw new AppError('document_unreadable', `${fileName} 无法解析：Word 文件缺少正文（${mainPart}）`);
  const styles = parts.get('styles');
  const numbering = parts.get('numbering');
  const context: Context = {
    ...readStyles(styles ? await readXml(zip, styles) : undefined),
    numbering: new ListNumbering(numbering ? await readXml(zip, numbering) : undefined),
  };
  const blocks = readBlocks(body, context);
  // A blank line ends each paragraph (as in mammoth's text); a table's rows stay on consecutive lines.
  const text = blocks.map((block, index) => (block.kind === 'row' ? `${tableRow(block.cells)}${blocks[index + 1]?.kind === 'row' ? '' : '\n'}` : `${block.text}\n`)).join('\n');
  const layout = layoutTitle(blocks);
  const core = await coreTitle(zip, packageParts.get('core-properties'), packageParts.get('extended-properties'));
  // dc:title is often left over from the document the file was copied from: trust it when the
  // text bears it out, or when the layout offers nothing better.
  const title = core && (!layout.title || compact(text).includes(compact(core))) ? core : layout.title;
  const metadata = compactMetadata({ title, docNumber: layout.docNumber });
  return { text, format: 'docx', ...(metadata ? { metadata } : {}) };
}
