/**
 * The real bot (`bot/main.ts`) in terminal mode with `OPS_PORT`: questions typed on stdin show in
 * `/metrics` (outcomes, the latency histogram, replies), `/readyz` passes without a Lark probe,
 * and the logs go to DATA_DIR/logs/bot.log, never to the screen between the user's lines.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../helpers/net.ts';
import { REPO_ROOT } from '../../helpers/paths.ts';
import { bundledWorkspace } from '../../helpers/qa.ts';
import type { Workspace } from '../../helpers/workspace.ts';

/** The value of one sample line of the Prometheus text, e.g. `bot_questions_total{outcome="answer"}`. */
function sample(metrics: string, name: string): number {
  const line = metrics.split('\n').find((text) => text.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : 0;
}

describe('ops in terminal mode (real bot process)', () => {
  let workspace: Workspace;
  let child: ChildProcessWithoutNullStreams;
  let stdout = '';
  let port: number;
  const get = (pathname: string) => fetch(`http://127.0.0.1:${port}${pathname}`);

  /** Resolves once stdout shows the prompt for the `count`-th time (the banner's counts as the first). */
  const prompts = (count: number) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no prompt ${count}:\n${stdout}`)), 60_000);
      const check = () => {
        if ((stdout.match(/(^|\n)> /g) ?? []).length >= count) {
          clearTimeout(timer);
          child.stdout.off('data', check);
          resolve();
        }
      };
      child.stdout.on('data', check);
      check();
    });

  beforeAll(async () => {
    workspace = await bundledWorkspace();
    port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bot/main.ts')], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        HOME: process.env['HOME'] ?? '',
        KNOWLEDGE_DIR: workspace.knowledgeDir,
        INDEX_DIR: workspace.indexDir,
        DATA_DIR: workspace.dataDir,
        OPS_PORT: String(port),
        LOG_LEVEL: 'info',
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
    await prompts(1);
  });
  afterAll(() => {
    child.kill();
    workspace.remove();
  });

  it('counts answered and unanswered questions, times them, and counts the replies', async () => {
    child.stdin.write('渤海新区的项目审批现在平均多久能办完？\n');
    await prompts(2);
    child.stdin.write('火星移民签证怎么申请？\n');
    await prompts(3);
    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const metrics = await response.text();
    expect(sample(metrics, 'bot_questions_total{outcome="answer"}')).toBe(1);
    expect(sample(metrics, 'bot_questions_total{outcome="related"}') + sample(metrics, 'bot_questions_total{outcome="none"}')).toBe(1);
    expect(sample(metrics, 'bot_answer_duration_seconds_count')).toBe(2);
    expect(sample(metrics, 'bot_answer_duration_seconds_sum')).toBeGreaterThan(0);
    expect(sample(metrics, 'bot_answer_duration_seconds_bucket{le="+Inf"}')).toBe(2);
    expect(sample(metrics, 'bot_replies_total{kind="reply"}')).toBeGreaterThanOrEqual(2);
    expect(Number(metrics.match(/^bot_index_chunks\{version="[^"]+"\} (\d+)/m)?.[1])).toBeGreaterThan(0);
    // Terminal mode has no question worker and no Lark connection.
    expect(metrics).not.toContain('bot_worker_queue_depth');
  });

  it('is ready with the index and database probes, and healthy', async () => {
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { probes: { name: string; ok: boolean }[] };
    expect(body.probes.map((probe) => probe.name).sort()).toEqual(['database', 'index']);
    expect((await get('/healthz')).status).toBe(200);
  });

  it('writes the logs to the file it names once, not to the screen', () => {
    const logFile = path.join(workspace.dataDir, 'logs', 'bot.log');
    expect(stdout.split(`日志写入 ${logFile}`).length - 1).toBe(1);
    expect(existsSync(logFile)).toBe(true);
    const records = readFileSync(logFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { message: string; level: string });
    expect(records.some((record) => record.message === 'ops server listening')).toBe(true);
    expect(stdout).not.toContain('"level"');
    expect(stdout).not.toContain('ops server listening');
  });
});
