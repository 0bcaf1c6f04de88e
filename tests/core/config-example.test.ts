/** `.env.example` documents exactly the keys the config schema reads. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configSchema, loadConfig } from '../../core/index.ts';

describe('.env.example', () => {
  const example = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
  const keys = [...example.matchAll(/^([A-Z_]+)=/gm)].map((match) => match[1]);

  it('lists every configuration key once, and nothing else', () => {
    const schemaKeys = Object.keys(configSchema.shape).sort();
    expect([...keys].sort()).toEqual(schemaKeys);
  });

  it('is itself a valid configuration', () => {
    const env = Object.fromEntries([...example.matchAll(/^([A-Z_]+)=(.*)$/gm)].map((match) => [match[1], match[2]]));
    expect(() => loadConfig(env)).not.toThrow();
  });
});
