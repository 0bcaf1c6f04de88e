/**
 * @module Reply cards (Card JSON 2.0). Phone first: one column, short header, the answer before
 * the sources, long 原文 folded away. Buttons carry only an answer id; the rest is in the store.
 */
import type { Answer, Citation } from '../answer/index.ts';
import { STATUS_LABEL, type IngestSummary } from '../../ingest/index.ts';

type Element = Record<string, unknown>;
type Template = 'blue' | 'green' | 'orange' | 'red' | 'grey' | 'wathet';

/** Lark markdown treats `<` as the start of a tag (<at>, <font>); document text must not. */
export function escapeMarkdown(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/([*_~`[\]])/g, '\\$1');
}

function card(options: { title: string; template: Template; summary: string; elements: Element[] }): object {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', summary: { content: options.summary.slice(0, 60) } },
    header: { title: { tag: 'plain_text', content: options.title }, template: options.template },
    body: { elements: options.elements },
  };
}

const markdown = (content: string, extra: Element = {}): Element => ({ tag: 'markdown', content, ...extra });
const note = (content: string): Element => markdown(`<font color='grey'>${content}</font>`, { text_size: 'notation' });

function button(label: string, value: Record<string, unknown>, type: 'primary' | 'default' | 'danger' = 'default', disabled = false): Element {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: label },
    type,
    size: 'small',
    disabled,
    behaviors: [{ type: 'callback', value }],
  };
}

function buttonRow(buttons: Element[]): Element {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: '8px',
    columns: buttons.map((element) => ({ tag: 'column', width: 'auto', elements: [element] })),
  };
}

/** Marks like [1] stay readable; the escape above would otherwise hide them behind backslashes. */
function markedAnswerText(text: string): string {
  return escapeMarkdown(text).replace(/\\\[(\d+)\\\]/g, '[$1]');
}

function sourceLine(citation: Citation): string {
  const meta = [citation.section, citation.docNumber, citation.date].filter(Boolean).map((part) => escapeMarkdown(part!)).join(' · ');
  return [`**[${citation.n}] 《${escapeMarkdown(citation.title)}》**`, meta ? `<font color='grey'>${meta}</font>` : '', `> ${escapeMarkdown(citation.quote)}`]
    .filter(Boolean)
    .join('\n');
}

export interface FeedbackState {
  vote?: 'up' | 'down';
}

/**
 * The buttons say whether their card is in a private chat (`p2p`), since a click does not: there
 * the card itself may show the vote, in a group it is everyone's card and must not.
 */
function feedbackButtons(answerId: string, state: FeedbackState, withSource: boolean, p2p: boolean): Element {
  const voted = state.vote !== undefined;
  const chat = p2p ? { p2p: true } : {};
  const buttons = [
    button(state.vote === 'up' ? '👍 已标记有用' : '👍 有用', { action: 'feedback', answerId, vote: 'up', ...chat }, state.vote === 'up' ? 'primary' : 'default', voted),
    button(state.vote === 'down' ? '👎 已标记没用' : '👎 没用', { action: 'feedback', answerId, vote: 'down', ...chat }, state.vote === 'down' ? 'danger' : 'default', voted),
  ];
  if (withSource) buttons.push(button('📄 查看原文', { action: 'source', answerId, ...chat }));
  return buttonRow(buttons);
}

/** The cited clauses, each with its 原文 folded away when the quote is only part of it. */
function sourceElements(citations: Citation[], heading: string): Element[] {
  const elements: Element[] = [{ tag: 'hr' }, markdown(`**${heading}**`)];
  for (const citation of citations) {
    elements.push(markdown(sourceLine(citation)));
    if (citation.passage.length > citation.quote.length + 20) {
      elements.push({
        tag: 'collapsible_panel',
        expanded: false,
        header: { title: { tag: 'markdown', content: `<font color='grey'>展开 [${citation.n}] 原文</font>` } },
        elements: [markdown(escapeMarkdown(citation.passage), { text_size: 'notation' })],
      });
    }
  }
  return elements;
}

/** What each outcome's card is called, and what its list of citations is headed. */
const OUTCOME_CARD = {
  answer: { title: '政策问答', template: 'blue', sources: '来源', summary: '答' },
  // Not an answer, and its header says so before anything is read: its own title and colour.
  related: { title: '未找到直接答案 · 相关条款', template: 'wathet', sources: '相关条款', summary: '未找到直接答案' },
  none: { title: '未在政策文件中找到依据', template: 'orange', sources: '', summary: '未找到依据' },
} as const satisfies Record<Answer['outcome'], { title: string; template: Template; sources: string; summary: string }>;

/**
 * `question` names what was answered in the chat list's preview (the card's summary); `p2p` marks
 * a card in a private chat, where a vote may redraw it.
 */
export function answerCard(input: { answerId: string; answer: Answer; question?: string; understoodAs?: string; feedback?: FeedbackState; p2p?: boolean }): object {
  const { answer, answerId } = input;
  const { outcome } = answer;
  const { title, template, sources } = OUTCOME_CARD[outcome];
  const asked = input.understoodAs ?? input.question;
  const summary = asked ? `${OUTCOME_CARD[outcome].summary}：${asked}` : answer.text.replace(/\[\d+\]/g, '');
  const elements: Element[] = [];
  if (input.understoodAs) elements.push(note(`按“${escapeMarkdown(input.understoodAs)}”理解您的问题`));
  if (outcome === 'none') {
    elements.push(markdown(escapeMarkdown(answer.text)));
    elements.push(feedbackButtons(answerId, input.feedback ?? {}, false, input.p2p ?? false));
    return card({ title, template, summary, elements });
  }
  elements.push(markdown(markedAnswerText(answer.text)));
  if (answer.note) elements.push(note(escapeMarkdown(answer.note)));
  elements.push(...sourceElements(answer.citations, sources));
  elements.push(feedbackButtons(answerId, input.feedback ?? {}, true, input.p2p ?? false));
  return card({ title, template, summary, elements });
}

/** What a streamed reply shows until the first words of the answer arrive. */
export function streamingPlaceholder(question: string): string {
  return `正在查找：${escapeMarkdown(question)}……`;
}

/**
 * The answer and its sources as one markdown text: what a streamed card is left showing, so it is
 * the verified answer even if replacing the stream with the full card fails.
 */
export function answerMarkdown(answer: Answer): string {
  if (answer.outcome === 'none') return escapeMarkdown(answer.text);
  const sources = answer.citations.map((citation) => sourceLine(citation));
  const heading = OUTCOME_CARD[answer.outcome].sources;
  return [markedAnswerText(answer.text), ...(sources.length > 0 ? ['', `**${heading}**`, ...sources] : [])].join('\n');
}

/** `question` says which answer the 原文 belongs to, for a card sent on its own (privately, out of the group). */
export function sourceCard(citations: Citation[], question?: string): object {
  const intro = question ? [note(`回答“${escapeMarkdown(question)}”所引用的原文`)] : [];
  const elements = citations.flatMap((citation) => [
    markdown(`**[${citation.n}] 《${escapeMarkdown(citation.title)}》**${citation.section ? `\n<font color='grey'>${escapeMarkdown(citation.section)}</font>` : ''}`),
    markdown(escapeMarkdown(citation.passage)),
  ]);
  return card({ title: '原文', template: 'grey', summary: question ? `原文：${question}` : '引用原文', elements: [...intro, ...(elements.length > 0 ? elements : [markdown('这条回答没有引用原文。')])] });
}

export function textCard(input: { title: string; text: string; template?: Template }): object {
  return card({ title: input.title, template: input.template ?? 'blue', summary: input.text, elements: [markdown(input.text)] });
}

export function errorCard(text: string): object {
  return textCard({ title: '出错了', text, template: 'red' });
}

export function ingestCard(summary: IngestSummary, headline: string): object {
  const changed = summary.documents.filter((document) => document.status !== 'unchanged');
  const lines = changed.map(
    (document) => `- ${escapeMarkdown(document.path)}：${STATUS_LABEL[document.status]}${document.chunks ? `，${document.chunks} 个片段` : ''}${document.error ? `\n  <font color='red'>${escapeMarkdown(document.error)}</font>` : ''}`,
  );
  const unchanged = summary.documents.length - changed.length;
  const footer = `索引版本 ${summary.version}${summary.switched ? '（已启用）' : '（未变化）'} · 嵌入 ${summary.embedded} · 复用 ${summary.reused} · 用时 ${(summary.ms / 1000).toFixed(1)} 秒`;
  const failed = summary.documents.some((document) => document.status === 'failed');
  return card({
    title: headline,
    template: failed ? 'orange' : 'green',
    summary: headline,
    elements: [markdown([...lines, unchanged > 0 ? `- 其余 ${unchanged} 个文档未变` : ''].filter(Boolean).join('\n') || '没有变化。'), note(footer)],
  });
}
