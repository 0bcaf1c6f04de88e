/**
 * @module Small helpers shared by the benchmark sections: percentiles, sizes on disk, peak RSS,
 * child processes that run a TypeScript script under tsx and hand back one JSON line.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { percentile } from '../../bot/eval/index.ts';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export const MB = 1024 * 1024;

export const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export interface LatencyStats {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

export function latencyStats(samples: number[]): LatencyStats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = sorted.reduce((sum, value) => sum + value, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50), 3),
    p95: round(percentile(sorted, 95), 3),
    p99: round(percentile(sorted, 99), 3),
    max: round(sorted.at(-1) ?? 0, 3),
    mean: round(mean, 3),
  };
}

/** Total bytes of the regular files under `directory` (recursive). */
export async function directoryBytes(directory: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(directory, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

/** Bytes per file directly inside `directory`. */
export async function fileBytes(directory: string): Promise<Record<string, number>> {
  const sizes: Record<string, number> = {};
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (entry.isFile()) sizes[entry.name] = (await stat(path.join(directory, entry.name))).size;
  }
  return sizes;
}

/** Peak resident set size of this process so far, in MB (getrusage maxrss; VmHWM where available). */
export function peakRssMb(): number {
  const fromRusage = process.resourceUsage().maxRSS / 1024;
  try {
    const match = readFileSync('/proc/self/status', 'utf8').match(/^VmHWM:\s+(\d+)\s+kB/m);
    if (match?.[1]) return round(Math.max(fromRusage, Number(match[1]) / 1024), 1);
  } catch {
    // Not Linux: getrusage alone is fine.
  }
  return round(fromRusage, 1);
}

export interface ChildRun<T> {
  /** Spawn to exit, including Node start-up, tsx and module loading. */
  wallMs: number;
  result: T;
}

/**
 * Runs `script` (TypeScript, path relative to the repo root) with `node --import tsx`, forwards its
 * stderr line by line through `log`, and parses the last stdout line as JSON.
 */
export function runTsChild<T>(script: string, args: string[], options: { log: (line: string) => void; nodeArgs?: string[] }): Promise<ChildRun<T>> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', 'tsx', path.join(REPO_ROOT, script), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let pending = '';
    child.stdout.setEncoding('utf8').on('data', (data: string) => (stdout += data));
    child.stderr.setEncoding('utf8').on('data', (data: string) => {
      pending += data;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line.trim() !== '') options.log(line);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const wallMs = performance.now() - started;
      if (pending.trim() !== '') options.log(pending);
      if (code !== 0) {
        reject(new Error(`${script} exited with ${signal ?? code}`));
        return;
      }
      const last = stdout.trim().split('\n').at(-1) ?? '';
      try {
        resolve({ wallMs, result: JSON.parse(last) as T });
      } catch {
        reject(new Error(`${script} printed no JSON result: ${last.slice(0, 200)}`));
      }
    });
  });
}

export const formatMs = (ms: number) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(ms < 10 ? 2 : 0)} ms`);
export const formatMb = (bytes: number) => `${(bytes / MB).toFixed(bytes < 10 * MB ? 2 : 1)} MB`;
