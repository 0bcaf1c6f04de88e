/**
 * The documents page shows each file's status and problem from the last ingest even when that run
 * was not this process's: an ingest by the CLI (`npm run ingest`), then a freshly started console
 * (in process, through the Hono app with a signed-in session). The report is kept with the index
 * version, so a later run that changes nothing updates it in place without upsetting the
 * version's integrity records, and a version without a report falls back to 已收录/未收录.
 */
import { copyFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleAuth, createConsoleApp, IngestActivity } from '../../../bot/console/index.ts';
import { createLogger, currentIndexDir, INDEX_DATA_FILES, INDEX_REPORT_FILE, readManifest, verifyIndexFile } from '../../../core/index.ts';
import { KnowledgeAdmin, STATUS_LABEL } from '../../../ingest/index.ts';
import { runCli } from '../../helpers/cli.ts';
import { tempDirs, writeFiles } from '../../helpers/ingest.ts';
import { KNOWLEDGE_DIR } from '../../helpers/paths.ts';

const ADMIN = 'ou_admin';
const GOOD = ['bohai-new-area-reform-2019.txt', 'cangzhou-edz-multi-drive-2021.txt'];
const COPY = 'bohai-copy.txt';
const BROKEN = 'broken.pdf';
const MAX_FILE_BYTES = 20 * 1024 * 1024;

interface CliDocument {
  path: string;
  status: keyof typeof STATUS_LABEL;
  error?: string;
}

/** `npm run ingest -- --json` as an operator runs it; its per-file summary. */
async function ingestByCli(knowledgeDir: string, indexDir: string): Promise<CliDocument[]> {
  const run = await runCli('ingest/cli.ts', ['--knowledge', knowledgeDir, '--index', indexDir, '--json'], { MAX_FILE_MB: '', KNOWLEDGE_DIR: '', INDEX_DIR: '', EMBEDDINGS: 'local' });
  if (run.code !== 0) throw new Error(`ingest CLI exited ${run.code}: ${run.stderr}`);
  return (JSON.parse(run.stdout) as { documents: CliDocument[] }).documents;
}

/** A console as a restarted bot opens it: nothing of the CLI's run in memory. Only the documents page is used. */
function freshConsole(knowledgeDir: string, indexDir: string) {
  const logger = createLogger('error');
  const auth = new ConsoleAuth({ secret: Buffer.from('0123456789abcdef0123456789abcdef'), isAdmin: (id) => id === ADMIN });
  const admin = new KnowledgeAdmin({ knowledgeDir, indexDir, maxFileBytes: MAX_FILE_BYTES, runIngest: () => Promise.reject(new Error('no ingest in this test')), onIndexSwitched: async () => {}, logger });
  const unused = {} as never;
  const app = createConsoleApp({ auth, admin, activity: new IngestActivity({ logger }), qa: unused, index: unused, knowledgeDir, indexDir, curation: unused, questionLog: unused, logger, secureCookies: false });
  const cookie = `console_session=${auth.sessionToken(auth.redeemLinkToken(auth.issueLinkToken(ADMIN)!)!)}`;
  return { page: async () => {
    const response = await app.request('/documents', { headers: { cookie } });
    expect(response.status).toBe(200);
    return response.text();
  } };
}

const decode = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

/** The status badge and problem shown in the table row of `file`. */
function rowOf(page: string, file: string): { status: string; problem?: string } {
  const row = page.split('<tr>').find((candidate) => candidate.includes(`<div class="muted">${file}</div>`));
  if (!row) throw new Error(`no row for ${file}`);
  const status = /<span class="badge [a-z]+">([^<]*)<\/span>/.exec(row)?.[1];
  const problem = /<div class="error">([^<]*)<\/div>/.exec(row)?.[1];
  return { status: decode(status ?? ''), ...(problem ? { problem: decode(problem) } : {}) };
}

const temp = tempDirs();
let knowledgeDir: string;
let indexDir: string;
let firstRun: CliDocument[];

beforeAll(async () => {
  const root = await temp.make('console-documents-status-');
  knowledgeDir = path.join(root, 'knowledge');
  indexDir = path.join(root, 'index');
  await writeFiles(knowledgeDir, { [BROKEN]: 'plain text, not a PDF' });
  for (const file of GOOD) copyFileSync(path.join(KNOWLEDGE_DIR, file), path.join(knowledgeDir, file));
  copyFileSync(path.join(KNOWLEDGE_DIR, GOOD[0]!), path.join(knowledgeDir, COPY));
  firstRun = await ingestByCli(knowledgeDir, indexDir);
}, 60_000);

afterAll(() => temp.cleanup());

describe('documents page after an ingest by the CLI', () => {
  it("shows each file's status and problem from that run", async () => {
    const statuses = firstRun.map((document) => document.status).sort();
    expect(statuses).toEqual(['added', 'added', 'duplicate', 'failed']);
    const page = await freshConsole(knowledgeDir, indexDir).page();
    for (const document of firstRun) {
      expect(rowOf(page, document.path), document.path).toEqual({ status: STATUS_LABEL[document.status], ...(document.error ? { problem: document.error } : {}) });
    }
    expect(rowOf(page, BROKEN)).toMatchObject({ status: '失败', problem: expect.stringMatching(/\S/) });
    expect(page).toContain('上次导入于');
    expect(page).not.toContain('没有导入报告');
  });

  it('shows a later run that changed nothing, kept in the same version without breaking its integrity records', async () => {
    const version = readManifest(currentIndexDir(indexDir)!).version;
    const again = await ingestByCli(knowledgeDir, indexDir);
    const directory = currentIndexDir(indexDir)!;
    const manifest = readManifest(directory);
    expect(manifest.version).toBe(version);
    for (const file of INDEX_DATA_FILES) verifyIndexFile(directory, manifest, file);
    const page = await freshConsole(knowledgeDir, indexDir).page();
    expect(again.map((document) => document.status).sort()).toEqual(['duplicate', 'failed', 'unchanged', 'unchanged']);
    for (const document of again) {
      expect(rowOf(page, document.path), document.path).toEqual({ status: STATUS_LABEL[document.status], ...(document.error ? { problem: document.error } : {}) });
    }
  }, 60_000);

  it('falls back to 已收录/未收录 for a version without a report', async () => {
    rmSync(path.join(currentIndexDir(indexDir)!, INDEX_REPORT_FILE));
    const page = await freshConsole(knowledgeDir, indexDir).page();
    expect(rowOf(page, GOOD[1]!)).toEqual({ status: '已收录' });
    expect(rowOf(page, BROKEN)).toEqual({ status: '未收录' });
    expect(page).toContain('该索引没有导入报告');
  });
});
