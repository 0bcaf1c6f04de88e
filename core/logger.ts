/** @module Structured one-line logs on stderr (stdout belongs to the terminal chat and CLI output). */

export interface Logger {
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;

export function createLogger(level: (typeof LEVELS)[number] = 'info', write: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): Logger {
  const threshold = LEVELS.indexOf(level);
  const emit = (name: (typeof LEVELS)[number]) => (message: string, context?: Record<string, unknown>) => {
    if (LEVELS.indexOf(name) < threshold) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: name, message, ...context }));
  };
  return { info: emit('info'), warn: emit('warn'), error: emit('error') };
}
