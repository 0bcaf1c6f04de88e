/**
 * The admin console in real headless Chromium (Debian's `chromium`, driven by playwright-core),
 * served on loopback over a private copy of the knowledge: sign in by link, upload a document and
 * see it listed, look at its chunks, try a question and see the cited answer, find a refused
 * question in the log (kept in a real SQLite store, as the chat saves it), pin a clause and see the
 * pinned answer in "Try a question", mark another out of scope, run the regression file, look at
 * the usage charts, delete with confirmation. A screenshot of each page goes to
 * test-results/console/. Requests without a session, or without the form's CSRF token, are refused.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExtractiveAnswerer } from '../../../bot/answer/index.ts';
import { BotStore } from '../../../bot/chat/index.ts';
import { IngestActivity, startConsole, type ConsoleServer } from '../../../bot/console/index.ts';
import { CuratedQaService, CurationStore, curationDir } from '../../../bot/qa/index.ts';
import { createLogger, loadConfig } from '../../../core/index.ts';
import { ingestKnowledge, KnowledgeAdmin } from '../../../ingest/index.ts';
import { freePort } from '../../helpers/net.ts';
import { INGEST_FIXTURES, REPO_ROOT } from '../../helpers/paths.ts';
import { bundledWorkspace, openQa, type OpenedQa } from '../../helpers/qa.ts';
import type { Workspace } from '../../helpers/workspace.ts';

const ADMIN = 'ou_console_admin';
const SCREENSHOTS = path.join(REPO_ROOT, 'test-results/console');
const UPLOAD = path.join(INGEST_FIXTURES, 'beijing-kexue-jishu-jiangli-banfa-2025.unnumbered.txt');
const UPLOADED_TITLE = '北京市科学技术奖励办法';
const INSTALL_HINT = 'apt-get update && apt-get install -y chromium';
/** Refused over the bundled documents (nothing about 公积金 there): the loop's subject. */
const REFUSED = '住房公积金怎么提取？';
const OUT_OF_SCOPE = '个税专项附加扣除在哪里填报？';
const ANSWERED = '渤海新区的项目审批现在平均多久能办完？';

function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((candidate): candidate is string => Boolean(candidate));
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`浏览器测试需要 Chromium，但在 ${candidates.join('、')} 都没有找到。请安装：${INSTALL_HINT}（或用 CHROMIUM_PATH 指定其路径）`);
  return found;
}

let workspace: Workspace;
let opened: OpenedQa;
let server: ConsoleServer;
let browser: Browser;
let page: Page;
let store: BotStore;
let qa: CuratedQaService;

/** Asks as the chat does and saves the answer the way the chat saves it. */
async function askInChat(question: string, chatKind: 'p2p' | 'group', vote?: 'up' | 'down'): Promise<void> {
  const { answer, latencyMs } = await qa.ask(question);
  const id = `answer-${question}`;
  await store.saveAnswer({ id, chatId: 'oc_chat', messageId: `om_${question}`, question, answer: answer.text, refused: answer.refused, citations: answer.citations, outcome: answer.outcome, chatKind, latencyMs });
  if (vote) await store.recordFeedback(id, 'ou_user', vote);
}

beforeAll(async () => {
  const executablePath = chromiumPath();
  workspace = await bundledWorkspace();
  opened = openQa(workspace.indexDir);
  const logger = createLogger('error');
  const config = loadConfig({
    KNOWLEDGE_DIR: workspace.knowledgeDir,
    INDEX_DIR: workspace.indexDir,
    DATA_DIR: workspace.dataDir,
    CONSOLE_PORT: String(await freePort()),
    CONSOLE_HOST: '127.0.0.1',
  });
  const activity = new IngestActivity({ logger });
  const admin = new KnowledgeAdmin({
    knowledgeDir: workspace.knowledgeDir,
    indexDir: workspace.indexDir,
    maxFileBytes: config.maxFileBytes,
    runIngest: activity.wrap((onProgress) => ingestKnowledge({ knowledgeDir: workspace.knowledgeDir, indexDir: workspace.indexDir, embedder: opened.embedder, maxFileBytes: config.maxFileBytes, onProgress })),
    onIndexSwitched: async () => void opened.holder.refresh(),
    logger,
  });
  store = new BotStore(path.join(workspace.dataDir, 'bot.sqlite'));
  const curation = new CurationStore(curationDir(workspace.knowledgeDir));
  qa = new CuratedQaService({ index: opened.holder, embedder: opened.embedder, answerer: new ExtractiveAnswerer(), curation });
  await askInChat(ANSWERED, 'group', 'up');
  await askInChat(REFUSED, 'p2p', 'down');
  await askInChat(OUT_OF_SCOPE, 'group');
  server = await startConsole({ config, adminIds: [ADMIN], admin, activity, qa, index: opened.holder, curation, questionLog: store, logger });
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await store?.close();
  opened?.close();
  workspace?.remove();
});

const shot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });

async function sessionCookie(): Promise<string> {
  const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'console_session');
  if (!cookie) throw new Error('no session cookie');
  return `${cookie.name}=${cookie.value}`;
}

// Uploads, replacements and deletions re-ingest; on a loaded 2-core machine one can pass the default 30 s.
describe('admin console in Chromium', { timeout: 90_000 }, () => {
  it('refuses pages without a session, and a link that is forged', async () => {
    const response = await page.goto(`${server.url}/documents`);
    expect(response?.status()).toBe(401);
    await expect(page.textContent('body')).resolves.toContain('请先登录');
    await page.goto(`${server.url}/login?token=forged.token`);
    await page.click('text=进入管理后台');
    await expect(page.textContent('body')).resolves.toContain('链接已使用、已过期或无效');
  });

  it('signs in with a one-time link into an HttpOnly session', async () => {
    const link = server.signInLink(ADMIN)!;
    expect(server.signInLink('ou_not_admin')).toBeUndefined();
    await page.goto(link);
    await shot('01-sign-in');
    await page.click('text=进入管理后台');
    await page.waitForURL(`${server.url}/documents`);
    const cookie = (await page.context().cookies()).find((candidate) => candidate.name === 'console_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The link is spent.
    const again = await fetch(`${server.url}/login`, { method: 'POST', headers: { origin: server.url }, body: new URLSearchParams({ token: new URL(link).searchParams.get('token')! }) });
    expect(again.status).toBe(401);
  });

  it('lists the documents and uploads one with live progress', async () => {
    await expect(page.locator('table.cards tbody tr').count()).resolves.toBeGreaterThan(3);
    await expect(page.textContent('body')).resolves.not.toContain(UPLOADED_TITLE);
    await shot('02-documents');
    await page.setInputFiles('section form[action="/documents/upload"] input[name=file][required]', UPLOAD);
    await page.click('text=上传并导入');
    // The page follows the run and reloads when it is done.
    await page.locator(`table.cards a:has-text("${UPLOADED_TITLE}")`).waitFor({ timeout: 60_000 });
    const row = page.locator('table.cards tr', { hasText: UPLOADED_TITLE });
    await expect(row.textContent()).resolves.toContain('新增');
    await expect(row.textContent()).resolves.toContain('TXT');
    // The panel's state comes over the event stream (the server-rendered one names no outcome).
    await page.locator('#activity [data-field="label"]', { hasText: /：完成$/ }).waitFor();
    await expect(page.locator('#activity [data-field="result"]').textContent()).resolves.toContain('已新增');
    await shot('03-documents-uploaded');
  });

  it('refuses an upload the chat would refuse, saying why, and replaces a document in its own format', async () => {
    await page.setInputFiles('section form[action="/documents/upload"] input[name=file][required]', path.join(INGEST_FIXTURES, 'not-a-docx.zip'));
    await page.click('text=上传并导入');
    await page.locator('#activity [data-field="label"]', { hasText: /：失败$/ }).waitFor();
    await expect(page.locator('#activity [data-field="result"]').textContent()).resolves.toContain('不可用');
    const row = page.locator('table.cards tr', { hasText: 'cangzhou-edz-multi-drive-2021.txt' });
    // Another document's text than any indexed one, which would count as a duplicate.
    await row.locator('input[type=file]').setInputFiles(path.join(INGEST_FIXTURES, 'anyang-zhengwu-fuwu-tiaoli.txt'));
    await page.locator('#activity [data-field="result"]', { hasText: /^已替换/ }).waitFor({ timeout: 60_000 });
    await page.waitForURL(`${server.url}/documents`);
    await page.locator('table.cards tr', { hasText: 'cangzhou-edz-multi-drive-2021.txt' }).locator('text=已更新').waitFor();
  });

  it('shows what ingest made of the document: chunks with heading paths and the cleaned text', async () => {
    await page.click(`table.cards a:has-text("${UPLOADED_TITLE}")`);
    await expect(page.locator('h1').textContent()).resolves.toBe(UPLOADED_TITLE);
    const body = (await page.textContent('main')) ?? '';
    expect(body).toContain('第二条');
    expect(body).toMatch(/片段（\d+）/);
    expect(body).toContain('清洗后的全文');
    await shot('04-document-view');
  });

  it('tries a question and shows the cited answer with the passages and the evidence decision', async () => {
    await page.goto(`${server.url}/try`);
    await page.fill('input[name=q]', '北京市科学技术奖包括哪些类别？');
    await page.click('text=提问');
    await page.locator('#answer').waitFor();
    await expect(page.getAttribute('[data-outcome]', 'data-outcome')).resolves.toBe('answer');
    await expect(page.locator('.citation').first().textContent()).resolves.toContain(UPLOADED_TITLE);
    await expect(page.locator('#evidence h2').textContent()).resolves.toContain('可以回答');
    await expect(page.locator('#passages tbody tr').count()).resolves.toBeGreaterThan(0);
    await shot('05-try-answer');
    await page.goto(`${server.url}/try?q=${encodeURIComponent('火星移民签证怎么办理？')}`);
    await expect(page.getAttribute('[data-outcome]', 'data-outcome')).resolves.not.toBe('answer');
    await shot('06-try-refusal');
  });

  it('lists the questions asked in chat, filters the refused and the unhelpful ones, and exports them as CSV', async () => {
    await page.goto(`${server.url}/questions`);
    const rows = page.locator('table.cards tbody tr');
    await expect(rows.count()).resolves.toBe(3);
    const answered = rows.filter({ hasText: ANSWERED });
    await expect(answered.textContent()).resolves.toMatch(/群聊.*已回答/s);
    await expect(answered.textContent()).resolves.toContain('有帮助 1');
    await expect(answered.locator('td[data-label="用时"]').textContent()).resolves.toMatch(/^\d+ ms$/);
    await shot('09-questions');
    await page.click('.filters >> text=未回答');
    await expect(rows.count()).resolves.toBe(2);
    await expect(page.locator('main').textContent()).resolves.not.toContain(ANSWERED);
    await page.click('.filters >> text=没帮助');
    await expect(rows.count()).resolves.toBe(1);
    await expect(rows.first().textContent()).resolves.toContain(REFUSED);
    const csv = await (await fetch(`${server.url}/questions.csv?unhelpful=1`, { headers: { cookie: await sessionCookie() } })).text();
    expect(csv.split('\n').filter(Boolean)).toHaveLength(2);
    expect(csv).toContain(REFUSED);
  });

  it('pins a clause to a refused question from the log and shows the pinned answer in "Try a question", for a variant too', async () => {
    await page.locator('table.cards tr', { hasText: REFUSED }).locator('text=处理').click();
    await page.locator('#pin').waitFor();
    await expect(page.getAttribute('#current [data-outcome]', 'data-outcome')).resolves.not.toBe('answer');
    await shot('10-curation');
    const candidate = page.locator('#pin tbody tr').first();
    const title = ((await candidate.locator('strong').textContent()) ?? '').trim();
    await candidate.locator('text=固定为答案').click();
    await page.waitForURL(/\/try\?q=/);
    await expect(page.getAttribute('[data-outcome]', 'data-outcome')).resolves.toBe('answer');
    await expect(page.locator('#answer').textContent()).resolves.toContain('管理员指定的答案');
    await expect(page.locator('.citation').first().textContent()).resolves.toContain(title);
    await shot('11-try-pinned');
    await page.goto(`${server.url}/try?q=${encodeURIComponent('住房公积金如何提取')}`);
    await expect(page.getAttribute('[data-outcome]', 'data-outcome')).resolves.toBe('answer');
    await expect(page.locator('.citation').first().textContent()).resolves.toContain(title);
  });

  it('marks a question out of scope and adds vocabulary, each seen at once in "Try a question"', async () => {
    await page.goto(`${server.url}/curation?q=${encodeURIComponent(OUT_OF_SCOPE)}`);
    await page.click('text=标记为不在范围内');
    await page.waitForURL(/\/try\?q=/);
    await expect(page.getAttribute('[data-outcome]', 'data-outcome')).resolves.toBe('none');
    await expect(page.locator('#answer pre').textContent()).resolves.toContain('不在本机器人所收录政策文件的范围内');
    await page.goto(`${server.url}/curation?q=${encodeURIComponent('开个铺子要跑几次？')}`);
    await page.fill('#lexicon input[name=word]', '铺子');
    await page.fill('#lexicon input[name=terms]', '企业开办、个体工商户');
    await page.click('#lexicon >> text=添加');
    await page.waitForURL(/\/try\?q=/);
    await expect(page.locator('#evidence').textContent()).resolves.toContain('扩展词');
    await expect(page.locator('#evidence').textContent()).resolves.toContain('企业开办');
  });

  it('runs the regression file of the curated questions and lists the decisions, which can be taken back', async () => {
    await page.goto(`${server.url}/curation`);
    await expect(page.locator('#decisions tbody tr').count()).resolves.toBe(2);
    await expect(page.locator('#decisions').textContent()).resolves.toContain('铺子 → 企业开办、个体工商户');
    await page.click('text=运行回归测试');
    await expect(page.locator('#regression [data-field="summary"]').textContent()).resolves.toContain('通过 2 / 2');
    await shot('12-regression');
    await page.locator('#decisions li', { hasText: '铺子' }).locator('text=删除').click();
    await page.waitForURL(`${server.url}/curation`);
    await expect(page.locator('#decisions').textContent()).resolves.not.toContain('铺子');
  });

  it('shows usage as charts: questions per day, outcome shares, feedback, latency, top documents', async () => {
    await page.goto(`${server.url}/usage`);
    await expect(page.locator('#figures').textContent()).resolves.toMatch(/问题\s*3/);
    await expect(page.locator('figure.chart svg').count()).resolves.toBe(3);
    await expect(page.locator('figure.chart figcaption').allTextContents()).resolves.toEqual(['每日问题数', '回答结果占比', '每日反馈', '每日回答用时', '被引用最多的文档']);
    await expect(page.locator('svg rect').count()).resolves.toBeGreaterThan(0);
    await expect(page.locator('.hbar').last().textContent()).resolves.toContain('《');
    await shot('13-usage');
  });

  it('deletes a document only after confirmation', async () => {
    await page.goto(`${server.url}/documents`);
    await page.locator('table.cards tr', { hasText: UPLOADED_TITLE }).locator('text=删除').click();
    await expect(page.textContent('main')).resolves.toContain('确定要删除');
    await shot('07-delete-confirm');
    await page.click('text=确认删除');
    await page.locator('table.cards tr', { hasText: UPLOADED_TITLE }).waitFor({ state: 'detached', timeout: 60_000 });
    await expect(page.locator('#activity').textContent()).resolves.toContain(`已删除《${UPLOADED_TITLE}》`);
  });

  it('works on a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    for (const [name, pagePath] of [['14-questions-phone', '/questions'], ['15-usage-phone', '/usage']] as const) {
      await page.goto(`${server.url}${pagePath}`);
      await expect(page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth')).resolves.toBeLessThanOrEqual(1);
      await shot(name);
    }
    await page.goto(`${server.url}/documents`);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(1);
    await shot('08-documents-phone');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('refuses a state-changing request without the session, without the CSRF token, or from another origin', async () => {
    const cookie = await sessionCookie();
    const listing = await fetch(`${server.url}/documents`, { headers: { cookie } });
    const csrf = /data-csrf="([^"]+)"/.exec(await listing.text())?.[1];
    expect(csrf).toBeTruthy();
    const post = (headers: Record<string, string>, form: Record<string, string>) =>
      fetch(`${server.url}/documents/reingest`, { method: 'POST', redirect: 'manual', headers, body: new URLSearchParams(form) });
    expect((await post({ origin: server.url }, { _csrf: csrf! })).status).toBe(401);
    const noToken = await post({ origin: server.url, cookie }, {});
    expect(noToken.status).toBe(403);
    await expect(noToken.text()).resolves.toContain('校验码');
    expect((await post({ origin: server.url, cookie }, { _csrf: 'x'.repeat(43) })).status).toBe(403);
    expect((await post({ origin: 'http://evil.example', cookie }, { _csrf: csrf! })).status).toBe(403);
    // With all three the same request goes through: the refusals above were about what was missing.
    const accepted = await post({ origin: server.url, cookie }, { _csrf: csrf! });
    expect(accepted.status).toBe(303);

    await page.locator('#activity [data-field="label"]', { hasText: /重新导入：完成$/ }).waitFor({ timeout: 60_000 });
  });

  it('signs out: the session cookie no longer opens the console, even if a copy was kept', async () => {
    const cookie = await sessionCookie();
    await page.goto(`${server.url}/documents`);
    await page.click('header >> text=退出');
    await expect(page.textContent('body')).resolves.toContain('已退出');
    expect((await fetch(`${server.url}/documents`, { headers: { cookie } })).status).toBe(401);
    expect((await page.goto(`${server.url}/try`))?.status()).toBe(401);
  });
});
