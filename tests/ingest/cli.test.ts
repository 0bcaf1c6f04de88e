/** The ingest CLI as an operator runs it: `npx tsx ingest/cli.ts …` in the project folder. */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_ALPHA, DOC_BETA, readPointer, tempDirs, writeFiles } from '../helpers/ingest.ts';
import { runCli, type CliRun } from '../helpers/cli.ts';

/** The ingest CLI on a clean environment: the machine's .env-style settings do not leak in. */
const runIngest = (args: string[], env: Record<string, string> = {}): Promise<CliRun> =>
  runCli('ingest/cli.ts', args, { MAX_FILE_MB: '', KNOWLEDGE_DIR: '', INDEX_DIR: '', EMBEDDINGS: '', ...env });

const temp = tempDirs();
afterAll(() => temp.cleanup());

let dirs: { good: string; bad: string; index: string; badIndex: string };
let first: CliRun;
let onlyBad: CliRun;
let badEnv: CliRun;

beforeAll(async () => {
  const root = await temp.make('ingest-cli-');
  dirs = {
    good: path.join(root, 'good'),
    bad: path.join(root, 'bad'),
    index: path.join(root, 'index'),
    badIndex: path.join(root, 'bad-index'),
  };
  await writeFiles(dirs.good, { '企业开办.txt': DOC_ALPHA, 'beta.txt': DOC_BETA, 'empty.txt': '' });
  await writeFiles(dirs.bad, { 'empty.txt': '', 'fake.pdf': 'plain text, not a PDF' });
  // Independent runs in parallel: each CLI start costs a couple of seconds.
  [first, onlyBad, badEnv] = await Promise.all([
    runIngest(['--knowledge', dirs.good, '--index', dirs.index, '--json']),
    runIngest(['--knowledge', dirs.bad, '--index', dirs.badIndex, '--json']),
    runIngest(['--knowledge', dirs.good, '--index', path.join(root, 'unused'), '--json'], { MAX_FILE_MB: 'abc' }),
  ]);
}, 60_000);

describe('npm run ingest', () => {
  it('prints exactly the machine summary the issue specifies with --json', async () => {
    expect(first.code, first.stderr).toBe(0);
    const summary = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(summary)).toEqual(['version', 'documents', 'embedded', 'reused', 'ms']);
    expect(summary['version']).toMatch(/^v\d{8}-\d{6}-/);
    expect(summary['version']).toBe(await readPointer(dirs.index));
    expect(typeof summary['ms']).toBe('number');
    expect(summary['reused']).toBe(0);
    const documents = summary['documents'] as Record<string, unknown>[];
    for (const document of documents) {
      expect(Object.keys(document).sort()).toEqual(document['status'] === 'failed' ? ['chunks', 'error', 'path', 'status'] : ['chunks', 'path', 'status']);
      expect(Number.isInteger(document['chunks'])).toBe(true);
    }
    expect(documents.map(({ path: file, status }) => [file, status])).toEqual([
      ['beta.txt', 'added'],
      ['empty.txt', 'failed'],
      ['企业开办.txt', 'added'],
    ]);
    expect(documents[1]).toEqual({ path: 'empty.txt', status: 'failed', chunks: 0, error: expect.stringContaining('empty.txt') });
    expect(summary['embedded']).toBe((documents[0]!['chunks'] as number) + (documents[2]!['chunks'] as number));
  });

  it('prints a summary table for people, and reports a second run as unchanged', async () => {
    const second = await runIngest(['--knowledge', dirs.good, '--index', dirs.index]);
    expect(second.code, second.stderr).toBe(0);
    const version = (JSON.parse(first.stdout) as { version: string }).version;
    expect(second.stdout).toMatch(/文档\s+状态\s+片段\s+说明/);
    expect(second.stdout).toMatch(/beta\.txt\s+未变/);
    expect(second.stdout).toMatch(/企业开办\.txt\s+未变/);
    expect(second.stdout).toMatch(/empty\.txt\s+失败\s+0\s+empty\.txt 是空文件/);
    expect(second.stdout).toContain(`没有变化，继续使用索引版本 ${version}（失败 1`);
    expect(second.stderr).toContain('发现 3 个文件');
    expect(await readPointer(dirs.index)).toBe(version);
  }, 30_000);

  it('exits 1 with a Chinese message on stderr when nothing is usable', () => {
    expect(onlyBad.code).toBe(1);
    expect(onlyBad.stderr).toContain('导入失败');
    expect(onlyBad.stderr).toContain('没有可用的文档');
    expect(onlyBad.stderr).toMatch(/empty\.txt: .*空文件/);
    expect(onlyBad.stderr).toMatch(/fake\.pdf: /);
    const output = JSON.parse(onlyBad.stdout) as { code: string; documents: { path: string }[] };
    expect(output.code).toBe('nothing_to_ingest');
    expect(output.documents.map((document) => document.path)).toEqual(['empty.txt', 'fake.pdf']);
  });

  it('exits 1 and names the variable when the environment is invalid', () => {
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toContain('MAX_FILE_MB');
    expect(badEnv.stderr).toContain('配置无效');
    expect(badEnv.stdout).toBe('');
  });
});
