/**
 * @module What users read when the bot cannot do what they asked: a hint for messages it cannot
 * read, and a Chinese explanation for a failure, never the operator's message.
 */
import { isAppError, type AppErrorCode } from '../../core/index.ts';

const MEDIA_HINT: Record<string, string> = {
  image: '暂时看不懂图片哦。请用文字描述您的问题，例如“一窗通办怎么办理？”',
  sticker: '收到表情啦 😊 有政策问题请直接用文字提问。',
  audio: '暂不支持语音消息，请用文字提问。',
  media: '暂不支持视频消息，请用文字提问。',
};

/**
 * What users read when something fails, chosen by error code: operator messages carry paths and
 * English from libraries. Only problems with the admin's own document are explained in detail.
 */
const USER_TEXT: Partial<Record<AppErrorCode, string>> = {
  index_missing: '知识库索引暂不可用，请联系管理员重新导入文档。',
  index_corrupt: '知识库索引暂不可用，请联系管理员重新导入文档。',
  index_incompatible: '知识库索引需要重建，请联系管理员重新导入文档。',
  ingest_busy: '另一个导入任务正在进行，请稍后再试。',
  nothing_to_ingest: '导入后知识库中将没有可用的文档，已保留原有文档和索引。',
  embed_failed: '向量模型暂不可用，导入未完成，请联系管理员检查嵌入服务配置。',
};
const DOCUMENT_CODES = new Set<AppErrorCode>([
  'document_unreadable',
  'document_empty',
  'document_too_large',
  'document_unsupported',
  'document_encrypted',
  'upload_rejected',
  'invalid_argument',
  'ingest_limit',
]);

/** The reply to a message that is neither text nor a document (Lark's message_type). */
export function mediaHint(contentType: string): string {
  return MEDIA_HINT[contentType] ?? '暂不支持这种消息，请用文字提问。';
}

export function userMessage(error: unknown): string {
  if (isAppError(error)) {
    if (DOCUMENT_CODES.has(error.code)) return error.message;
    const text = USER_TEXT[error.code];
    if (text) return text;
  }
  return '处理您的消息时出了点问题，请稍后再试。如果一直出现，请联系管理员。';
}

/** The answer's own note (e.g. a model fallback) and the chat's (e.g. a trimmed question), joined. */
export function combinedNote(...notes: (string | undefined)[]): string | undefined {
  return notes.filter(Boolean).join('；') || undefined;
}
