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
const int = (fallback: number, min: number, max: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().min(min).max(max).default(fallback));
const number = (fallback: number, min: number, max: number) =>
  z.preprocess(blankAsUnset, z.coerce.number().min(min).max(max).default(fallback));
const url = z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/ }).optional());
const idList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(/[,\s]+/).filter(Boolean) : (blankAsUnset(value) ?? [])),
  z.array(z.string()),
);

const CONSOLE_PORT_HINT = 'CONSOLE_PORT: 可选 1–65535 的端口号，留空表示不启用管理后台';
const OPS_PORT_HINT = 'OPS_PORT: 可选 1–65535 的端口号（或 0 表示随机空闲端口），留空表示不启用 /healthz、/readyz、/metrics';

export const configSchema = z
  .object({
    KNOWLEDGE_DIR: z.preprocess(blankAsUnset, z.string().default('knowledge')),
    INDEX_DIR: z.preprocess(blankAsUnset, z.string().default('data/index')),
    DATA_DIR: z.preprocess(blankAsUnset, z.string().default('data')),
    MAX_FILE_MB: number(20, 0.001, 1024),

    EMBEDDINGS: z.preprocess(blankAsUnset, z.enum(['local', 'openai', 'transformers']).default('local')),
    EMBEDDINGS_MODEL: optionalString,
    EMBEDDINGS_BASE_URL: url,
    EMBEDDINGS_API_KEY: optionalString,
    EMBEDDINGS_TIMEOUT_MS: int(30_000, 100, 600_000),
    TRANSFORMERS_CACHE_DIR: optionalString,

    LLM_BASE_URL: url,
    LLM_API_KEY: optionalString,
    LLM_MODEL: optionalString,
    LLM_TEMPERATURE: number(0.1, 0, 2),
    LLM_TIMEOUT_MS: int(30_000, 100, 600_000),
    LLM_MAX_TOKENS: int(800, 16, 32_000),

    LARK_APP_ID: optionalString,
    LARK_APP_SECRET: optionalString,
    LARK_TRANSPORT: z.preprocess(blankAsUnset, z.enum(['websocket', 'webhook']).default('websocket')),
    LARK_DOMAIN: z.preprocess(
      blankAsUnset,
      z.union([z.enum(['feishu', 'lark']), z.url({ protocol: /^https?$/ })]).default('feishu'),
    ),
    LARK_ENCRYPT_KEY: optionalString,
    LARK_VERIFICATION_TOKEN: optionalString,
    PORT: int(3000, 1, 65_535),
    ADMIN_OPEN_IDS: idList,

    CONSOLE_PORT: z.preprocess(blankAsUnset, z.coerce.number({ error: CONSOLE_PORT_HINT }).int({ error: CONSOLE_PORT_HINT }).min(1, { error: CONSOLE_PORT_HINT }).max(65_535, { error: CONSOLE_PORT_HINT }).optional()),
    CONSOLE_HOST: z.preprocess(blankAsUnset, z.string().default('127.0.0.1')),
    CONSOLE_URL: z.preprocess(blankAsUnset, z.url({ protocol: /^https?$/, error: 'CONSOLE_URL 需以 http:// 或 https:// 开头，如 https://bot.example.com' }).optional()),
    CONSOLE_SECRET: z.preprocess(blankAsUnset, z.string().min(32, { error: 'CONSOLE_SECRET 至少 32 个字符（或留空，自动生成并保存在 DATA_DIR）' }).optional()),

    OPS_PORT: z.preprocess(blankAsUnset, z.coerce.number({ error: OPS_PORT_HINT }).int({ error: OPS_PORT_HINT }).min(0, { error: OPS_PORT_HINT }).max(65_535, { error: OPS_PORT_HINT }).optional()),
    OPS_HOST: z.preprocess(blankAsUnset, z.string().default('127.0.0.1')),

    CHAT_CONTEXT_TURNS: int(3, 0, 20),
    CHAT_CONTEXT_TTL_MINUTES: int(30, 1, 24 * 60),
    LOG_LEVEL: z.preprocess(blankAsUnset, z.enum(['debug', 'info', 'warn', 'error']).default('info')),
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

/**
 * Parses the environment once. Throws `config_invalid` whose message names every bad variable,
 * e.g. `PORT: Too big: expected number to be <=65535`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env, cwd = process.cwd()): Config {
  const result = configSchema.safeParse(env);
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
