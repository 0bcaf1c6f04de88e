/**
 * @module Starts a worker thread from a module next to the caller. Compiled, that module is a .js
 * file; run from the sources under tsx it is a .ts file, and Node 20 does not hand tsx's loader
 * hooks to worker threads, so such a worker registers them itself first.
 */
import { Worker } from 'node:worker_threads';

export function startModuleWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  const extension = new URL(callerUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  const file = new URL(`./${name}${extension}`, callerUrl);
  if (extension === '.js') return new Worker(file, { workerData });
  const bootstrap = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(file.href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
