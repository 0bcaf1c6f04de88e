/**
 * @module Structured one-line JSON logs (pino) with secrets redacted. On stderr by default: stdout
 * belongs to the terminal chat and CLI output; the terminal chat sends them to a file instead.
 */
import { pino, type DestinationStream } from 'pino';

export interface Logger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Keys whose values never reach a log, at the top of a context or one level down (a config object,
 * a request's headers, an SDK error's `config`). pino's redaction matches key paths, not text,
 * hence {@link scrubText} for text.
 */
const SECRET_KEYS = [
  'LARK_APP_SECRET',
  'LARK_ENCRYPT_KEY',
  'LARK_VERIFICATION_TOKEN',
  'LLM_API_KEY',
  'EMBEDDINGS_API_KEY',
  'CONSOLE_SECRET',
  'appSecret',
  'app_secret',
  'encryptKey',
  'verificationToken',
  'apiKey',
  'api_key',
  'secret',
  'password',
  'token',
  'accessToken',
  'access_token',
  'tenant_access_token',
  'app_access_token',
  'refreshToken',
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  'set-cookie',
];

const REDACT_PATHS = SECRET_KEYS.map((key) => `["${key}"]`).flatMap((key) => [key, `*${key}`, `*.headers${key}`, `*.*.headers${key}`]);
const CENSOR = '[已隐藏]';

/** `key: value` / `"key":"value"` / `key=value` of a secret key inside text, and bearer credentials. */
const SECRET_IN_TEXT = new RegExp(`(\\b(?:${SECRET_KEYS.join('|')})"?\\s*[:=]\\s*)("[^"]*"|'[^']*'|[^\\s,;&}]+)`, 'gi');
const CREDENTIAL_IN_TEXT = /\b(Bearer|Basic)\s+[\w.~+/=-]+/gi;

/**
 * Text built elsewhere (the Lark SDK's log lines are its objects stringified, an error message may
 * quote a request) can carry a secret that no key path reaches.
 */
function scrubText(text: string): string {
  return text.replace(SECRET_IN_TEXT, `$1${CENSOR}`).replace(CREDENTIAL_IN_TEXT, `$1 ${CENSOR}`);
}

function scrubContext(context: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!context) return {};
  return Object.fromEntries(Object.entries(context).map(([key, value]) => [key, typeof value === 'string' ? scrubText(value) : value]));
}

/**
 * `destination`: a file path (created with its folder; written synchronously so nothing is lost
 * when the process exits) or any stream; stderr when omitted.
 */
export function createLogger(level: LogLevel = 'info', destination?: string | DestinationStream): Logger {
  const stream = typeof destination === 'string' ? pino.destination({ dest: destination, mkdir: true, sync: true }) : (destination ?? pino.destination({ dest: 2, sync: true }));
  const log = pino(
    {
      level,
      messageKey: 'message',
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACT_PATHS, censor: CENSOR },
    },
    stream,
  );
  return {
    info: (message, context) => log.info(scrubContext(context), scrubText(message)),
    warn: (message, context) => log.warn(scrubContext(context), scrubText(message)),
    error: (message, context) => log.error(scrubContext(context), scrubText(message)),
  };
}
