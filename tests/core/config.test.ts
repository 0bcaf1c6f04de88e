import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, isAppError } from '../../core/index.ts';

function configError(env: Record<string, string | undefined>): string {
  try {
    loadConfig(env, '/srv/bot');
  } catch (error) {
    expect(isAppError(error, 'config_invalid')).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected config_invalid for ${JSON.stringify(env)}`);
}

/** Lark over webhook: the mode that reads every Lark setting, PORT included. */
const WEBHOOK = { LARK_APP_ID: 'cli_123', LARK_APP_SECRET: 'secret', LARK_TRANSPORT: 'webhook', LARK_ENCRYPT_KEY: 'key' };
const WEBSOCKET = { LARK_APP_ID: 'cli_123', LARK_APP_SECRET: 'secret' };

describe('loadConfig', () => {
  it('falls back to the defaults, resolving folders against cwd', () => {
    const config = loadConfig({}, '/srv/bot');
    expect(config).toMatchObject({
      KNOWLEDGE_DIR: path.resolve('/srv/bot', 'knowledge'),
      INDEX_DIR: path.resolve('/srv/bot', 'data/index'),
      DATA_DIR: path.resolve('/srv/bot', 'data'),
      MAX_FILE_MB: 20,
      EMBEDDINGS: 'local',
      PORT: 3000,
      LARK_TRANSPORT: 'websocket',
      LARK_DOMAIN: 'feishu',
      ADMIN_OPEN_IDS: [],
      LOG_LEVEL: 'info',
    });
    expect(config.LARK_APP_ID).toBeUndefined();
    expect(config.LLM_BASE_URL).toBeUndefined();
  });

  it('treats blank values as unset', () => {
    const config = loadConfig({ PORT: '', MAX_FILE_MB: '  ', EMBEDDINGS: '', LARK_APP_ID: ' ', LARK_APP_SECRET: '', LLM_BASE_URL: '', ADMIN_OPEN_IDS: '' }, '/srv/bot');
    expect(config.PORT).toBe(3000);
    expect(config.MAX_FILE_MB).toBe(20);
    expect(config.EMBEDDINGS).toBe('local');
    expect(config.LARK_APP_ID).toBeUndefined();
    expect(config.ADMIN_OPEN_IDS).toEqual([]);
  });

  it('parses the values it is given', () => {
    const config = loadConfig({ PORT: '8080', MAX_FILE_MB: '0.5', INDEX_DIR: '/var/index', ADMIN_OPEN_IDS: 'ou_a, ou_b ou_c' }, '/srv/bot');
    expect(config.PORT).toBe(8080);
    expect(config.MAX_FILE_MB).toBe(0.5);
    expect(config.INDEX_DIR).toBe('/var/index');
    expect(config.ADMIN_OPEN_IDS).toEqual(['ou_a', 'ou_b', 'ou_c']);
  });

  it('names PORT when it is not a valid port (in webhook mode, the one that serves it)', () => {
    expect(configError({ ...WEBHOOK, PORT: 'abc' })).toMatch(/PORT:/);
    expect(configError({ ...WEBHOOK, PORT: '70000' })).toMatch(/PORT:/);
    expect(configError({ ...WEBHOOK, PORT: '80.5' })).toMatch(/PORT:/);
  });

  it('names MAX_FILE_MB when it is not a number', () => {
    expect(configError({ MAX_FILE_MB: 'abc' })).toMatch(/MAX_FILE_MB:/);
    expect(configError({ MAX_FILE_MB: '0' })).toMatch(/MAX_FILE_MB:/);
  });

  it('names the missing half of the Lark credentials', () => {
    expect(configError({ LARK_APP_ID: 'cli_123' })).toMatch(/LARK_APP_SECRET:/);
    expect(configError({ LARK_APP_SECRET: 'secret' })).toMatch(/LARK_APP_ID:/);
    expect(loadConfig({ LARK_APP_ID: 'cli_123', LARK_APP_SECRET: 'secret' }).LARK_APP_ID).toBe('cli_123');
  });

  it('names every bad variable at once, and the enum ones', () => {
    const message = configError({ ...WEBHOOK, PORT: 'x', EMBEDDINGS: 'bert', LOG_LEVEL: 'loud' });
    expect(message).toMatch(/PORT:/);
    expect(message).toMatch(/EMBEDDINGS:/);
    expect(message).toMatch(/LOG_LEVEL:/);
  });

  it('requires an Encrypt Key for the webhook transport and both LLM settings together', () => {
    expect(configError({ LARK_APP_ID: 'a', LARK_APP_SECRET: 'b', LARK_TRANSPORT: 'webhook' })).toMatch(/LARK_ENCRYPT_KEY:/);
    expect(configError({ LLM_BASE_URL: 'http://localhost:1234/v1' })).toMatch(/LLM_MODEL:/);
    expect(configError({ LLM_BASE_URL: 'ftp://example.com' , LLM_MODEL: 'm' })).toMatch(/LLM_BASE_URL:/);
    expect(configError({ EMBEDDINGS: 'openai' })).toMatch(/EMBEDDINGS_BASE_URL:/);
  });

  it('says in Chinese what each setting allows', () => {
    expect(configError({ ...WEBSOCKET, LARK_DOMAIN: 'feishu.cn' })).toContain('LARK_DOMAIN: 可选 feishu、lark 或以 http(s):// 开头的地址');
    expect(configError({ ...WEBSOCKET, LARK_TRANSPORT: 'http' })).toContain('LARK_TRANSPORT: 可选 websocket 或 webhook');
    expect(configError({ ...WEBHOOK, PORT: '70000' })).toContain('PORT: 需为 1–65535 的整数（留空则为 3000）');
    expect(configError({ EMBEDDINGS: 'bert' })).toContain('EMBEDDINGS: 可选 local、openai 或 transformers');
    expect(configError({ LOG_LEVEL: 'loud' })).toContain('LOG_LEVEL: 可选 debug、info、warn 或 error');
    expect(configError({ LLM_TEMPERATURE: 'hot' })).toContain('LLM_TEMPERATURE: 需为 0–2 的数字');
    expect(configError({ LLM_BASE_URL: 'ftp://example.com', LLM_MODEL: 'm' })).toContain('LLM_BASE_URL: 需为以 http:// 或 https:// 开头的地址');
    expect(configError({ MAX_FILE_MB: 'abc' })).toContain('MAX_FILE_MB: 需为 0.001–1024 的数字（留空则为 20）');
  });

  it('does not let a setting of one mode stop another', () => {
    // Lark settings in the terminal chat (no credentials): ignored, with their defaults.
    const terminal = loadConfig({ LARK_DOMAIN: 'feishu.cn', LARK_TRANSPORT: 'http', PORT: 'abc' });
    expect(terminal).toMatchObject({ LARK_DOMAIN: 'feishu', LARK_TRANSPORT: 'websocket', PORT: 3000 });
    // Webhook-only settings over the websocket.
    expect(loadConfig({ ...WEBSOCKET, PORT: 'abc' }).PORT).toBe(3000);
    // What the mode does read still counts, alongside what it ignores.
    const message = configError({ ...WEBSOCKET, PORT: 'abc', LARK_DOMAIN: 'feishu.cn' });
    expect(message).toContain('LARK_DOMAIN:');
    expect(message).not.toContain('PORT:');
    expect(configError({ PORT: 'abc', LOG_LEVEL: 'loud' })).toContain('LOG_LEVEL:');
  });
});
