/** DATABASE_URL and CLAIM_LEASE_SECONDS: what the replicas share, checked at start with a Chinese message that never echoes the password. */
import { describe, expect, it } from 'vitest';
import { isAppError, loadConfig } from '../../core/index.ts';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env, '/srv/bot');
  } catch (error) {
    expect(isAppError(error, 'config_invalid')).toBe(true);
    return (error as Error).message;
  }
  throw new Error(`expected config_invalid for ${JSON.stringify(env)}`);
}

describe('the shared store settings', () => {
  it('takes a PostgreSQL URL, and none (SQLite) when blank', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://bot:pw@db:5432/qa' }, '/srv/bot').DATABASE_URL).toBe('postgres://bot:pw@db:5432/qa');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/qa' }, '/srv/bot').DATABASE_URL).toBe('postgresql://db/qa');
    expect(loadConfig({ DATABASE_URL: ' ' }, '/srv/bot').DATABASE_URL).toBeUndefined();
    expect(loadConfig({}, '/srv/bot').CLAIM_LEASE_SECONDS).toBe(30);
  });

  it('names DATABASE_URL in Chinese when it is not a PostgreSQL URL, without repeating it', () => {
    const message = configError({ DATABASE_URL: 'mysql://bot:topsecret@db/qa' });
    expect(message).toMatch(/DATABASE_URL: .*postgres:\/\/.*PostgreSQL/);
    expect(message).not.toContain('topsecret');
    expect(configError({ CLAIM_LEASE_SECONDS: '1' })).toMatch(/CLAIM_LEASE_SECONDS: 需为 2–600 的整数/);
  });
});
