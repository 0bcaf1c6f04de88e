/**
 * The real bot process connected over the real SDK's websocket to the fake Lark platform, with
 * `OPS_PORT`: Lark's pushes and their acks, the answer and its reply show in `/metrics`; `/readyz`
 * includes the Lark connection; logs go to stderr as JSON lines without the app secret.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sentText, startFakeLark, type FakeLark } from '../../fake-lark/index.ts';
import { startBot, type BotProcess } from '../../helpers/bot-process.ts';
import { freePort } from '../../helpers/net.ts';
import { bundledWorkspace } from '../../helpers/qa.ts';
import type { Workspace } from '../../helpers/workspace.ts';

function sample(metrics: string, name: string): number {
  const line = metrics.split('\n').find((text) => text.startsWith(`${name} `));
  return line ? Number(line.slice(name.length + 1)) : Number.NaN;
}

describe('ops with Lark (real bot process, fake platform)', () => {
  let fake: FakeLark;
  let workspace: Workspace;
  let bot: BotProcess;
  let port: number;
  const get = (pathname: string) => fetch(`http://127.0.0.1:${port}${pathname}`);

  beforeAll(async () => {
    fake = await startFakeLark();
    workspace = await bundledWorkspace();
    port = await freePort();
    bot = await startBot(workspace, { LARK_APP_ID: fake.appId, LARK_APP_SECRET: fake.appSecret, LARK_DOMAIN: fake.baseUrl, OPS_PORT: String(port) });
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await fake?.close();
    workspace?.remove();
  });

  it('counts the push, its ack, the answer and the reply', async () => {
    const event = fake.messageEvent({ chatType: 'p2p', text: '渤海新区的项目审批现在平均多久能办完？' });
    await fake.deliverEvent(event);
    const reply = await fake.waitFor((record) => record.kind === 'reply' && record.replyTo === event['event'].message.message_id, 15_000);
    expect(sentText(reply)).toContain('2.5');
    const metrics = await (await get('/metrics')).text();
    expect(sample(metrics, 'bot_lark_events_total{event_type="im.message.receive_v1"}')).toBe(1);
    expect(sample(metrics, 'bot_lark_acks_total{event_type="im.message.receive_v1",result="ok"}')).toBe(1);
    expect(sample(metrics, 'bot_questions_total{outcome="answer"}')).toBe(1);
    expect(sample(metrics, 'bot_answer_duration_seconds_count')).toBe(1);
    expect(sample(metrics, 'bot_replies_total{kind="reply"}')).toBe(1);
    // Answered, so nothing waits on the question worker.
    expect(sample(metrics, 'bot_worker_queue_depth')).toBe(0);
  });

  it('is ready with the Lark connection among its probes', async () => {
    const response = await get('/readyz');
    expect(response.status).toBe(200);
    const body = (await response.json()) as { probes: { name: string; ok: boolean }[] };
    expect(body.probes.map((probe) => probe.name).sort()).toEqual(['database', 'index', 'lark']);
  });

  it('logs JSON lines to stderr and never the app secret', () => {
    const records = bot.logs.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { message: string });
    expect(records.some((record) => record.message === 'connected to lark')).toBe(true);
    expect(bot.logs.join('\n')).not.toContain(fake.appSecret);
  });
});
