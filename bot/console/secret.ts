/**
 * @module The key that signs console links and sessions: `CONSOLE_SECRET` when set, otherwise one
 * generated on first start and kept in DATA_DIR, so sessions survive a restart.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SECRET_FILE = 'console-secret';

export function loadConsoleSecret(options: { configured: string | undefined; dataDir: string }): Buffer {
  if (options.configured) return Buffer.from(options.configured, 'utf8');
  const file = path.join(options.dataDir, SECRET_FILE);
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  mkdirSync(options.dataDir, { recursive: true });
  const secret = randomBytes(32);
  // wx: of two processes starting at once, one writes and the other reads what it wrote.
  try {
    writeFileSync(file, `${secret.toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  } catch {
    return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64url');
  }
  return secret;
}
