/**
 * @module One error family for the whole app. `code` is stable and machine-readable (tests, logs,
 * retry decisions); `message` is for the operator. User-facing Chinese text is chosen from the code
 * at the chat boundary, never parsed out of a message.
 */
export type AppErrorCode =
  | 'config_invalid'
  | 'invalid_argument'
  | 'index_missing'
  | 'index_corrupt'
  | 'index_incompatible'
  | 'document_unreadable'
  | 'document_empty'
  | 'document_too_large'
  | 'document_unsupported'
  | 'document_encrypted'
  | 'nothing_to_ingest'
  | 'ingest_busy'
  | 'embed_failed'
  | 'dependency_incompatible'
  | 'send_failed'
  | 'upload_rejected'
  | 'store_failed'
  | 'reply_unconfirmed'
  | 'ingest_limit';

export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: AppErrorCode;
  readonly context: Record<string, unknown> | undefined;

  constructor(code: AppErrorCode, message: string, options: { cause?: unknown; context?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.code = code;
    this.context = options.context;
  }
}

export function isAppError(value: unknown, code?: AppErrorCode): value is AppError {
  return value instanceof AppError && (code === undefined || value.code === code);
}

/** A one-line description of any thrown value, for logs and CLI output. */
export function describeError(value: unknown): string {
  if (value instanceof AppError) return `${value.message} [${value.code}]`;
  if (value instanceof Error) return value.message;
  return String(value);
}
