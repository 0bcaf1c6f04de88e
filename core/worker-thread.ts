/**
 * @module Worker threads started from a module next to the caller, and errors carried across the
 * thread boundary. Compiled, that module is a .js file; run from the sources under tsx it is a .ts
 * file, and Node 20 does not hand tsx's loader hooks to worker threads, so such a worker registers
 * them itself first.
 */
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { AppError, describeError, isAppError, type AppErrorCode } from './errors.ts';

export function startModuleWorker(callerUrl: string, name: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const extension = new URL(callerUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  const file = new URL(`./${name}${extension}`, callerUrl);
  if (extension === '.js') return new Worker(file, { workerData, resourceLimits });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}

/** An error as it crosses `postMessage`: class identity is lost there, the stable code is kept. */
export interface SerializedError {
  code: AppErrorCode | 'unknown';
  message: string;
  context?: Record<string, unknown>;
}

export function serializeError(error: unknown): SerializedError {
  if (!isAppError(error)) return { code: 'unknown', message: describeError(error) };
  return { code: error.code, message: error.message, ...(error.context ? { context: error.context } : {}) };
}

export function deserializeError(error: SerializedError): Error {
  if (error.code === 'unknown') return new Error(error.message);
  return new AppError(error.code, error.message, error.context ? { context: error.context } : {});
}
