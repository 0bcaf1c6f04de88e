/**
 * @module Configuration, validated once at start-up from an injected environment (t3-env style:
 * blank values count as unset, so `PORT=` in .env falls back to the default instead of failing).
 * Every key here is listed, with a comment, in `.env.example`.
 */
import path from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';

const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optionalString = z.preprocess(blankAsUnset, z.string().optional());
/** One message for every way a number can be wrong: it names the range and the default, which is what the operator needs. */
const int = (fallback: number, min: number, max: number) => {
  const error = `需为 ${min}–${max} 的整数（留空则为 ${fallback}）`;
  return z.preprocess(blankAsUnset, z.coerce.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(fallback));
};
const number = (fallback: number, min: number, max: number) => {
  const error = `需为 ${min}–${max} 的数字（留空则为 ${fallback}）`;
  return z.preprocess(blankAsUnset, z.coerce.number({ error }).min(min, { error }).max(max, { error }).default(fallback));
};
const URL_HINT = '需为以 http:// 或 https:// 开头的地址';
const url = z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/, error: URL_HINT }).optional());
const LARK_DOMAIN_HINT = '可选 feishu、lark 或以 http(s):// 开头的地址（留空则为 feishu）';
/** A choice among fixed values, whose error lists them. */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z.preprocess(blankAsUnset, z.enum(values, { error: `可选 ${values.slice(0, -1).join('、')} 或 ${values.at(-1)}（留空则为 ${fallback}）` }).default(fallback));
const idList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(/[,\s]+/).filter(Boolean) : (blankAsUnset(value) ?? [])),
  z.array(z.string()),
);

/** A port for an optional server: unset means the server is off, which the error says. */
const optionalPort = (server: string) => {
  const error = `可选 1–65535 的端口号，留空表示不启用${server}`;
  return z.preprocess(blankAsUnset, z.coerce.number({ error }).int({ error }).min(1, { error }).max(65_535, { error }).optional());
};
const text = (fallback: string) => z.preprocess(blankAsUnset, z.string().default(fallback));

/**
 * The local embedder's vector size by default. The vector graph is held in memory at 4 bytes per
 * dimension and chunk: at 128, a 170,000-chunk index's graph takes ~110 MB instead of ~200 MB at
 * 256, which is what keeps a bot serving it under 400 MB, while on every eval set 128 ranks and
 * answers as 256 does (README, 规模与内存): the keyword side carries the same words and decides
 * most rankings, so the extra hash collisions at 128 cost little.
 */
export const LOCAL_DIMENSIONS = 128;

export const configSchema = z
  .object({
    KNOWLEDGE_DIR: text('knowledge'),
    INDEX_DIR: text('data/index'),
    DATA_DIR: text('data'),
    MAX_FILE_MB: number(20, 0.001, 1024),

    EMBEDDINGS: oneOf(['local', 'openai', 'transformers'], 'local'),
    EMBEDDINGS_MODEL: optionalString,
    EMBEDDINGS_BASE_URL: url,
    EMBEDDINGS_API_KEY: optionalString,
    EMBEDDINGS_TIMEOUT_MS: int(30_000, 100, 600_000),
    LOCAL_EMBEDDINGS_DIMENSIONS: int(LOCAL_DIMENSIONS, 32, 2048),
    TRANSFORMERS_CACHE_DIR: optionalString,

    LLM_BASE_URL: url,
    LLM_API_KEY: optionalString,
    LLM_MODEL: optionalString,
    LLM_TEMPERATURE: number(0.1, 0, 2),
    LLM_TIMEOUT_MS: int(30_000, 100, 600_000),
    LLM_MAX_TOKENS: int(800, 16, 32_000),

    LARK_APP_ID: optionalString,
    LARK_APP_SECRET: optionalString,
    LARK_TRANSPORT: oneOf(['websocket', 'webhook'], 'websocket'),
    LARK_DOMAIN: z.preprocess(
      blankAsUnset,
      z.union([z.enum(['feishu', 'lark'], { error: LARK_DOMAIN_HINT }), z.url({ protocol: /^https?$/, error: LARK_DOMAIN_HINT })], { error: LARK_DOMAIN_HINT }).default('feishu'),
    ),
    LARK_ENCRYPT_KEY: optionalString,
    LARK_VERIFICATION_TOKEN: optionalString,
    PORT: int(3000, 1, 65_535),
    ADMIN_OPEN_IDS: idList,

    CONSOLE_PORT: optionalPort('管理后台'),
    CONSOLE_HOST: text('127.0.0.1'),
    CONSOLE_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/, error: '需以 http:// 或 https:// 开头，如 https://bot.example.com' }).optional()),
    CONSOLE_SECRET: z.preprocess(blankAsUnset, z.string().min(32, { error: '至少 32 个字符（或留空，自动生成并保存在 DATA_DIR）' }).optional()),

    OPS_PORT: optionalPort(' /healthz、/readyz、/metrics'),
    OPS_HOST: text('127.0.0.1'),

    DATABASE_URL: z.preprocess(
      blankAsUnset,
      z.string().regex(/^postgres(ql)?:\/\/\S+$/, { error: '需为 postgres:// 或 postgresql:// 开头的 PostgreSQL 连接地址，如 postgres://bot:密码@db.example.com:5432/qa_bot（留空则使用 DATA_DIR 下的 SQLite 文件）' }).optional(),
    ),
    CLAIM_LEASE_SECONDS: int(30, 2, 600),

    CHAT_CONTEXT_TURNS: int(3, 0, 20),
    CHAT_CONTEXT_TTL_MINUTES: int(30, 1, 24 * 60),
    /** Days the question log keeps each question; older ones are deleted, their daily figures kept. */
    QUESTION_LOG_DAYS: int(365, 1, 36_500),
    LOG_LEVEL: oneOf(['debug', 'info', 'warn', 'error'], 'info'),
  })
  .superRefine((config, context) => {
    if (Boolean(config.LARK_APP_ID) !== Boolean(config.LARK_APP_SECRET)) {
      context.addIssue({
        code: 'custom',
        path: [config.LARK_APP_ID ? 'LARK_APP_SECRET' : 'LARK_APP_ID'],
        message: 'LARK_APP_ID 与 LARK_APP_SECRET 需同时设置（或都留空以使用本地终端模式）',
      });
    }
    if (config.LARK_APP_ID && config.LARK_TRANSPORT === 'webhook' && !config.LARK_ENCRYPT_KEY) {
      context.addIssue({
        code: 'custom',
        path: ['LARK_ENCRYPT_KEY'],
        message: 'webhook 模式必须设置 Encrypt Key，否则无法校验请求签名',
      });
    }
    const llmKeys = [config.LLM_BASE_URL, config.LLM_MODEL];
    if (llmKeys.some(Boolean) && !llmKeys.every(Boolean)) {
      context.addIssue({
        code: 'custom',
        path: [config.LLM_BASE_URL ? 'LLM_MODEL' : 'LLM_BASE_URL'],
        message: '启用大模型需同时设置 LLM_BASE_URL 与 LLM_MODEL',
      });
    }
    if (config.EMBEDDINGS === 'openai' && !(config.EMBEDDINGS_BASE_URL && config.EMBEDDINGS_MODEL)) {
      context.addIssue({
        code: 'custom',
        path: [config.EMBEDDINGS_BASE_URL ? 'EMBEDDINGS_MODEL' : 'EMBEDDINGS_BASE_URL'],
        message: 'EMBEDDINGS=openai 需要 EMBEDDINGS_BASE_URL 与 EMBEDDINGS_MODEL',
      });
    }
  });

/** The chat model's settings, present only when both `LLM_BASE_URL` and `LLM_MODEL` are set. */
export interface LlmSettings {
  baseUrl: string;
  apiKey: string | undefined;
  model: string;
  temperature: number;
  /** Deadline for one answer, from request to last token. */
  timeoutMs: number;
  maxTokens: number;
}

/** Values every caller would otherwise work out from the raw variables, computed once here. */
interface DerivedConfig {
  /** `MAX_FILE_MB` in bytes: the limit for ingest and uploads. */
  maxFileBytes: number;
  llm: LlmSettings | undefined;
}

export type Config = z.infer<typeof configSchema> & DerivedConfig;

/** Settings only Lark reads, and of those the ones only its webhook transport reads. */
const LARK_ONLY = ['LARK_TRANSPORT', 'LARK_DOMAIN', 'LARK_ENCRYPT_KEY', 'LARK_VERIFICATION_TOKEN', 'PORT'];
const WEBHOOK_ONLY = ['LARK_ENCRYPT_KEY', 'LARK_VERIFICATION_TOKEN', 'PORT'];

/** The settings the mode this environment selects never reads: without Lark credentials the terminal chat, else Lark over websocket or webhook. */
function unusedInMode(env: Record<string, string | undefined>): Set<string> {
  const set = (key: string) => blankAsUnset(env[key]) !== undefined;
  if (!set('LARK_APP_ID') && !set('LARK_APP_SECRET')) return new Set(LARK_ONLY);
  return new Set(env['LARK_TRANSPORT']?.trim() === 'webhook' ? [] : WEBHOOK_ONLY);
}

/**
 * A bad value in a setting this mode does not read must not stop it (a webhook port left in .env
 * while trying the terminal chat): such settings are dropped, taking their defaults, and only the
 * rest is judged.
 */
function parseForMode(env: Record<string, string | undefined>) {
  const result = configSchema.safeParse(env);
  if (result.success) return result;
  const unused = unusedInMode(env);
  const ignored = new Set(result.error.issues.map((issue) => String(issue.path[0])).filter((key) => unused.has(key)));
  if (ignored.size === 0) return result;
  return configSchema.safeParse(Object.fromEntries(Object.entries(env).filter(([key]) => !ignored.has(key))));
}

/**
 * Parses the environment once. Throws `config_invalid` whose message names every bad variable,
 * e.g. `PORT: 需为 1–65535 的整数（留空则为 3000）`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const result = parseForMode(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => `  - ${issue.path.join('.') || '(配置)'}: ${issue.message}`);
    throw new AppError('config_invalid', `配置无效，请检查环境变量或 .env：\n${lines.join('\n')}`, {
      context: { issues: result.error.issues },
    });
  }
  const config = result.data;
  return {
    ...config,
    KNOWLEDGE_DIR: path.resolve(cwd, config.KNOWLEDGE_DIR),
    INDEX_DIR: path.resolve(cwd, config.INDEX_DIR),
    DATA_DIR: path.resolve(cwd, config.DATA_DIR),
    maxFileBytes: config.MAX_FILE_MB * 1024 * 1024,
    llm:
      config.LLM_BASE_URL && config.LLM_MODEL
        ? {
            baseUrl: config.LLM_BASE_URL,
            apiKey: config.LLM_API_KEY,
            model: config.LLM_MODEL,
            temperature: config.LLM_TEMPERATURE,
            timeoutMs: config.LLM_TIMEOUT_MS,
            maxTokens: config.LLM_MAX_TOKENS,
          }
        : undefined,
  };
}
