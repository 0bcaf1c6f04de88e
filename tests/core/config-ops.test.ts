/** OPS_PORT: optional, and a bad value is refused in Chinese naming what is allowed. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../core/index.ts';
import { appErrorOf } from '../helpers/errors.ts';

describe('OPS_PORT', () => {
  it('is off when unset or blank, and listens on loopback by default', () => {
    expect(loadConfig({}).OPS_PORT).toBeUndefined();
    expect(loadConfig({ OPS_PORT: ' ' }).OPS_PORT).toBeUndefined();
    expect(loadConfig({ OPS_PORT: '9464' })).toMatchObject({ OPS_PORT: 9464, OPS_HOST: '127.0.0.1' });
  });

  it.each(['http', '70000', '0', '9.5'])('refuses %s naming the allowed values', async (value) => {
    const error = await appErrorOf(Promise.resolve().then(() => loadConfig({ OPS_PORT: value })));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain('OPS_PORT: 可选 1–65535 的端口号');
  });
});
