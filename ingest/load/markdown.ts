/**
 * @module Markdown (.md), as crawlers save policy pages: parsed with marked, written back as the
 * plain text the cleaner expects. Headings become plain lines (第一章 总则 is then a heading to the
 * chunker), links keep their text, tables become `| a | b |` rows, emphasis markers go. The
 * crawler's furniture — `**发布日期**: …` field lines, YAML front matter, `<!-- … -->` comments —
 * becomes metadata instead of text.
 */
import { type MarkedToken, marked, type Token, type Tokens } from 'marked';
import { decodeText } from './decode.ts';
import { compactMetadata, docNumberOf, findSignature, isIssuerName, isoDate } from './found-metadata.ts';
import type { FoundMetadata, Loader } from './types.ts';
import { tableRow } from '../table-row.ts';

/** `written` is the 成文日期, the document's own date; `date` fields give the publication date. */
type Field = keyof FoundMetadata | 'written' | 'ignored';

/** Field names crawlers write, by what they say; `ignored` ones are furniture with no place in the metadata. */
const FIELDS: Record<string, Field> = {
  标题: 'title',
  文件名称: 'title',
  title: 'title',
  发布机构: 'issuer',
  发文机关: 'issuer',
  发文单位: 'issuer',
  发布单位: 'issuer',
  制发机关: 'issuer',
  来源单位: 'issuer',
  信息来源: 'issuer',
  来源: 'issuer',
  issuer: 'issuer',
  source: 'issuer',
  文号: 'docNumber',
  发文字号: 'docNumber',
  发文文号: 'docNumber',
  docnumber: 'docNumber',
  发布日期: 'date',
  发布时间: 'date',
  公布日期: 'date',
  印发日期: 'date',
  发文日期: 'date',
  成文日期: 'written',
  成文时间: 'written',
  日期: 'date',
  date: 'date',
  分类: 'ignored',
  主题分类: 'ignored',
  原文链接: 'ignored',
  链接: 'ignored',
  网址: 'ignored',
  url: 'ignored',
  检索时间: 'ignored',
  检索关键词: 'ignored',
  关键词: 'ignored',
  更新时间: 'ignored',
  抓取时间: 'ignored',
  索引号: 'ignored',
  有效性: 'ignored',
  tags: 'ignored',
};

const BOLD_FIELD = /^\s*(?:\*\*|__)\s*([^*_:：]{1,12}?)\s*([:：])?\s*(?:\*\*|__)\s*([:：])?\s*(.*)$/;
const PLAIN_FIELD = /^\s*([^*_:：\s][^*_:：]{0,11}?)\s*[:：]\s*(.*)$/;

/** A `key: value` line naming a known field: bold keys anywhere, plain ones where `plainAllowed`. */
function fieldOf(line: string, plainAllowed: boolean): { field: Field; value: string } | undefined {
  const bold = line.match(BOLD_FIELD);
  const [key, value] = bold && (bold[2] || bold[3]) ? [bold[1], bold[4]] : plainAllowed ? (line.match(PLAIN_FIELD)?.slice(1, 3) ?? []) : [];
  const field = key === undefined ? undefined : FIELDS[key.trim().toLowerCase()];
  if (!field) return undefined;
  // [text](url) keeps the url for link fields, the text otherwise; ** and spaces go.
  const cleaned = (value ?? '').replace(/\[([^\]]*)\]\(([^)\s]*)[^)]*\)/g, field === 'ignored' ? '$2' : '$1').replace(/\*\*|__/g, '').trim();
  return { field, value: cleaned };
}

class FieldCollector {
  readonly found: FoundMetadata & { written?: string } = {};

  add(field: Field, value: string): void {
    if (field === 'ignored' || value === '' || this.found[field] !== undefined) return;
    if (field === 'issuer' && /^(?:https?:)?\/\//i.test(value)) return;
    if (field === 'date' || field === 'written') {
      const date = isoDate(value);
      if (date) this.found[field] = date;
      return;
    }
    if (field === 'docNumber') {
      this.found.docNumber = docNumberOf(value) ?? value;
      return;
    }
    this.found[field] = value;
  }

  /** Takes the block when every line is a field line; false (and nothing taken) otherwise. */
  takeBlock(raw: string, plainAllowed: boolean): boolean {
    const lines = raw.split('\n').filter((line) => line.trim() !== '');
    const fields = lines.map((line) => fieldOf(line, plainAllowed));
    if (lines.length === 0 || fields.some((field) => !field)) return false;
    for (const field of fields) if (field) this.add(field.field, field.value);
    return true;
  }

  /** `<!-- key: value -->` comments: fields are read from them, the rest of a comment is dropped. */
  takeComments(html: string): string {
    return html.replace(/<!--([\s\S]*?)-->/g, (_, body: string) => {
      for (const line of body.split(/\n|[;；]/)) {
        const field = fieldOf(line, true);
        if (field) this.add(field.field, field.value);
      }
      return '';
    });
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', ensp: ' ', emsp: '　', ldquo: '“', rdquo: '”', lsquo: '‘', rsquo: '’', middot: '·', hellip: '…', mdash: '—' };

/** marked leaves character references as written; the ones crawlers produce are decoded here. */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** HTML inside Markdown: tags dropped, block ends and <br> kept as line breaks. */
function htmlText(html: string): string {
  return decodeEntities(
    html
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(?:p|div|li|tr|h[1-6]|table|section)>/gi, '\n')
      .replace(/<\/t[dh]>/gi, ' ')
      .replace(/<[^>]+>/g, ''),
  );
}

function inlineText(tokens: Token[] | undefined, fields: FieldCollector): string {
  return (tokens ?? [])
    .map((token) => {
      const inline = token as MarkedToken;
      switch (inline.type) {
        case 'text':
          return inline.tokens ? inlineText(inline.tokens, fields) : decodeEntities(inline.text);
        case 'escape':
        case 'codespan':
          return decodeEntities(inline.text);
        case 'strong':
        case 'em':
        case 'del':
        case 'link':
          return inlineText(inline.tokens, fields);
        case 'br':
          return '\n';
        case 'html':
          return htmlText(fields.takeComments(inline.text));
        default:
          // Images (their alt text is "图片" at best) and anything unknown carry no text.
          return '';
      }
    })
    .join('');
}

const cell = (tokens: Token[], fields: FieldCollector) => inlineText(tokens, fields).replace(/\s+/g, ' ').trim();

function blockLines(tokens: Token[], fields: FieldCollector, depth = 0): string[] {
  const lines: string[] = [];
  tokens.forEach((token, index) => {
    const block = token as MarkedToken;
    switch (block.type) {
      case 'heading':
        lines.push(inlineText(block.tokens, fields).replace(/\s*\n\s*/g, ' '));
        break;
      case 'paragraph': {
        // Field lines: bold ones anywhere (crawlers append 更新时间 at the end), plain ones only
        // in the page header, where a line such as 来源：新华社 is not body text.
        if (fields.takeBlock(block.raw, depth === 0 && index < 6)) break;
        const text = inlineText(block.tokens, fields);
        if (!/^[-=_*~—\s]*$/.test(text)) lines.push(text);
        break;
      }
      case 'text':
        lines.push(block.tokens ? inlineText(block.tokens, fields) : decodeEntities(block.text));
        break;
      case 'table':
        for (const row of [block.header, ...block.rows]) {
          const cells = row.map((tableCell: Tokens.TableCell) => cell(tableCell.tokens, fields));
          if (cells.some((text) => text !== '')) lines.push(tableRow(cells));
        }
        break;
      case 'list':
        block.items.forEach((item, position) => {
          const marker = block.ordered ? `${Number(block.start || 1) + position}. ` : '';
          const [first = '', ...rest] = blockLines(item.tokens, fields, depth + 1);
          lines.push(`${marker}${first}`, ...rest);
        });
        break;
      case 'blockquote':
        lines.push(...blockLines(block.tokens, fields, depth + 1));
        break;
      case 'code':
        lines.push(block.text);
        break;
      case 'html':
        lines.push(htmlText(fields.takeComments(block.text)));
        break;
      default:
        // space, hr, def: layout only.
        break;
    }
  });
  return lines;
}

const FRONT_MATTER = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/** A 公文 title naming its issuer: 国务院关于印发"十四五"国家应急体系规划的通知. */
const ISSUER_TITLE = /^(.{2,30}?)关于.{2,100}的(?:通知|决定|意见|公告|通告|批复|函)$/;
const bare = (text: string) => text.replace(/[\s“”"《》「」『』]/g, '');

/**
 * The document's full title when the text opens with one that names the issuer and contains the
 * crawler's heading: crawlers often title a page with the bare 事由 ("十四五"国家应急体系规划)
 * of what the document calls 国务院关于印发"十四五"国家应急体系规划的通知. A title without its
 * issuer (关于印发《…》的通知) is no more complete than the heading and is left alone. Such titles
 * are often broken over two lines.
 */
function issuerTitle(lines: string[], heading: string): string | undefined {
  const opening = lines.map((line) => line.trim()).filter((line) => line !== '').slice(0, 12);
  for (const [index, line] of opening.entries()) {
    for (const candidate of [line, `${line}${opening[index + 1] ?? ''}`]) {
      const issuer = candidate.length <= 120 ? candidate.match(ISSUER_TITLE)?.[1] : undefined;
      if (issuer && isIssuerName(issuer) && bare(candidate).includes(bare(heading)) && bare(candidate) !== bare(heading)) return candidate;
    }
  }
  return undefined;
}

export const loadMarkdown: Loader = async (buffer, fileName) => {
  const { text: source, encoding } = decodeText(buffer, fileName);
  const fields = new FieldCollector();
  const frontMatter = source.match(FRONT_MATTER);
  for (const line of frontMatter?.[1]?.split(/\r?\n/) ?? []) {
    const field = fieldOf(line, true);
    if (field) fields.add(field.field, field.value.replace(/^["']|["']$/g, ''));
  }
  const tokens = marked.lexer(frontMatter ? source.slice(frontMatter[0].length) : source, { gfm: true });
  const heading = tokens.find((token): token is Tokens.Heading => token.type === 'heading' && (token as Tokens.Heading).depth === 1);
  const blocks = blockLines(tokens, fields);
  const lines = blocks.flatMap((line) => line.split('\n'));
  const found = fields.found;
  const headingTitle = heading ? inlineText(heading.tokens, new FieldCollector()).trim() : undefined;
  const named = found.title ?? headingTitle;
  const bodyLines = headingTitle ? lines.slice(lines.findIndex((line) => line.trim() === headingTitle) + 1) : lines;
  // The same order as for any text (ingest's metadataFromText): the document's own date and
  // bodies (成文日期, 落款) over the portal's publication date and 发布机构, which crawlers also cut
  // short (2025年4月, 国家互联网信息办). The 文号 in the body is left to metadataFromText.
  const signature = findSignature(lines);
  const metadata = compactMetadata({
    title: (named && issuerTitle(bodyLines, named)) ?? named,
    issuer: signature.issuer ?? found.issuer,
    docNumber: found.docNumber,
    date: found.written ?? signature.date ?? found.date,
  });
  // A blank line between blocks, as in the source: a heading or paragraph ends there.
  return { text: blocks.join('\n\n'), format: encoding, ...(metadata ? { metadata } : {}) };
};
