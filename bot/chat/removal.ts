/**
 * @module `删除` in two steps, as plain messages so Lark and the terminal chat work alike: the admin
 * names a document (exactly, or by choosing from a numbered list of matches), the bot asks, and only
 * `确认删除` from the same admin in the same chat deletes it. What awaits confirmation is kept in
 * memory for a few minutes: after a restart nothing is pending, so a replayed or late `确认删除`
 * deletes nothing.
 */
import type { DocumentRecord } from '../../core/index.ts';
import type { KnowledgeAdmin } from '../../ingest/index.ts';
import { escapeMarkdown, ingestCard, textCard } from './cards.ts';
import type { IncomingMessage } from './types.ts';

interface RemovalContext {
  message: IncomingMessage;
  argument: string;
  reply: (card: object) => Promise<string>;
  admin: KnowledgeAdmin;
}

type Pending = { kind: 'choose'; documents: DocumentRecord[]; expiresAt: number } | { kind: 'confirm'; document: DocumentRecord; expiresAt: number };

const PENDING_MS = 5 * 60 * 1000;
/** A list longer than this is not a choice: the admin should type more of the name. */
const MAX_CHOICES = 20;

/** Per bot (its admin), per chat and sender: one admin's question never answers another's. */
const pendingByAdmin = new WeakMap<KnowledgeAdmin, Map<string, Pending>>();

function pendingOf(admin: KnowledgeAdmin): Map<string, Pending> {
  const pending = pendingByAdmin.get(admin) ?? new Map<string, Pending>();
  pendingByAdmin.set(admin, pending);
  const now = Date.now();
  for (const [key, entry] of pending) if (entry.expiresAt <= now) pending.delete(key);
  return pending;
}

const keyOf = (message: IncomingMessage) => `${message.chatId}\n${message.senderId}`;
const describe = (document: DocumentRecord) => escapeMarkdown(document.title === document.file ? `《${document.title}》` : `《${document.title}》（${document.file}）`);

async function askToConfirm({ message, reply, admin }: RemovalContext, document: DocumentRecord): Promise<void> {
  pendingOf(admin).set(keyOf(message), { kind: 'confirm', document, expiresAt: Date.now() + PENDING_MS });
  const text = `确认删除${describe(document)}？\n\n回复「确认删除」即删除并重新导入；回复其他内容或 ${PENDING_MS / 60_000} 分钟内不回复，则不会删除。`;
  await reply(textCard({ title: '确认删除', text, template: 'orange' }));
}

export async function requestRemoval(context: RemovalContext): Promise<void> {
  const { message, argument, reply, admin } = context;
  if (argument === '') {
    await reply(textCard({ title: '用法', text: '删除 文件名或标题（发送“文档”查看列表）', template: 'grey' }));
    return;
  }
  const pending = pendingOf(admin).get(keyOf(message));
  const choice = /^\d+$/.test(argument) && pending?.kind === 'choose' ? pending.documents[Number(argument) - 1] : undefined;
  if (choice) return askToConfirm(context, choice);
  const { documents, exact } = admin.findDocuments(argument);
  if (exact && documents.length === 1) return askToConfirm(context, documents[0]!);
  if (documents.length === 0) {
    await reply(textCard({ title: '未找到文档', text: `没有找到文档「${escapeMarkdown(argument)}」；发送“文档”查看列表。`, template: 'grey' }));
    return;
  }
  if (documents.length > MAX_CHOICES) {
    await reply(textCard({ title: '匹配的文档太多', text: `「${escapeMarkdown(argument)}」匹配到 ${documents.length} 个文档，请写出更完整的文件名或标题。`, template: 'grey' }));
    return;
  }
  pendingOf(admin).set(keyOf(message), { kind: 'choose', documents, expiresAt: Date.now() + PENDING_MS });
  const lines = documents.map((document, index) => `${index + 1}. ${describe(document)}`);
  const text = `「${escapeMarkdown(argument)}」匹配到 ${documents.length} 个文档，请回复「删除 序号」选择要删除的一个（删除前还会再确认）：\n\n${lines.join('\n')}`;
  await reply(textCard({ title: '请选择要删除的文档', text }));
}

export async function confirmRemoval({ message, argument, reply, admin }: RemovalContext): Promise<void> {
  const pendings = pendingOf(admin);
  const pending = pendings.get(keyOf(message));
  if (pending?.kind !== 'confirm') {
    await reply(textCard({ title: '没有待确认的删除', text: '没有需要确认的删除（或已超时），未删除任何文档。请先发送“删除 文件名”。', template: 'grey' }));
    return;
  }
  const { document } = pending;
  const named = argument.replace(/^《|》$/g, '');
  if (named !== '' && named !== document.file && named !== document.title) {
    await reply(textCard({ title: '未删除', text: `待确认删除的是${describe(document)}，与「${escapeMarkdown(argument)}」不符，未删除任何文档。`, template: 'grey' }));
    return;
  }
  // Taken before the run, so a second 确认删除 cannot delete twice (or delete a re-upload).
  pendings.delete(keyOf(message));
  const { title, summary } = await admin.removeDocument(document.file);
  await reply(ingestCard(summary, `已删除《${title}》`));
}
