/** The logger keeps its one-call interface on pino: JSON lines, levels, secrets redacted, a file when asked. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/index.ts';

function captured(level: 'info' | 'warn' = 'info') {
  const lines: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void lines.push(line) });
  const records = () => lines.flatMap((chunk) => chunk.split('\n').filter(Boolean)).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, records };
}

describe('createLogger', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'logger-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('writes one JSON line per call with time, level, message and the context', () => {
    const { logger, records } = captured();
    logger.warn('index refresh failed', { version: 'v2', attempt: 3 });
    const [record] = records();
    expect(record).toMatchObject({ level: 'warn', message: 'index refresh failed', version: 'v2', attempt: 3 });
    expect(Number.isNaN(Date.parse(String(record?.['time'])))).toBe(false);
  });

  it('drops lines below its level', () => {
    const { logger, records } = captured('warn');
    logger.info('routine');
    logger.error('broken');
    expect(records().map((record) => record['message'])).toEqual(['broken']);
  });

  it('redacts secrets in the context, at the top, nested, and in request headers', () => {
    const { logger, lines } = captured();
    logger.error('request failed', {
      LLM_API_KEY: 'sk-secret-llm',
      config: { LARK_APP_SECRET: 'lark-app-secret', LARK_ENCRYPT_KEY: 'encrypt-key-value', appId: 'cli_visible' },
      request: { headers: { authorization: 'Bearer t-tenant-token', cookie: 'qa_session=cookie-value' } },
      error: { config: { headers: { Authorization: 'Bearer other-token' } } },
      response: { tenant_access_token: 't-access', token: 'plain-token' },
    });
    const text = lines.join('');
    for (const secret of ['sk-secret-llm', 'lark-app-secret', 'encrypt-key-value', 't-tenant-token', 'cookie-value', 'other-token', 't-access', 'plain-token']) expect(text).not.toContain(secret);
    expect(text).toContain('cli_visible');
    expect(text).toContain('[已隐藏]');
  });

  it('scrubs secrets out of text: SDK objects stringified into the message, and string values', () => {
    const { logger, lines, records } = captured();
    logger.error('lark: request failed {"config":{"headers":{"Authorization":"Bearer t-g1044abc.def"}},"data":{"app_secret":"s3cr3t-app"}}', {
      error: 'POST /open-apis/auth/v3/tenant_access_token/internal failed: tenant_access_token=t-zzz123; cookie: qa_session=abc',
    });
    const text = lines.join('');
    for (const secret of ['t-g1044abc.def', 's3cr3t-app', 't-zzz123', 'qa_session=abc']) expect(text).not.toContain(secret);
    // What is not a secret stays readable.
    expect(records()[0]?.['message']).toContain('lark: request failed');
    expect(records()[0]?.['error']).toContain('/open-apis/auth/v3/tenant_access_token/internal failed');
  });

  it('writes to a file (creating its folder) when given a path', () => {
    const file = path.join(root, 'logs', 'nested', 'bot.log');
    const logger = createLogger('info', file);
    logger.info('started', { mode: 'terminal' });
    logger.info('second');
    const records = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(records.map((record) => record['message'])).toEqual(['started', 'second']);
    expect(records[0]).toMatchObject({ mode: 'terminal', level: 'info' });
  });
});
