/**
 * A CLI of the project run as an operator runs it: `npx tsx <script> …` in the project folder, on
 * this process's environment plus `env` (a blank value unsets one the machine may have).
 */
import { spawn } from 'node:child_process';
import { REPO_ROOT } from './paths.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Resolves when the process has exited; `onStderr` sees its stderr as it comes (progress, waiting notices). */
export function runCli(script: string, args: string[], env: Record<string, string> = {}, onStderr?: (text: string) => void): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', script, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    child.stderr.on('data', (data: Buffer) => {
      stderr += data.toString();
      onStderr?.(stderr);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
