/** @module The SDK, loaded once, and adapters from our config and logger to its options. */
import { createRequire } from 'node:module';
import type * as LarkSdk from '@larksuiteoapi/node-sdk';
import type { Config, Logger } from '../../../core/index.ts';

const require = createRequire(import.meta.url);

// Loaded with require(): importing this 6 MB CommonJS bundle as ESM makes Node scan it for named
// exports, which costs about 30 MB of resident memory for the life of the process.
const sdk = require('@larksuiteoapi/node-sdk') as typeof LarkSdk;
export const { AESCipher, EventDispatcher, createLarkChannel, defaultHttpInstance, normalizeCardAction } = sdk;

/** Named in errors that depend on the SDK's internals, so the operator knows which version broke them. */
export const SDK_VERSION = (require('@larksuiteoapi/node-sdk/package.json') as { version: string }).version;

export function larkDomain(value: Config['LARK_DOMAIN']): string {
  if (value === 'feishu') return sdk.Domain.Feishu as unknown as string;
  if (value === 'lark') return sdk.Domain.Lark as unknown as string;
  return value.replace(/\/$/, '');
}

/** The SDK's logger interface, routed to ours; it must never throw (the SDK logs circular errors). */
export function sdkLogger(logger: Logger) {
  const text = (parts: unknown[]) =>
    parts
      .map((part) => {
        if (part instanceof Error) return part.message;
        if (typeof part !== 'object' || part === null) return String(part);
        try {
          return JSON.stringify(part).slice(0, 500);
        } catch {
          return '[object]';
        }
      })
      .join(' ');
  return {
    error: (...parts: unknown[]) => logger.error(`lark: ${text(parts)}`),
    warn: (...parts: unknown[]) => logger.warn(`lark: ${text(parts)}`),
    info: (...parts: unknown[]) => logger.info(`lark: ${text(parts)}`),
    debug: () => {},
    trace: () => {},
  };
}
