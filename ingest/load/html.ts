/**
 * @module Saved web pages (.html) as admins save them from government portals: the article's own
 * text without the portal around it (navigation, breadcrumbs, search boxes, toolbars, 本站热词,
 * footers), tables as `| a | b |` rows, and what the page says about the document (title, issuer,
 * 文号, date) as metadata.
 *
 * The article is found by Mozilla's Readability (Firefox's reader view) on a linkedom DOM; the
 * portal conventions it cannot know (info tables, 落款, 文号 lines) are read here.
 */
import { Readability } from '@mozilla/readability';
import { convert as htmlToText, type DomNode, type FormatCallback } from 'html-to-text';
import { parseHTML } from 'linkedom';
import { decodeText } from './decode.ts';
import { compactMetadata, docNumberOf, findSignature, isoDate } from './found-metadata.ts';
import type { FoundMetadata, Loader } from './types.ts';
import { tableRow } from '../table-row.ts';

// ---------------------------------------------------------------------------------------------
// The DOM, typed by what this module uses: the project compiles without the DOM lib, and
// linkedom's own declarations are mostly `any`.

interface PageNode {
  nodeType: number;
  textContent: string | null;
  parentElement: PageElement | null;
}

interface PageElement extends PageNode {
  tagName: string;
  childNodes: Iterable<PageNode>;
  children: Iterable<PageElement>;
  outerHTML: string;
  getAttribute(name: string): string | null;
  querySelectorAll(selectors: string): Iterable<PageElement>;
  remove(): void;
}

interface PageDocument {
  body: PageElement | null;
  querySelectorAll(selectors: string): Iterable<PageElement>;
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

function parsePage(html: string): PageDocument {
  // linkedom does not imply <html> and <body> as browsers do: a page or fragment without both
  // would have its content outside document.body.
  if (/<html[\s>]/i.test(html) && /<body[\s>]/i.test(html)) return parseHTML(html).document as unknown as PageDocument;
  const head = /<head[\s>][\s\S]*?<\/head>/i.exec(html)?.[0] ?? '';
  const content = html.replace(head, '').replace(/<\/?(?:html|body)(?:\s[^>]*)?>/gi, '');
  return parseHTML(`<!DOCTYPE html><html>${head}<body>${content}</body></html>`).document as unknown as PageDocument;
}

/**
 * The charset a page declares in `<meta charset>` or `<meta http-equiv="Content-Type">`. Tags are
 * ASCII in every charset a page can declare, so the head read as Latin-1 shows them. Hand-written
 * over the DOM parser: html-encoding-sniffer, which implements the WHATWG prescan, needs Node 22
 * from its current major on, and the declaration is only a hint to decodeText anyway.
 */
function declaredCharset(buffer: Buffer): string | undefined {
  const head = parsePage(buffer.subarray(0, 4096).toString('latin1'));
  for (const meta of head.querySelectorAll('meta')) {
    const charset = meta.getAttribute('charset');
    if (charset) return charset;
    if (/^\s*content-type\s*$/i.test(meta.getAttribute('http-equiv') ?? '')) {
      const fromContent = /charset\s*=\s*["']?([^\s;"']+)/i.exec(meta.getAttribute('content') ?? '')?.[1];
      if (fromContent) return fromContent;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Text helpers.

const oneLine = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim();
/** Text with all whitespace gone (\s covers the full-width and no-break spaces): for comparing. */
const compact = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, '');
const cjkCount = (text: string) => text.match(/[\u3400-\u9fff]/g)?.length ?? 0;
/** A sentence ends here: what running text has and page furniture does not. */
const SENTENCE_END = /[。；！？]/;

// ---------------------------------------------------------------------------------------------
// Where the article is.

/** Elements that start a new block of text; text inside anything else runs on. */
const BLOCK_TAGS = new Set(
  'ADDRESS ARTICLE ASIDE BLOCKQUOTE BODY CAPTION CENTER DD DIV DL DT FIELDSET FIGCAPTION FIGURE FOOTER FORM H1 H2 H3 H4 H5 H6 HEADER HTML LI MAIN NAV OL P PRE SECTION TABLE TBODY TD TFOOT TH THEAD TR UL'.split(' '),
);
const NOT_TEXT = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SELECT', 'OPTION', 'TEXTAREA', 'BUTTON']);

interface TextBlock {
  element: PageElement;
  /** All of the block's text, links included. */
  text: string;
  /** The part outside links: navigation is links, an article's paragraphs are not. */
  ownText: string;
}

/** The page's text grouped by the block element it sits in, in document order. */
function textBlocks(root: PageElement): TextBlock[] {
  const blocks = new Map<PageElement, TextBlock>();
  const walk = (element: PageElement, block: PageElement, inLink: boolean) => {
    for (const child of element.childNodes) {
      if (child.nodeType === TEXT_NODE) {
        const entry = blocks.get(block) ?? { element: block, text: '', ownText: '' };
        entry.text += child.textContent ?? '';
        if (!inLink) entry.ownText += child.textContent ?? '';
        blocks.set(block, entry);
      } else if (child.nodeType === ELEMENT_NODE) {
        const childElement = child as PageElement;
        if (NOT_TEXT.has(childElement.tagName)) continue;
        walk(childElement, BLOCK_TAGS.has(childElement.tagName) ? childElement : block, inLink || childElement.tagName === 'A');
      }
    }
  };
  walk(root, root, false);
  return [...blocks.values()].filter((block) => compact(block.text) !== '');
}

/** Running text: a block with sentences of its own (not a list of links or a label). */
function isProse(block: TextBlock): boolean {
  const own = compact(block.ownText);
  return cjkCount(own) >= 10 && SENTENCE_END.test(own);
}

/**
 * Search boxes and other page tools: each form control with the labels around it, up to the
 * largest ancestor that is still short and has no sentence in it. Readability drops the controls
 * but keeps their labels ("搜索位置 标题 全文"), and their words would be read as field labels.
 */
function removeWidgets(page: PageDocument): void {
  const isToolText = (text: string | null) => {
    const flat = compact(text);
    return flat.length <= 200 && !SENTENCE_END.test(flat);
  };
  for (const control of [...page.querySelectorAll('input:not([type=hidden]), select, textarea, button')]) {
    let widget = control;
    for (let parent = control.parentElement; parent && !['BODY', 'HTML'].includes(parent.tagName) && isToolText(parent.textContent); parent = parent.parentElement) {
      widget = parent;
    }
    widget.remove();
  }
}

/** Readability must keep this share of the page's running text, else it picked too small a part. */
const MIN_KEPT_PROSE = 0.9;
/** The fallback container is the smallest element holding this share of the running text. */
const CONTAINER_PROSE = 0.9;

/**
 * The smallest element that holds nearly all of the page's running text: the article's container
 * on a portal page, whose sidebars and footers are links and one-line labels.
 */
function proseContainer(root: PageElement, prose: TextBlock[]): PageElement {
  const weight = new Map<PageElement, number>();
  let total = 0;
  for (const block of prose) {
    const size = compact(block.text).length;
    total += size;
    for (let element: PageElement | null = block.element; element; element = element.parentElement) {
      weight.set(element, (weight.get(element) ?? 0) + size);
    }
  }
  let container = root;
  for (;;) {
    const inner = [...container.children].find((child) => (weight.get(child) ?? 0) >= CONTAINER_PROSE * total);
    if (!inner) return container;
    container = inner;
  }
}

/**
 * The article's HTML. Readability scores paragraphs and keeps the best-scoring container with its
 * like siblings; on a page made of many small parts (a Q&A page: one <dl> per question) it keeps
 * only the longest part. So its result is checked against the page's running text, and when it
 * lost more than a tenth of it, the smallest container holding nearly all of that text is taken
 * instead (it lacks Readability's cleaning, but what is left outside such a container is what
 * portals put around an article: link lists, labels, footers).
 */
function articleHtml(html: string, page: PageDocument): string {
  const root = page.body;
  if (!root) return html;
  const prose = textBlocks(root).filter(isProse);
  const reader = parsePage(html);
  removeWidgets(reader);
  let article: ReturnType<Readability['parse']> = null;
  try {
    article = new Readability(reader).parse();
  } catch {
    // A page Readability cannot handle gets the fallback below.
  }
  const kept = compact(article?.textContent);
  const proseSize = prose.reduce((sum, block) => sum + compact(block.text).length, 0);
  const keptSize = prose.filter((block) => kept.includes(compact(block.text))).reduce((sum, block) => sum + compact(block.text).length, 0);
  if (article?.content && keptSize >= MIN_KEPT_PROSE * proseSize) return article.content;
  return prose.length > 0 ? proseContainer(root, prose).outerHTML : root.outerHTML;
}

// ---------------------------------------------------------------------------------------------
// What the page says about the document.

type Field = 'title' | 'docNumber' | 'formalIssuer' | 'publisher' | 'source' | 'documentDate' | 'issueDate' | 'postDate';

/**
 * The labels portals put in their info tables and lines (索引号 tables, "发布日期：…" lines). The
 * ones without a field are still labels: they end the value before them, and lines of them are
 * page furniture.
 */
const LABELS: Record<string, Field | null> = {
  标题: 'title',
  名称: 'title',
  文件名称: 'title',
  文件标题: 'title',
  题名: 'title',
  文号: 'docNumber',
  发文字号: 'docNumber',
  发文文号: 'docNumber',
  文件编号: 'docNumber',
  文件字号: 'docNumber',
  发文机关: 'formalIssuer',
  发文单位: 'formalIssuer',
  发文机构: 'formalIssuer',
  制发机关: 'formalIssuer',
  成文机关: 'formalIssuer',
  发布机构: 'publisher',
  发布单位: 'publisher',
  公开机构: 'publisher',
  来源: 'source',
  信息来源: 'source',
  内容来源: 'source',
  文章来源: 'source',
  成文日期: 'documentDate',
  印发日期: 'documentDate',
  签发日期: 'documentDate',
  发文日期: 'issueDate',
  发布日期: 'postDate',
  发布时间: 'postDate',
  公开日期: 'postDate',
  公布日期: 'postDate',
  索引号: null,
  统一登记号: null,
  登记号: null,
  登记日期: null,
  规范性文件编号: null,
  分类: null,
  主题分类: null,
  组配分类: null,
  体裁分类: null,
  主题词: null,
  关键词: null,
  有效性: null,
  时效: null,
  失效日期: null,
  生效日期: null,
  公开方式: null,
  公开范围: null,
  作者: null,
  编辑: null,
  责任编辑: null,
  浏览次数: null,
  浏览量: null,
  阅读: null,
  阅读次数: null,
  点击数: null,
  访问量: null,
  字号: null,
  字体: null,
  分享到: null,
};
const LABEL_NAMES = Object.keys(LABELS).sort((a, b) => b.length - a.length);
const LABEL_ALTERNATION = LABEL_NAMES.join('|');
/** A label with its colon, not the tail of a longer word (资金来源 is not 来源). */
const LABEL_WITH_COLON = new RegExp(`(?<![\\u3400-\\u9fff])(${LABEL_ALTERNATION})\\s*[:：]`, 'g');
/** A table cell or <dt> that is only a label, colon or not (安化: | 文号 | 安政办发〔2022〕20号 |). */
const LABEL_CELL = new RegExp(`^(${LABEL_ALTERNATION})\\s*[:：]?$`);
/** Text that starts with a label and its colon. */
const LABEL_START = new RegExp(`^(?:${LABEL_ALTERNATION})\\s*[:：]`);
/**
 * A line of page information (发布日期：… 浏览次数：…, 责任编辑：…). Lines led by a title or subject
 * label are left alone: a document may itself list 名称：… or 主题词：….
 */
const INFO_LINE = new RegExp(`^(?:${LABEL_NAMES.filter((label) => LABELS[label] !== 'title' && !['主题词', '关键词'].includes(label)).join('|')})\\s*[:：]`);

/** The <meta name> values portals fill, per field, best first. */
const META_NAMES: Partial<Record<Field, string[]>> = {
  title: ['articletitle', 'og:title', 'dc.title', 'title'],
  docNumber: ['infonum', 'docnumber'],
  source: ['contentsource', 'source', 'author'],
  postDate: ['pubdate', 'publishdate', 'article:published_time', 'dc.date', 'firstpublishedtime'],
};

interface Token {
  text: string;
  /** The token fills a table cell or <dt>: a label there needs no colon. */
  cell: boolean;
}

/** The page's text pieces in document order, the unit the info tables and lines are read in. */
function textTokens(root: PageElement): Token[] {
  const tokens: Token[] = [];
  const walk = (element: PageElement) => {
    for (const child of element.childNodes) {
      if (child.nodeType === TEXT_NODE) {
        const text = oneLine(child.textContent);
        if (text) tokens.push({ text, cell: false });
      } else if (child.nodeType === ELEMENT_NODE && !NOT_TEXT.has((child as PageElement).tagName)) {
        walk(child as PageElement);
      }
    }
  };
  walk(root);
  const cells = new Set([...root.querySelectorAll('td, th, dt')].map((cell) => oneLine(cell.textContent)));
  for (const token of tokens) token.cell = cells.has(token.text);
  return tokens;
}

const isLabelText = (text: string) => LABEL_START.test(text) || LABEL_CELL.test(text);

/** "label：value" pairs from the page's info tables and lines, in document order per field. */
function labelledValues(tokens: Token[]): Map<Field, string[]> {
  const values = new Map<Field, string[]>();
  const add = (label: string, value: string) => {
    const field = LABELS[label];
    const clean = oneLine(value);
    if (field && clean) values.set(field, [...(values.get(field) ?? []), clean]);
  };
  tokens.forEach((token, index) => {
    const next = tokens[index + 1];
    const valueAfter = next && !isLabelText(next.text) ? next.text : '';
    const cellLabel = token.cell ? LABEL_CELL.exec(token.text)?.[1] : undefined;
    if (cellLabel) {
      add(cellLabel, valueAfter);
      return;
    }
    // One line may hold several: 发布日期：2022-08-16 14:57 编辑：市房管中心 来源：宿州市房管中心.
    const matches = [...token.text.matchAll(LABEL_WITH_COLON)];
    matches.forEach((match, at) => {
      const start = (match.index ?? 0) + match[0].length;
      const inline = token.text.slice(start, matches[at + 1]?.index ?? token.text.length).trim();
      add(match[1] ?? '', inline || (at === matches.length - 1 ? valueAfter : ''));
    });
  });
  return values;
}

function metaValues(page: PageDocument): Map<string, string> {
  const values = new Map<string, string>();
  for (const meta of page.querySelectorAll('meta')) {
    const name = (meta.getAttribute('name') ?? meta.getAttribute('property') ?? '').trim().toLowerCase();
    const content = oneLine(meta.getAttribute('content'));
    if (name && content && !values.has(name)) values.set(name, content);
  }
  return values;
}

/**
 * The page's title without the site around it: the article's heading when the <title> contains it
 * ("北京市优化营商环境条例_地方性法规_首都之窗_…" and an <h1> 北京市优化营商环境条例), else the
 * <title>'s part that is not the site's name, else the page's one <h1>.
 */
function titleFromPage(page: PageDocument, siteName: string | undefined): string | undefined {
  const titleTag = oneLine([...page.querySelectorAll('title')][0]?.textContent);
  for (const heading of page.querySelectorAll('h1, h2, h3')) {
    const text = oneLine(heading.textContent);
    if (text.length >= 4 && titleTag.includes(text)) return text;
  }
  const isSiteName = (part: string) => part === siteName || /(?:网站|门户|网)$/.test(part);
  const part = titleTag.split(/\s*[_|｜]\s*|\s+[-—–]\s+/).find((candidate) => candidate.length >= 4 && !isSiteName(candidate));
  if (part) return part;
  const h1s = [...page.querySelectorAll('h1')];
  return h1s.length === 1 ? oneLine(h1s[0]?.textContent) || undefined : undefined;
}

/** What the page states outside the article's text: its <meta> tags, info table and lines. */
interface PageFacts {
  title?: string;
  docNumber?: string;
  field(name: Field): string[];
  meta(name: Field): string[];
}

function readPage(page: PageDocument): PageFacts {
  const tokens = page.body ? textTokens(page.body) : [];
  // Info tables and lines stand above or below the article's running text; labels inside it are
  // the document's own (a table with a 名称 column), not the page's.
  const isRunningText = (token: Token) => cjkCount(token.text) >= 30 && SENTENCE_END.test(token.text);
  const first = tokens.findIndex(isRunningText);
  const last = tokens.findLastIndex(isRunningText);
  const head = first < 0 ? tokens : tokens.slice(0, first);
  const tail = first < 0 ? [] : tokens.slice(last + 1);
  const [above, below] = [labelledValues(head), labelledValues(tail)];
  const metas = metaValues(page);
  const field = (name: Field) => [...(above.get(name) ?? []), ...(below.get(name) ?? [])];
  const meta = (name: Field) => (META_NAMES[name] ?? []).flatMap((key) => metas.get(key) ?? []);

  const title = [...meta('title'), ...field('title')].find((value) => value.length >= 4) ?? titleFromPage(page, metas.get('sitename'));
  // A 文号 standing alone under the title (财政部: a <h5> with 财政部 税务总局公告2025年第17号) is
  // looked for only above the running text, where no related-document list can be.
  const standalone = head.map((token) => token.text);
  const docNumber = [...field('docNumber'), ...meta('docNumber'), ...standalone].map(docNumberOf).find((found) => found !== undefined);
  return { ...(title ? { title } : {}), ...(docNumber ? { docNumber } : {}), field, meta };
}

/** 东莞市发展和改革局, 财政部 税务总局: a name, not a sentence or "本网". */
const isIssuerName = (value: string) => cjkCount(value) >= 2 && value.length <= 60 && !/[，。；！？]/.test(value) && !/^本(网|站|网站)$/.test(value);

/**
 * The issuer named by a 公文 title, which is 发文机关 + 关于 + 事由 + 文种 (GB/T 9704): the part
 * before 关于, joint issuers separated by spaces (财政部 税务总局关于…).
 */
function titleIssuer(title: string | undefined): string | undefined {
  const prefix = /^([^《》“”"，。：:、]{2,60}?)关于/.exec(title ?? '')?.[1]?.trim();
  return prefix ? prefix.split(/\s+/).join('、') : undefined;
}

function documentMetadata(facts: PageFacts, articleLines: string[]): FoundMetadata | undefined {
  const signed = findSignature(articleLines);
  const issuer = [
    ...facts.field('formalIssuer'),
    titleIssuer(facts.title),
    signed.issuer,
    ...facts.field('publisher'),
    ...facts.meta('source'),
    ...facts.field('source'),
  ].find((value): value is string => value !== undefined && isIssuerName(value));
  // The document's own date (成文日期, the 落款) before the dates the site posted it on.
  const date = [...facts.field('documentDate'), signed.date, ...facts.field('issueDate'), ...facts.field('postDate'), ...facts.meta('postDate')]
    // Some portals space their dates out: 发布时间： 2023- 08- 07 09: 55.
    .map((value) => (value ? isoDate(value.replace(/\s*([-./])\s*/g, '$1')) : undefined))
    .find((found) => found !== undefined);
  return compactMetadata({ title: facts.title, issuer, docNumber: facts.docNumber, date });
}

// ---------------------------------------------------------------------------------------------
// The article as text.

/** The text of an HTML subtree, whitespace collapsed (cells and captions are one line each). */
function nodeText(node: DomNode): string {
  if (node.type === 'text') return node.data ?? '';
  if (node.name === 'br') return ' ';
  return (node.children ?? []).map(nodeText).join('');
}

function findAll(node: DomNode, names: string[], stopAt: string[] = []): DomNode[] {
  const found: DomNode[] = [];
  for (const child of node.children ?? []) {
    if (child.type !== 'tag' || !child.name) continue;
    if (names.includes(child.name)) found.push(child);
    else if (!stopAt.includes(child.name)) found.push(...findAll(child, names, stopAt));
  }
  return found;
}

/**
 * A table as `| a | b |` rows under its caption: the form the cleaner and chunker recognise as a
 * table (kept whole). html-to-text's own table layout pads columns with spaces, which the space
 * normalisation then glues together.
 */
const pipeTable: FormatCallback = (elem, _walk, builder) => {
  const caption = findAll(elem, ['caption'], ['table'])[0];
  const rows = findAll(elem, ['tr'], ['table'])
    .map((row) => findAll(row, ['td', 'th'], ['table']).map((cell) => oneLine(nodeText(cell))))
    .filter((cells) => cells.some((cell) => cell !== ''));
  const lines = [...(caption ? [oneLine(nodeText(caption))].filter(Boolean) : []), ...rows.map(tableRow)];
  for (const line of lines) {
    builder.openBlock({ leadingLineBreaks: 1 });
    builder.addLiteral(line);
    builder.closeBlock({ trailingLineBreaks: 1 });
  }
};

// A page-wide <form> (ASP.NET sites wrap the whole page in one) must not be skipped: page tools
// with form controls are removed by removeWidgets instead.
const SKIPPED_ELEMENTS = ['img', 'script', 'style', 'noscript', 'template', 'iframe', 'nav', 'button', 'select'];

function toText(html: string): string {
  return htmlToText(html, {
    wordwrap: false,
    formatters: { pipeTable },
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      ...SKIPPED_ELEMENTS.map((selector) => ({ selector, format: 'skip' })),
      ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
      { selector: 'table', format: 'pipeTable' },
    ],
  });
}

/**
 * The page's info table (| 索引号 | … | 文号 | … |): its values are the metadata, not the text. It
 * pairs each label with a value beside it; a document's own table with a 名称 or 文号 column has its
 * labels side by side in the header row.
 */
function removeInfoTables(root: PageElement): void {
  for (const table of [...root.querySelectorAll('table')]) {
    let cells = 0;
    let pairs = 0;
    for (const row of table.querySelectorAll('tr')) {
      const texts = [...row.querySelectorAll('td, th')].map((cell) => oneLine(cell.textContent));
      cells += texts.filter(Boolean).length;
      pairs += texts.filter((text, index) => isLabelText(text) && index + 1 < texts.length && !isLabelText(texts[index + 1] ?? '')).length;
    }
    if (pairs >= 2 && pairs * 3 >= cells) table.remove();
  }
}

/** A line of page tools: 【打印】【关闭】, 【字体：大 中 小】, 分享到：, a lone 发布 button. */
const TOOL_LINE = /^(?:[【[]?\s*(?:打印(?:本页|此页)?|关闭(?:窗口|本页)?|发布|分享(?:到)?|收藏(?:本页)?|纠错|返回(?:顶部)?|顶部|字体|字号|大|中|小)\s*[】\]]?\s*[:：]?\s*)+$/;

/** Lines of page information and tools; the values are in the metadata already. */
function isFurnitureLine(line: string): boolean {
  const flat = oneLine(line);
  if (flat === '' || flat.startsWith('|')) return false;
  if (TOOL_LINE.test(flat)) return true;
  return INFO_LINE.test(flat) && flat.length <= 150 && !SENTENCE_END.test(flat);
}

/**
 * The article's lines: info lines and tools dropped, and whatever stands before the article's own
 * heading (tabs, the site's name, toolbars), when no running text comes before it.
 */
function articleLines(html: string, title: string | undefined): string[] {
  const page = parsePage(html);
  if (page.body) removeInfoTables(page.body);
  const lines = toText(page.body?.outerHTML ?? html)
    .split('\n')
    .filter((line) => !isFurnitureLine(line));
  if (!title) return lines;
  const heading = lines.findIndex((line) => compact(line) === compact(title));
  const firstProse = lines.findIndex((line) => cjkCount(line) >= 10 && SENTENCE_END.test(line));
  return heading >= 0 && (firstProse < 0 || heading < firstProse) ? lines.slice(heading + 1) : lines;
}

export const loadHtml: Loader = async (buffer, fileName) => {
  const { text: html, encoding } = decodeText(buffer, fileName, declaredCharset(buffer));
  const page = parsePage(html);
  removeWidgets(page);
  const facts = readPage(page);
  const lines = articleLines(articleHtml(html, page), facts.title);
  const metadata = documentMetadata(facts, lines);
  const body = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  // The article's heading is often outside what Readability keeps; the text starts with it as
  // the document itself does.
  const text = facts.title && !compact(body).startsWith(compact(facts.title)) ? `${facts.title}\n\n${body}` : body;
  return { text, format: `html/${encoding}`, ...(metadata ? { metadata } : {}) };
};
